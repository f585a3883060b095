"""Sensor stations of the demo city, created by `seed-demo` and fed by `simulate-sensors`.

Everything is fixed data, so two seeds create the same stations. Their ingest tokens are derived
from the station code (HMAC with a published demo key) so the simulator can authenticate without
the seed having to hand tokens over: this is only acceptable for the demo city, whose stations
are fake; real stations get random tokens from `issue_station_token`."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.db import transaction

from terang.controlroom.choices import StationKind
from terang.controlroom.models import Parameter, Station, StationParameter
from terang.controlroom.sensors.services import ensure_standard_parameters
from terang.core.crypto import digest

from .geometry import CENTER_LAT, CENTER_LON

DEMO_TOKEN_KEY = b"terang-demo-sensor-token"
AIR_PARAMETERS = ("pm25", "pm10", "o3", "no2", "co", "so2")


@dataclass(frozen=True)
class DemoStation:
    code: str
    name: str
    kind: str
    dlat: float
    dlon: float
    parameters: tuple[str, ...]
    broken: bool = False


@dataclass(frozen=True)
class RiverLevels:
    """Alert levels of a river gauge in cm (normal below `waspada`)."""

    base: float
    waspada: float
    siaga: float
    awas: float


DEMO_STATIONS: tuple[DemoStation, ...] = (
    DemoStation(
        "aqms-pusat", "AQMS Alun-Alun Kota", StationKind.AIR_QUALITY, 0.0, 0.0, AIR_PARAMETERS
    ),
    DemoStation(
        "aqms-utara", "AQMS Terminal Utara", StationKind.AIR_QUALITY, 0.045, 0.01, AIR_PARAMETERS
    ),
    DemoStation(
        "aqms-industri",
        "AQMS Kawasan Industri",
        StationKind.AIR_QUALITY,
        -0.03,
        0.06,
        AIR_PARAMETERS,
    ),
    DemoStation(
        "aqms-selatan",
        "AQMS Taman Kota Selatan",
        StationKind.AIR_QUALITY,
        -0.05,
        -0.03,
        AIR_PARAMETERS,
    ),
    DemoStation(
        "pda-hulu",
        "Pos Duga Air Bendung Hulu",
        StationKind.WATER_LEVEL,
        0.06,
        -0.07,
        ("water_level",),
    ),
    DemoStation(
        "pda-hilir",
        "Pos Duga Air Jembatan Hilir",
        StationKind.WATER_LEVEL,
        -0.02,
        0.08,
        ("water_level",),
    ),
    DemoStation(
        "arg-kota", "Penakar Hujan Balai Kota", StationKind.RAINFALL, 0.01, -0.01, ("rainfall",)
    ),
    DemoStation(
        "aqms-rusak",
        "AQMS Pasar Lama (rusak)",
        StationKind.AIR_QUALITY,
        0.02,
        0.03,
        ("pm25", "pm10"),
        broken=True,
    ),
)

RIVER_LEVELS: dict[str, RiverLevels] = {
    "pda-hulu": RiverLevels(base=120, waspada=200, siaga=260, awas=330),
    "pda-hilir": RiverLevels(base=160, waspada=250, siaga=310, awas=390),
}


def demo_token(code: str) -> str:
    """The demo station's ingest token (derived, see the module docstring)."""
    return hmac.new(DEMO_TOKEN_KEY, code.encode(), hashlib.sha256).hexdigest()


def create_demo_stations() -> list[Station]:
    """Create or refresh the demo stations, their parameters and tokens (idempotent)."""
    ensure_standard_parameters()
    parameters = {p.code: p for p in Parameter.objects.all()}
    stations = []
    with transaction.atomic():
        for spec in DEMO_STATIONS:
            station, _created = Station.objects.update_or_create(
                code=spec.code,
                defaults={
                    "name": spec.name,
                    "kind": spec.kind,
                    "latitude": round(CENTER_LAT + spec.dlat, 5),
                    "longitude": round(CENTER_LON + spec.dlon, 5),
                    "is_active": True,
                    "token_digest": digest(demo_token(spec.code)),
                },
            )
            wanted = {parameters[code].pk for code in spec.parameters}
            StationParameter.objects.filter(station=station).exclude(
                parameter_id__in=wanted
            ).delete()
            have = set(
                StationParameter.objects.filter(station=station).values_list(
                    "parameter_id", flat=True
                )
            )
            StationParameter.objects.bulk_create(
                [StationParameter(station=station, parameter_id=pk) for pk in sorted(wanted - have)]
            )
            stations.append(station)
    return stations
