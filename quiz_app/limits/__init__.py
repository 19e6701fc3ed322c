"""Limits on how often anyone may do something: log-in guesses, sign-ups, attempt
starts and problem reports, counted in the database so every worker sees them.
"""
