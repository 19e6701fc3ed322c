"""Database-wide commands (copying a data folder's database elsewhere)."""
