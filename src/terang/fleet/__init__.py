"""City vehicles: GPS positions, the day's trail, idle detection and route coverage."""
