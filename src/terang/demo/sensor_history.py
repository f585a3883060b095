"""Two calm days of sensor readings for the demo city, up to the moment of seeding, and their
published hourly ISPU, so the air-quality page and the wall have something to show before the
simulator has run for a day. Values come from the simulator's curves (deterministic); only the
timestamps follow the clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from terang.controlroom.air.publication import latest_complete_hour, publish_hours
from terang.controlroom.models import Parameter, Reading, Station
from terang.controlroom.sensors.services import store_history
from terang.demo import simulator

from . import catalog
from .sensors import DEMO_STATIONS, RIVER_LEVELS, create_demo_stations

HISTORY_HOURS = 48
PUBLISHED_HOURS = 24
HISTORY_STEP = dt.timedelta(minutes=10)
CALM_DAY_OFFSET = 1440.0  # scenario minutes: a day after the start, past the haze and the rain


def _calm_minute(moment: dt.datetime) -> float:
    """The scenario minute whose local clock matches `moment`, on a calm day of the scenario."""
    local = moment.astimezone(ZoneInfo(catalog.CITY_TIMEZONE))
    hour = local.hour + local.minute / 60.0
    return CALM_DAY_OFFSET + ((hour - simulator.START_HOUR) % 24.0) * 60.0


def _values(index: int, code: str, parameters: tuple[str, ...], minute: float) -> dict[str, float]:
    if code in RIVER_LEVELS:
        return {"water_level": simulator.water_level(code, minute)}
    if "rainfall" in parameters:
        return {"rainfall": simulator.rainfall(minute)}
    return simulator.air_quality(index, minute)


def create_demo_history(now: dt.datetime) -> int:
    """Store the readings (duplicates skipped, so a second seed adds only the new minutes) and
    publish the last day's ISPU hours; returns how many readings were new."""
    stations = {station.code: station for station in create_demo_stations()}
    parameters = {parameter.code: parameter for parameter in Parameter.objects.all()}
    end = now.replace(second=0, microsecond=0)
    end -= dt.timedelta(minutes=end.minute % 10)
    readings: list[Reading] = []
    moment = end - dt.timedelta(hours=HISTORY_HOURS)
    while moment <= end:
        minute = _calm_minute(moment)
        for index, spec in enumerate(DEMO_STATIONS):
            if spec.broken:
                continue
            values = _values(index, spec.code, spec.parameters, minute)
            readings.extend(
                Reading(
                    station=stations[spec.code],
                    parameter=parameters[code],
                    ts=moment,
                    value=values[code],
                    received_at=moment,
                )
                for code in spec.parameters
            )
        moment += HISTORY_STEP
    stored = store_history(readings)
    live = [spec.code for spec in DEMO_STATIONS if not spec.broken]
    Station.objects.filter(code__in=live).update(last_seen_at=end)
    publish_hours(last_hour_end=latest_complete_hour(now), hours=PUBLISHED_HOURS, now=now)
    return stored
