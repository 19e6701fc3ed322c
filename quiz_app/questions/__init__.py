"""Question types, shared by the bank loader (validation) and the quiz (grading)."""
