"""Realistic sensor streams for the demo city (`terang simulate-sensors`).

Values are pure functions of the scenario minute (minutes since the scenario started at
`START_HOUR` local time) and a seed, so a test can ask for any moment. The scenario: PM2.5 follows
a diurnal curve (morning and evening traffic peaks) with a haze episode on top; a rain event
lifts both river gauges past their siaga level with a delay, then they recede; the broken
station sends garbage (malformed JSON, a wrong unit, out-of-range values, text for a number, a
missing timestamp) that the ingest puts in quarantine. Timestamps are the real clock, so a fast
replay never produces readings in the future.

The demo fleet (terang.demo.fleet) rides along: its trucks follow their routes in real time
(their positions are a function of the clock, not of the scenario minute, because idling and
route coverage are about real durations), one spare truck idles outside the depots, and every
round sends each vehicle's fixes since the previous round."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from dataclasses import dataclass

from .fleet import DEMO_VEHICLES, fixes_between
from .sensors import DEMO_STATIONS, RIVER_LEVELS, DemoStation

SEED = 2026
START_HOUR = 5.0
STEP_MINUTES = 5.0
HAZE_WINDOW = (200.0, 500.0)
HAZE_PEAK = 150.0
RAIN_WINDOW = (60.0, 180.0)
RAIN_PEAK_MM = 6.0  # per 5-minute step, a heavy tropical downpour
RIVER_PEAK_MINUTE = 250.0
RIVER_OVERSHOOT = 1.2  # the peak rise is this share of the distance from base to siaga
GARBAGE_KINDS = ("malformed_json", "wrong_unit", "out_of_range", "not_a_number", "missing_field")
FLEET_STEP_SECONDS = 30
FLEET_BACKFILL = dt.timedelta(minutes=30)  # the first round: enough to show a trail and an idle


@dataclass(frozen=True)
class Emission:
    """One message to send: `<prefix>/<station>/<parameter>` and its payload."""

    station_code: str
    parameter_code: str
    payload: bytes
    garbage: bool = False


@dataclass(frozen=True)
class FleetEmission:
    """One vehicle's fixes since the previous round, for `<fleet prefix>/<vehicle>`."""

    vehicle_code: str
    payload: bytes
    positions: int


def _rng(seed: int, *key: object) -> random.Random:
    return random.Random(":".join(str(part) for part in (seed, *key)))  # noqa: S311 - not secret


def local_hour(minute: float) -> float:
    """The scenario's local clock (WIB) in hours at this scenario minute."""
    return (START_HOUR + minute / 60.0) % 24.0


def _bump(minute: float, window: tuple[float, float]) -> float:
    """0 outside the window, rising smoothly to 1 in its middle and back to 0."""
    start, end = window
    if not start <= minute <= end:
        return 0.0
    return math.sin(math.pi * (minute - start) / (end - start)) ** 2


def diurnal_pm25(hour: float) -> float:
    """Background PM2.5 (ug/m3): clean at night, traffic peaks around 07:30 and 19:00."""
    return (
        15.0
        + 25.0 * math.exp(-(((hour - 7.5) / 1.6) ** 2))
        + 18.0 * math.exp(-(((hour - 19.0) / 2.2) ** 2))
    )


def haze(minute: float) -> float:
    """Extra PM2.5 (ug/m3) of the haze episode."""
    return HAZE_PEAK * _bump(minute, HAZE_WINDOW)


def pm25(station_index: int, minute: float, seed: int = SEED) -> float:
    scale = 0.85 + 0.1 * station_index
    noise = _rng(seed, "pm25", station_index, round(minute, 3)).gauss(0.0, 2.5)
    return round(max(1.0, diurnal_pm25(local_hour(minute)) * scale + haze(minute) + noise), 1)


def air_quality(station_index: int, minute: float, seed: int = SEED) -> dict[str, float]:
    """All air parameters of one station, consistent with its PM2.5."""
    rng = _rng(seed, "air", station_index, round(minute, 3))
    hour = local_hour(minute)
    fine = pm25(station_index, minute, seed)
    traffic = diurnal_pm25(hour) / 40.0
    sun = max(0.0, math.sin(math.pi * (hour - 6.0) / 12.0))
    industrial = 2.5 if station_index == 2 else 1.0
    return {
        "pm25": fine,
        "pm10": round(fine * 1.6 + rng.uniform(0, 6), 1),
        "o3": round(20 + 90 * sun + rng.uniform(0, 8), 1),
        "no2": round(12 + 35 * traffic + rng.uniform(0, 5), 1),
        "co": round(500 + 1500 * traffic + haze(minute) * 8 + rng.uniform(0, 100), 0),
        "so2": round((8 + rng.uniform(0, 6)) * industrial, 1),
    }


def rainfall(minute: float, seed: int = SEED) -> float:
    """Rain (mm) in the step ending at this minute."""
    intensity = _bump(minute, RAIN_WINDOW)
    if intensity == 0.0:
        return 0.0
    return round(
        RAIN_PEAK_MM * intensity * _rng(seed, "rain", round(minute, 3)).uniform(0.8, 1.2), 1
    )


def river_rise(minute: float) -> float:
    """Share (0..1) of the flood wave at a gauge: rises after the rain, recedes slowly."""
    if minute < RAIN_WINDOW[0]:
        return 0.0
    width = 70.0 if minute <= RIVER_PEAK_MINUTE else 140.0
    return math.exp(-(((minute - RIVER_PEAK_MINUTE) / width) ** 2))


def water_level(station_code: str, minute: float, seed: int = SEED) -> float:
    """Water level (cm) at a river gauge."""
    levels = RIVER_LEVELS[station_code]
    rise = (levels.siaga - levels.base) * RIVER_OVERSHOOT * river_rise(minute)
    noise = _rng(seed, "river", station_code, round(minute, 3)).uniform(-1.5, 1.5)
    return round(levels.base + rise + noise, 1)


def _reading(ts: dt.datetime, value: float, unit: str) -> bytes:
    return json.dumps({"ts": ts.isoformat(), "value": value, "unit": unit}).encode()


def garbage(kind: str, ts: dt.datetime) -> bytes:
    """A message of the broken station that the ingest must quarantine for reason `kind`."""
    if kind == "malformed_json":
        return _reading(ts, 41.0, "ug/m3")[:-7]
    if kind == "wrong_unit":
        return _reading(ts, 0.041, "mg/m3")
    if kind == "out_of_range":
        return _reading(ts, 99999.0, "ug/m3")
    if kind == "not_a_number":
        return json.dumps({"ts": ts.isoformat(), "value": "ERR", "unit": "ug/m3"}).encode()
    if kind == "missing_field":
        return json.dumps({"value": 41.0, "unit": "ug/m3"}).encode()
    raise ValueError(kind)


def _station_emissions(
    spec: DemoStation, index: int, step: int, minute: float, ts: dt.datetime, seed: int
) -> list[Emission]:
    if spec.broken:
        return [
            Emission(
                spec.code,
                code,
                garbage(GARBAGE_KINDS[(step + offset) % len(GARBAGE_KINDS)], ts),
                garbage=True,
            )
            for offset, code in enumerate(spec.parameters)
        ]
    if spec.code in RIVER_LEVELS:
        values = {"water_level": water_level(spec.code, minute, seed)}
        units = {"water_level": "cm"}
    elif "rainfall" in spec.parameters:
        values = {"rainfall": rainfall(minute, seed)}
        units = {"rainfall": "mm"}
    else:
        values = air_quality(index, minute, seed)
        units = dict.fromkeys(values, "ug/m3")
    return [
        Emission(spec.code, code, _reading(ts, values[code], units[code]))
        for code in spec.parameters
    ]


def emissions(minute: float, ts: dt.datetime, seed: int = SEED) -> list[Emission]:
    """Every message of one round: the scenario at `minute`, stamped `ts`."""
    step = int(minute // STEP_MINUTES)
    out: list[Emission] = []
    for index, spec in enumerate(DEMO_STATIONS):
        out.extend(_station_emissions(spec, index, step, minute, ts, seed))
    return out


def fleet_emissions(since: dt.datetime, until: dt.datetime) -> list[FleetEmission]:
    """Each demo vehicle's fixes on the 30-second grid in (since, until], one message each
    (`{"positions": [...]}`); vehicles with nothing to send are left out."""
    out = []
    for spec in DEMO_VEHICLES:
        fixes = fixes_between(spec, since, until, FLEET_STEP_SECONDS)
        if fixes:
            body = {"positions": [fix.payload() for fix in fixes]}
            out.append(FleetEmission(spec.code, json.dumps(body).encode(), len(fixes)))
    return out
