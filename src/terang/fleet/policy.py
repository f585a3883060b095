"""The city's tracking limits (idle and silent), read often by ingest and the wall, so cached
like the other city policy rows (see core.policy_cache)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from terang.core.policy_cache import cached_policy, forget_policy
from terang.fleet.models import DEFAULT_IDLE_MINUTES, DEFAULT_SILENT_MINUTES, FleetPolicy

_CACHE_KEY = "terang:fleet-policy"


@dataclass(frozen=True)
class FleetRules:
    idle_after: dt.timedelta
    silent_after: dt.timedelta

    @property
    def idle_minutes(self) -> int:
        return int(self.idle_after.total_seconds() // 60)

    @property
    def silent_minutes(self) -> int:
        return int(self.silent_after.total_seconds() // 60)


def _load() -> FleetRules:
    row = FleetPolicy.objects.order_by("pk").first()
    return FleetRules(
        idle_after=dt.timedelta(minutes=row.idle_minutes if row else DEFAULT_IDLE_MINUTES),
        silent_after=dt.timedelta(minutes=row.silent_minutes if row else DEFAULT_SILENT_MINUTES),
    )


def fleet_rules() -> FleetRules:
    """The idle and silent limits in force (the first FleetPolicy row, else the defaults)."""
    rules: FleetRules = cached_policy(_CACHE_KEY, _load)
    return rules


def forget_fleet_rules() -> None:
    """Call after the FleetPolicy row changes."""
    forget_policy(_CACHE_KEY)
