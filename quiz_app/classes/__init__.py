"""Classes: a teacher's groups of students, their join codes and their assignments."""
