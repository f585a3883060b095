"""Build (and wipe) the demo city "Kota Contoh". Entry points for the management commands.

Determinism: every random choice comes from `random.Random(2026)` (split into fixed streams for
geometry, people, history and tracking codes), so two seeds on the same day are identical but
for database ids, password salts and ciphertexts. Only the dates follow the calendar: history is
the 365 days before midnight today (city time), so the demo always looks current. Tracking codes
come from their own stream and are the same whatever the day.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from terang.aspirations.choices import Status
from terang.aspirations.models import (
    Aspiration,
    AspirationEvent,
    AspirationPhoto,
    Category,
    Follow,
)
from terang.core import audit
from terang.core.calendar import forget_city_days_off
from terang.core.choices import AreaLevel
from terang.core.models import (
    AdministrativeArea,
    Agency,
    AreaSubscription,
    AuditCheckpoint,
    AuditEntry,
    CityDayOff,
    CityProfile,
    User,
)
from terang.core.selectors import forget_areas, forget_city

from . import budget as demo_budget
from . import catalog, sensors
from . import emergencies as demo_emergencies
from . import fleet as demo_fleet
from . import markets as demo_markets
from . import opendata as demo_opendata
from . import ppid as demo_ppid
from .accounts import create_accounts
from .city import build_city
from .history import History
from .persist import write_history
from .reports import Item
from .sensor_history import create_demo_history


class AuditVerificationFailed(RuntimeError):
    pass


@dataclass
class SeedResult:
    today: dt.date
    counts: dict[str, int]
    statuses: Counter[str]
    stats: dict[str, float]
    audit: str
    phases: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.phases.values())

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())


def city_today() -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(catalog.CITY_TIMEZONE))


def is_seeded() -> bool:
    return CityProfile.objects.filter(slug=catalog.CITY_SLUG).exists()


def other_city_exists() -> bool:
    return CityProfile.objects.exclude(slug=catalog.CITY_SLUG).exists()


def seed(
    *,
    size: str = "full",
    count: int | None = None,
    today: dt.date | None = None,
    progress: Callable[[str], None] = lambda _message: None,
) -> SeedResult:
    """Create the whole demo city in one transaction; raise if the audit log does not verify."""
    today = today or city_today()
    now = dt.datetime.combine(today, dt.time(0, 0), tzinfo=ZoneInfo(catalog.CITY_TIMEZONE))
    now = now.astimezone(dt.UTC)
    master = random.Random(catalog.SEED)
    geo_rng, people_rng, history_rng, code_rng = (
        random.Random(master.getrandbits(64)) for _ in range(4)
    )
    total = count if count is not None else catalog.SIZES[size]
    phases: dict[str, float] = {}
    cpu: dict[str, float] = {}
    clock, cpu_clock = time.perf_counter(), time.process_time()

    def lap(name: str) -> None:
        nonlocal clock, cpu_clock
        phases[name] = time.perf_counter() - clock
        cpu[name] = time.process_time() - cpu_clock
        clock, cpu_clock = time.perf_counter(), time.process_time()
        progress(f"  {name}: {phases[name]:.1f} s (CPU {cpu[name]:.1f} s)")

    with translation.override("id"), transaction.atomic():
        city = build_city(geo_rng, today)
        lap("city, areas, agencies, categories")
        accounts = create_accounts(
            people_rng, city.agencies, pool_size=catalog.CITIZEN_POOL[size], anchor=now
        )
        lap("accounts and TOTP devices")
        history = History(city, accounts, now=now, rng=history_rng, code_rng=code_rng)
        items = history.generate(total)
        lap("history simulation")
        counts = write_history(items)
        sensors.create_demo_stations()
        lap("bulk writes")
        extras_rng = random.Random(master.getrandbits(64))
        for module in (demo_emergencies, demo_fleet, demo_markets):
            counts.update(module.create(city, accounts, now=now, rng=extras_rng))
        counts["sensor readings"] = create_demo_history(timezone.now())
        lap("control room: 112, fleet, market prices, sensor history")
        transparency_rng = random.Random(master.getrandbits(64))
        for module in (demo_opendata, demo_budget, demo_ppid):
            counts.update(module.create(city, accounts, now=now, rng=transparency_rng))
        lap("transparency: open data, budget, information requests")
        verdict = verify_audit()
        lap("audit verification")
    forget_city()
    forget_areas()
    forget_city_days_off()
    counts.update(
        agencies=len(city.agencies),
        categories=len(city.categories),
        kecamatan=len(city.shape.kecamatan),
        kelurahan=len(city.places),
        staff=len(accounts.staff),
        citizens=len(accounts.citizens) + len(accounts.pool),
        days_off=len(city.days_off),
    )
    return SeedResult(
        today=today,
        counts=counts,
        statuses=Counter(item.a.status for item in items),
        stats=statistics(items),
        audit=verdict,
        phases=phases,
        cpu=cpu,
    )


def statistics(items: list[Item]) -> dict[str, float]:
    total = len(items) or 1
    closed = [item.a for item in items if item.a.status == Status.CLOSED]
    ratings = [a.rating for a in closed if a.rating]
    return {
        "breached_pct": 100 * sum(item.a.breached for item in items) / total,
        "escalated_pct": 100 * sum(item.a.escalation > 0 for item in items) / total,
        "rated_pct_of_closed": 100 * len(ratings) / (len(closed) or 1),
        "mean_rating": sum(ratings) / (len(ratings) or 1),
        "ping_pong": sum(item.a.is_ping_pong for item in items),
        "reopened": sum(item.a.reopen_count > 0 for item in items),
    }


def verify_audit() -> str:
    """Run core.audit.verify_audit_log when it exists; raise when the log does not verify."""
    verify = getattr(audit, "verify_audit_log", None)
    if verify is None:
        return "not checked (core.audit has no verify_audit_log)"
    result = verify()
    ok = getattr(result, "ok", result)
    if isinstance(result, dict):
        ok = result.get("ok", False)
    if not ok:
        problem = getattr(result, "first_problem", result)
        raise AuditVerificationFailed(f"audit log does not verify: {problem}")
    entries = getattr(result, "entries", None)
    chains = getattr(result, "chains", None)
    return f"ok ({entries} entries in {chains} chains)" if entries is not None else "ok"


def reset() -> dict[str, int]:
    """Delete the demo city and everything hanging off it (demo databases only).

    That is every aspiration (they all belong to the demo city's categories), the whole audit
    log (its chains and checkpoints would otherwise point at deleted rows), the demo accounts
    (e-mail in the demo domain), categories, areas, agencies, the city's days off and profile.
    """
    deleted: dict[str, int] = {}

    def wipe(name: str, queryset) -> None:  # type: ignore[no-untyped-def]
        deleted[name] = queryset.delete()[0]

    with transaction.atomic():
        for module in (
            demo_ppid,
            demo_budget,
            demo_opendata,
            demo_emergencies,
            demo_fleet,
            demo_markets,
        ):
            deleted.update(module.wipe())
        Aspiration.objects.filter(merged_into__isnull=False).update(merged_into=None)
        wipe("photos", AspirationPhoto.objects.all())
        wipe("follows", Follow.objects.all())
        wipe("area subscriptions", AreaSubscription.objects.all())
        wipe("events", AspirationEvent.objects.all())
        wipe("aspirations", Aspiration.objects.all())
        wipe("audit checkpoints", AuditCheckpoint.objects.all())
        wipe("audit entries", AuditEntry.objects.all())
        demo_users = User.objects.filter(email__iendswith="@" + catalog.DEMO_EMAIL_DOMAIN)
        wipe("TOTP devices", TOTPDevice.objects.filter(user__in=demo_users))
        wipe("users", demo_users)
        wipe(
            "categories",
            Category.objects.filter(code__in=[row["code"] for row in catalog.categories()]),
        )
        prefix = catalog.REGION_CODE + "."
        wipe(
            "kelurahan",
            AdministrativeArea.objects.filter(level=AreaLevel.KELURAHAN, code__startswith=prefix),
        )
        wipe(
            "kecamatan",
            AdministrativeArea.objects.filter(level=AreaLevel.KECAMATAN, code__startswith=prefix),
        )
        codes = [row["code"] for row in catalog.agencies()]
        wipe("sub-agencies", Agency.objects.filter(code__in=codes, parent__isnull=False))
        wipe("agencies", Agency.objects.filter(code__in=codes))
        wipe(
            "city days off",
            CityDayOff.objects.filter(
                reason__in=[reason for _m, _d, reason in catalog.CITY_DAYS_OFF]
            ),
        )
        wipe("city profile", CityProfile.objects.filter(slug=catalog.CITY_SLUG))
    forget_city()
    forget_areas()
    forget_city_days_off()
    return deleted
