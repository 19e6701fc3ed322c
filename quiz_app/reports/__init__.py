"""Reports from students about questions that seem wrong, and each student's data
export.
"""
