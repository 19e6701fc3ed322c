"""Progress: a student's study statistics and the pictures that show them."""
