"""Reads of the control room, split by concept: `sensors` (latest values, quarantine)."""

from .sensors import active_stations, latest_values, quarantine_counts

__all__ = ["active_stations", "latest_values", "quarantine_counts"]
