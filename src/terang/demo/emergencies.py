"""Demo data for the emergencies app, created by `seed-demo` inside its transaction.

Twelve response units (fire brigade, ambulances, police patrols without a city agency, BPBD
teams), about 240 calls over the last 30 days that ran their whole course (closed, cancelled,
false calls; some dispatched or arriving late), and six calls still active, one of them past
its dispatch target. Everything goes through the 112 services with a fixed clock, so the events
and audit entries are the real ones.

The clock: when the seed is for today, the active calls are placed just before the moment of
seeding (so the wall shows them minutes old, not hours); for another day they sit just before
that day's midnight like the rest of the history. Every choice comes from `rng`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from terang.core.models import User
from terang.emergencies import services
from terang.emergencies.choices import IncidentType, UnitKind
from terang.emergencies.models import (
    Dispatch,
    Incident,
    IncidentEvent,
    ReferenceCounter,
    ResponseUnit,
)

from . import catalog
from .accounts import Accounts, person_name
from .city import City

HISTORY_CALLS = 240
HISTORY_DAYS = 30


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    kind: str
    agency: str | None
    base: str


DEMO_UNITS: tuple[DemoUnit, ...] = (
    DemoUnit("DMK-01", "Damkar Pos Induk 1", UnitKind.FIRE_BRIGADE, "DAMKAR", "Pos Induk Damkar"),
    DemoUnit("DMK-02", "Damkar Pos Induk 2", UnitKind.FIRE_BRIGADE, "DAMKAR", "Pos Induk Damkar"),
    DemoUnit("DMK-03", "Damkar Pos Utara", UnitKind.FIRE_BRIGADE, "DAMKAR", "Pos Damkar Utara"),
    DemoUnit("DMK-04", "Damkar Tangga 32 m", UnitKind.FIRE_BRIGADE, "DAMKAR", "Pos Induk Damkar"),
    DemoUnit("AMB-01", "Ambulans PSC 119 1", UnitKind.AMBULANCE, "DINKES", "PSC 119 Dinkes"),
    DemoUnit("AMB-02", "Ambulans PSC 119 2", UnitKind.AMBULANCE, "DINKES", "PSC 119 Dinkes"),
    DemoUnit("AMB-03", "Ambulans Puskesmas Timur", UnitKind.AMBULANCE, "DINKES", "Puskesmas Timur"),
    DemoUnit("AMB-04", "Ambulans Puskesmas Barat", UnitKind.AMBULANCE, "DINKES", "Puskesmas Barat"),
    DemoUnit("POL-01", "Patroli Polres 1", UnitKind.POLICE, None, "Polres Kota Contoh"),
    DemoUnit("POL-02", "Patroli Polsek Utara", UnitKind.POLICE, None, "Polsek Utara"),
    DemoUnit("BPBD-01", "TRC BPBD", UnitKind.BPBD_RESCUE, "BPBD", "Markas BPBD"),
    DemoUnit("BPBD-02", "Perahu Karet BPBD", UnitKind.BPBD_RESCUE, "BPBD", "Markas BPBD"),
)
OUT_OF_SERVICE = "DMK-04"  # the ladder truck is in the workshop

TYPE_WEIGHTS: dict[str, int] = {
    IncidentType.MEDICAL: 35,
    IncidentType.TRAFFIC_ACCIDENT: 20,
    IncidentType.CRIME: 15,
    IncidentType.OTHER: 13,
    IncidentType.FIRE: 12,
    IncidentType.DISASTER: 5,
}
# Unit kinds sent to each type: the first group always, the second sometimes.
SENT_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    IncidentType.FIRE: ((UnitKind.FIRE_BRIGADE,), (UnitKind.FIRE_BRIGADE, UnitKind.AMBULANCE)),
    IncidentType.MEDICAL: ((UnitKind.AMBULANCE,), ()),
    IncidentType.CRIME: ((UnitKind.POLICE,), (UnitKind.AMBULANCE,)),
    IncidentType.DISASTER: ((UnitKind.BPBD_RESCUE,), (UnitKind.AMBULANCE, UnitKind.FIRE_BRIGADE)),
    IncidentType.TRAFFIC_ACCIDENT: ((UnitKind.AMBULANCE,), (UnitKind.POLICE,)),
    IncidentType.OTHER: ((UnitKind.POLICE,), (UnitKind.BPBD_RESCUE,)),
}
DESCRIPTIONS: dict[str, list[str]] = {
    IncidentType.FIRE: [
        "Asap tebal keluar dari dapur rumah warga, api mulai membesar.",
        "Kebakaran lahan kosong, api mendekati permukiman.",
        "Korsleting listrik di ruko, api di lantai dua.",
        "Gerobak gas terbakar di pinggir jalan.",
    ],
    IncidentType.MEDICAL: [
        "Lansia jatuh di kamar mandi dan tidak sadarkan diri.",
        "Ibu hamil mengalami pendarahan, butuh ambulans.",
        "Pria sesak napas berat dan nyeri dada.",
        "Anak kejang demam tinggi.",
        "Pekerja jatuh dari perancah, luka di kepala.",
    ],
    IncidentType.CRIME: [
        "Pencurian sepeda motor baru saja terjadi, pelaku kabur ke arah pasar.",
        "Perkelahian antarkelompok pemuda.",
        "Penjambretan, korban luka ringan.",
        "Rumah kosong dibobol, pintu belakang rusak.",
    ],
    IncidentType.DISASTER: [
        "Banjir setinggi lutut masuk ke rumah warga, ada lansia terjebak.",
        "Pohon besar tumbang menimpa rumah.",
        "Tanah longsor di tepi kali, dua rumah terancam.",
        "Angin kencang merobohkan atap sekolah.",
    ],
    IncidentType.TRAFFIC_ACCIDENT: [
        "Tabrakan sepeda motor dan mobil, satu korban tergeletak.",
        "Truk terguling di perempatan, lalu lintas macet.",
        "Pengendara motor tergelincir, luka di kaki.",
        "Angkot menabrak pembatas jalan, beberapa penumpang luka.",
    ],
    IncidentType.OTHER: [
        "Ular kobra masuk ke rumah warga.",
        "Anak terkunci di dalam mobil di parkiran.",
        "Orang hilang: lansia dengan demensia belum pulang.",
        "Kabel listrik putus menjuntai ke jalan.",
    ],
}
CLOSING_NOTES: dict[str, list[str]] = {
    IncidentType.FIRE: [
        "Api padam, tidak ada korban.",
        "Api padam, satu korban luka bakar ringan dibawa ke RSUD.",
        "Pendinginan selesai, lokasi diserahkan ke warga.",
    ],
    IncidentType.MEDICAL: [
        "Pasien distabilkan dan dibawa ke RSUD.",
        "Pasien dirujuk ke puskesmas terdekat.",
        "Pasien menolak dibawa, diberi pertolongan pertama.",
    ],
    IncidentType.CRIME: ["Situasi terkendali, laporan diteruskan ke Polsek.", "Pelaku diamankan."],
    IncidentType.DISASTER: ["Warga dievakuasi ke posko.", "Pohon dipotong, jalan dibuka kembali."],
    IncidentType.TRAFFIC_ACCIDENT: [
        "Korban dibawa ke RSUD, kendaraan diderek.",
        "Luka ringan, ditangani di tempat.",
    ],
    IncidentType.OTHER: ["Ditangani, tidak ada korban.", "Diserahkan ke keluarga."],
}


def _phone(rng: random.Random) -> str:
    return f"+628{rng.choice('1235789')}{rng.randrange(10**8, 10**9)}"


def _location(city: City, rng: random.Random) -> services.Location:
    place = rng.choice(city.places)
    lat, lon = city.shape.sample_point(rng, place.shape)
    names = catalog.names()
    address = f"{rng.choice(names['streets'])} No. {rng.randrange(1, 200)}"
    if rng.random() < 0.4:
        address += f", {rng.choice(names['landmarks'])}"
    return services.Location(latitude=lat, longitude=lon, address=address)


def _create_units(city: City, rng: random.Random) -> dict[str, ResponseUnit]:
    units = {}
    bases: dict[str, tuple[float, float]] = {}
    for row in DEMO_UNITS:
        if row.base not in bases:
            place = rng.choice(city.places)
            bases[row.base] = city.shape.sample_point(rng, place.shape)
        lat, lon = bases[row.base]
        units[row.code] = ResponseUnit.objects.create(
            code=row.code,
            name=row.name,
            kind=row.kind,
            agency=city.agencies.get(row.agency) if row.agency else None,
            base_name=row.base,
            base_latitude=lat,
            base_longitude=lon,
        )
    return units


class _Desk:
    """Plays calls through the services with a fixed clock."""

    def __init__(
        self, city: City, accounts: Accounts, units: dict[str, ResponseUnit], rng: random.Random
    ) -> None:
        self.city, self.accounts, self.units, self.rng = city, accounts, units, rng
        self.by_kind: dict[str, list[ResponseUnit]] = {}
        for code, unit in units.items():
            if code != OUT_OF_SERVICE:
                self.by_kind.setdefault(unit.kind, []).append(unit)

    def operator(self) -> User:
        return self.rng.choice(self.accounts.operators or [self.accounts.staff["admin"]])

    def responder(self, unit: ResponseUnit) -> User:
        """Half the time the unit's own agency reports; otherwise the call-taker does."""
        officer = self.accounts.officers.get(unit.agency_id) if unit.agency_id else None
        return officer if officer is not None and self.rng.random() < 0.5 else self.operator()

    def receive(self, incident_type: str, at: dt.datetime) -> Incident:
        anonymous = self.rng.random() < 0.15
        return services.receive_call(
            actor=self.operator(),
            incident_type=incident_type,
            description=self.rng.choice(DESCRIPTIONS[incident_type]),
            location=_location(self.city, self.rng),
            caller_name="" if anonymous else person_name(self.rng),
            caller_phone="" if anonymous and self.rng.random() < 0.5 else _phone(self.rng),
            now=at,
        )

    def pick_units(self, incident_type: str) -> list[ResponseUnit]:
        always, sometimes = SENT_KINDS[incident_type]
        kinds = list(always)
        if sometimes and self.rng.random() < 0.35:
            kinds.append(self.rng.choice(sometimes))
        chosen: list[ResponseUnit] = []
        for kind in kinds:
            free = [u for u in self.by_kind[kind] if u not in chosen]
            if free:
                chosen.append(self.rng.choice(free))
        return chosen

    def history_call(self, incident_type: str, at: dt.datetime) -> None:
        """One call that ran its whole course before the seed moment."""
        rng = self.rng
        incident = self.receive(incident_type, at)
        fate = rng.random()
        if fate < 0.04:  # withdrawn before anyone was sent
            services.cancel_incident(
                actor=self.operator(),
                incident=incident,
                now=at + _minutes(rng, 0.5, 2.5),
                reason="Penelepon membatalkan: keadaan sudah tertangani warga.",
            )
            return
        if fate < 0.07:  # a prank, recognised on the phone
            services.cancel_incident(
                actor=self.operator(),
                incident=incident,
                now=at + _minutes(rng, 0.5, 2),
                reason="Panggilan iseng.",
                false_call=True,
            )
            return
        late_dispatch = rng.random() < 0.1
        dispatched = at + (_minutes(rng, 3.2, 8) if late_dispatch else _minutes(rng, 0.5, 3))
        units = self.pick_units(incident_type)
        services.dispatch_units(
            actor=self.operator(), incident=incident, units=units, now=dispatched
        )
        if fate < 0.10:  # a duplicate of another call, found out while units were on the way
            services.cancel_incident(
                actor=self.operator(),
                incident=incident,
                now=dispatched + _minutes(rng, 1, 5),
                reason="Duplikat panggilan lain untuk kejadian yang sama.",
            )
            return
        travel_limit = 17 if incident_type in (IncidentType.FIRE, IncidentType.MEDICAL) else 22
        arrived = dispatched + _minutes(rng, 4, travel_limit)
        for offset, unit in enumerate(units):
            services.mark_on_scene(
                actor=self.responder(unit),
                incident=incident,
                unit=unit,
                now=arrived + dt.timedelta(minutes=2 * offset),
            )
        end = arrived + _minutes(rng, 15, 150)
        if fate < 0.14:  # nothing found at the address
            services.cancel_incident(
                actor=self.operator(),
                incident=incident,
                now=arrived + _minutes(rng, 3, 10),
                reason="Tidak ditemukan kejadian di lokasi.",
                false_call=True,
            )
            return
        services.close_incident(
            actor=self.responder(units[0]),
            incident=incident,
            now=end,
            note=rng.choice(CLOSING_NOTES[incident_type]),
        )


def _minutes(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(seconds=round(rng.uniform(low, high) * 60))


def _live_anchor(now: dt.datetime) -> dt.datetime:
    real = timezone.now().replace(microsecond=0)
    return real if now <= real < now + dt.timedelta(days=1) else now


def create(
    city: City, accounts: Accounts, *, now: dt.datetime, rng: random.Random
) -> dict[str, int]:
    """Create the demo rows; return counts by name for the seed summary."""
    units = _create_units(city, rng)
    desk = _Desk(city, accounts, units, rng)
    live = _live_anchor(now)
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    span = HISTORY_DAYS * 24 * 60
    starts = sorted(
        live - dt.timedelta(minutes=rng.uniform(240, span)) for _ in range(HISTORY_CALLS)
    )
    for at in starts:
        desk.history_call(rng.choices(types, weights)[0], at.replace(microsecond=0))

    def ago(minutes: float) -> dt.datetime:
        return live - dt.timedelta(minutes=minutes)

    # Still active at the seed moment, received in this order:
    flood = desk.receive(IncidentType.DISASTER, ago(40))
    services.dispatch_units(
        actor=desk.operator(), incident=flood, units=[units["BPBD-01"]], now=ago(38)
    )
    services.mark_on_scene(actor=desk.responder(units["BPBD-01"]), incident=flood, now=ago(15))
    fire = desk.receive(IncidentType.FIRE, ago(25))
    services.dispatch_units(
        actor=desk.operator(),
        incident=fire,
        units=[units["DMK-01"], units["DMK-02"], units["AMB-01"]],
        now=ago(24),
    )
    services.mark_on_scene(actor=desk.operator(), incident=fire, now=ago(14))
    crime = desk.receive(IncidentType.CRIME, ago(18))
    services.dispatch_units(
        actor=desk.operator(), incident=crime, units=[units["POL-02"]], now=ago(15)
    )
    traffic = desk.receive(IncidentType.TRAFFIC_ACCIDENT, ago(12))
    services.dispatch_units(
        actor=desk.operator(),
        incident=traffic,
        units=[units["AMB-02"], units["POL-01"]],
        now=ago(10),
    )
    desk.receive(IncidentType.MEDICAL, ago(6))  # nobody sent after 6 minutes: a breach
    desk.receive(IncidentType.FIRE, ago(2))  # just in, within its dispatch target

    ResponseUnit.objects.filter(code=OUT_OF_SERVICE).update(is_available=False)
    return {
        "112 units": len(units),
        "112 incidents": Incident.objects.count(),
        "112 dispatches": Dispatch.objects.count(),
    }


def wipe() -> dict[str, int]:
    """Delete the demo rows (called by `seed-demo --reset` before agencies and users go)."""
    deleted = {
        "112 events": IncidentEvent.objects.all().delete()[0],
        "112 dispatches": Dispatch.objects.all().delete()[0],
        "112 incidents": Incident.objects.all().delete()[0],
    }
    ReferenceCounter.objects.all().delete()
    demo_agencies = [row["code"] for row in catalog.agencies()]
    deleted["112 units"] = ResponseUnit.objects.filter(
        Q(code__in=[row.code for row in DEMO_UNITS]) | Q(agency__code__in=demo_agencies)
    ).delete()[0]
    return deleted
