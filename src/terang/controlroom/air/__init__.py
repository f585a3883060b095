"""Air quality: the ISPU arithmetic (`ispu`), the hourly publication, and the public /udara/
pages and /api/v1/air, which read only the published tables."""
