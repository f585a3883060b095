"""Early warning: alert rules evaluated over new readings, the alert lifecycle (`services`), and
the staff pages and /api/v1/alerts, scoped by role and agency (`selectors`)."""
