"""The teacher's side: class dashboards, item analysis, bank management and reports."""
