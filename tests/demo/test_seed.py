"""The seeded demo city: geometry, organisation, accounts and a consistent history.

The package's one small seed (300 aspirations, tests/demo/conftest.py) is shared; every test
here only reads it.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from terang.aspirations import reasons
from terang.aspirations.choices import EventKind, Privacy, Status
from terang.aspirations.models import Aspiration, AspirationEvent, Category
from terang.aspirations.services import sweep_deadlines
from terang.core import audit
from terang.core.calendar import working_days_deadline
from terang.core.choices import Role
from terang.core.geo import bounding_box, contains
from terang.core.models import AdministrativeArea, Agency, AuditEntry, CityDayOff, CityProfile, User
from terang.demo import catalog
from terang.demo.accounts import CITIZEN_PASSWORD, STAFF_PASSWORD, staff_accounts, totp_key

TODAY = dt.date(2026, 3, 15)
NOW = dt.datetime(2026, 3, 15, tzinfo=ZoneInfo("Asia/Jakarta"))
CODE_RE = re.compile(r"^ASP-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$")


@pytest.fixture
def seeded(demo_city: str) -> str:
    """The output of the package's one `seed-demo --size small` (see conftest.py)."""
    return demo_city


pytestmark = [pytest.mark.usefixtures("demo_city"), pytest.mark.xdist_group("demo-city")]


def test_the_package_shares_one_worker_under_loadgroup(request: pytest.FixtureRequest) -> None:
    """`--dist loadgroup` (Makefile) keeps the group on one worker only if the node id carries
    it (tests/conftest.py `_keep_xdist_groups`); otherwise every worker seeds its own city."""
    if getattr(request.config.option, "loadgroup", False):
        assert request.node.nodeid.endswith("@demo-city")


@pytest.mark.django_db
def test_city_profile_and_days_off(seeded: str) -> None:
    city = CityProfile.objects.get()
    assert (city.name, city.slug, city.timezone) == ("Kota Contoh", "kota-contoh", "Asia/Jakarta")
    assert city.boundary["type"] == "Polygon"
    assert (city.min_lat, city.max_lat, city.min_lon, city.max_lon) == bounding_box(city.boundary)
    assert city.min_lat < -6.20 < city.max_lat and city.min_lon < 106.63 < city.max_lon
    assert 17 < (city.max_lon - city.min_lon) * 110.7 < 23  # about 20 km east-west
    assert 12 < (city.max_lat - city.min_lat) * 110.6 < 18  # about 15 km north-south
    days_off = list(CityDayOff.objects.values_list("date", flat=True))
    assert len(days_off) == 2
    assert all(TODAY - dt.timedelta(days=365) <= day < TODAY for day in days_off)
    assert "seeded in" in seeded


@pytest.mark.django_db
def test_thirteen_kecamatan_each_with_three_to_six_kelurahan() -> None:
    kecamatan = AdministrativeArea.objects.filter(level="kecamatan")
    assert kecamatan.count() == 13
    for kec in kecamatan:
        assert re.fullmatch(r"36\.71\.\d{2}", kec.code)
        children = list(kec.children.all())
        assert 3 <= len(children) <= 6
        for kel in children:
            assert kel.level == "kelurahan"
            assert re.fullmatch(rf"{re.escape(kec.code)}\.1\d{{3}}", kel.code)
    names = list(AdministrativeArea.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    for area in AdministrativeArea.objects.all():
        assert (area.min_lat, area.max_lat, area.min_lon, area.max_lon) == bounding_box(
            area.boundary
        )


@pytest.mark.django_db
def test_every_point_of_the_city_is_in_exactly_one_kelurahan() -> None:
    city = CityProfile.objects.get()
    kelurahan = list(AdministrativeArea.objects.filter(level="kelurahan").select_related("parent"))
    rng = random.Random(7)
    inside = 0
    for _ in range(3000):
        lat = rng.uniform(city.min_lat, city.max_lat)
        lon = rng.uniform(city.min_lon, city.max_lon)
        hits = [k for k in kelurahan if contains(k.boundary, lat=lat, lon=lon)]
        if contains(city.boundary, lat=lat, lon=lon):
            inside += 1
            assert len(hits) == 1, (lat, lon, [k.code for k in hits])
            assert contains(hits[0].parent.boundary, lat=lat, lon=lon)
        else:
            assert hits == []
    assert inside > 2000


@pytest.mark.django_db
def test_agencies_and_categories() -> None:
    assert Agency.objects.count() >= 15
    umum = Agency.objects.get(code="SETDA-UMUM")
    assert umum.parent is not None and umum.parent.code == "SETDA"
    assert Agency.objects.filter(code="PDAM", name__contains="Tirta").exists()
    categories = Category.objects.select_related("agency")
    assert categories.count() >= 40
    assert all(c.name_en and c.group and c.agency_id for c in categories)
    assert {
        (c.verify_working_days, c.response_working_days, c.resolution_working_days)
        for c in categories
    } == {(3, 5, 14)}
    fire = Category.objects.get(code="kebakaran")
    assert fire.is_emergency and fire.emergency_response_minutes == 15
    assert fire.agency.code == "DAMKAR"
    assert categories.filter(needs_investigation=True).count() >= 5
    assert categories.filter(requires_resolution_check=True).count() >= 3
    groups = set(categories.values_list("group", flat=True))
    assert {"Infrastruktur", "Lingkungan", "Kependudukan", "Bencana", "Pemadam"} <= groups


@pytest.mark.django_db
def test_staff_accounts_have_roles_passwords_and_totp() -> None:
    expected = {account.username: account for account in staff_accounts()}
    staff = {user.username: user for user in User.objects.filter(username__in=expected)}
    assert set(staff) == set(expected)
    admin = staff["admin"]
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.ADMIN, True, True)
    assert staff["operator1"].role == Role.OPERATOR
    assert staff["inspektorat1"].role == Role.INSPECTORATE
    assert staff["petugas.pupr"].role == Role.OFFICER
    assert staff["petugas.pupr"].agency.code == "PUPR"
    assert staff["kepala.pupr"].role == Role.AGENCY_HEAD
    assert staff["petugas.pupr"].check_password(STAFF_PASSWORD)
    devices = {d.user.username: d for d in TOTPDevice.objects.select_related("user")}
    for username in expected:
        assert devices[username].confirmed
        assert devices[username].key == totp_key(username)


@pytest.mark.django_db
def test_citizens_can_sign_in_and_the_reporter_pool_cannot() -> None:
    for n in (1, 2, 3):
        citizen = User.objects.get(username=f"warga{n}")
        assert citizen.email == f"warga{n}@contoh.id"
        assert citizen.role == Role.CITIZEN and citizen.contact_verified
        assert citizen.check_password(CITIZEN_PASSWORD)
    pool = User.objects.filter(username__regex=r"^warga1\d\d$")
    assert pool.count() == catalog.CITIZEN_POOL["small"]
    assert not any(user.has_usable_password() for user in pool)


@pytest.mark.django_db
def test_aspiration_count_codes_and_dates() -> None:
    aspirations = list(Aspiration.objects.all())
    assert len(aspirations) == catalog.SIZES["small"]
    assert all(CODE_RE.match(a.code) for a in aspirations)
    assert all(NOW - dt.timedelta(days=365) <= a.created_at < NOW for a in aspirations)
    statuses = {a.status for a in aspirations}
    assert {Status.CLOSED, Status.REJECTED} <= statuses
    assert statuses & {Status.SUBMITTED, Status.DISPOSITIONED, Status.IN_PROGRESS}
    breached = sum(a.breached for a in aspirations) / len(aspirations)
    assert 0.08 < breached < 0.32


@pytest.mark.django_db
def test_one_report_is_past_its_deadline_for_the_first_sweep_to_mark() -> None:
    """Whatever the day (TODAY is a Sunday: no working-day deadline ends just before it), the
    seed leaves one report late and unmarked, so the demo's first SLA sweep marks it."""
    late = Aspiration.objects.filter(verify_due_at__lt=NOW, status=Status.SUBMITTED)
    waiting = late.filter(breached=False)
    assert [(a.category.code, a.escalation) for a in waiting] == [("kebakaran", 0)]
    report = waiting.get()
    assert report.verify_due_at == NOW - dt.timedelta(minutes=1)
    assert report.created_at == report.verify_due_at - dt.timedelta(minutes=15)
    assert sweep_deadlines()["breached"] >= 1
    report.refresh_from_db()
    assert report.breached and report.escalation > 0


@pytest.mark.django_db
def test_points_lie_in_their_kelurahan() -> None:
    located = 0
    for a in Aspiration.objects.select_related("kelurahan"):
        if a.latitude is None:
            assert a.kelurahan is None and a.longitude is None and a.address
            continue
        located += 1
        assert a.kelurahan is not None and a.kelurahan.level == "kelurahan"
        assert contains(a.kelurahan.boundary, lat=a.latitude, lon=a.longitude)
    assert located > catalog.SIZES["small"] // 2


@pytest.mark.django_db
def test_anonymous_reports_carry_no_identity() -> None:
    anonymous = Aspiration.objects.filter(privacy=Privacy.ANONYMOUS)
    assert anonymous.exists()
    for a in anonymous:
        assert a.reporter_id is None
        assert a.reporter_name == ""
        assert a.reporter_contact_encrypted == ""
        assert not a.share_contact_with_agency
        assert a.rating is None
    named = Aspiration.objects.exclude(privacy=Privacy.ANONYMOUS).filter(reporter__isnull=False)
    assert all(a.reporter_name == a.reporter.full_name for a in named.select_related("reporter"))


@pytest.mark.django_db
def test_each_history_is_consistent_with_its_status() -> None:
    city = CityProfile.objects.get()
    events = {}
    for event in AspirationEvent.objects.order_by("created_at", "id").select_related("actor"):
        events.setdefault(event.aspiration_id, []).append(event)
    for a in Aspiration.objects.select_related("category", "reporter"):
        trail = events[a.pk]
        times = [e.created_at for e in trail]
        assert times == sorted(times) and len(set(times)) == len(times), a.code
        assert times[0] == a.created_at and times[-1] <= NOW + dt.timedelta(seconds=5)
        assert (trail[0].kind, trail[0].from_status, trail[0].to_status) == (
            EventKind.TRANSITION,
            "",
            Status.SUBMITTED,
        )
        transitions = [e for e in trail if e.kind == EventKind.TRANSITION]
        assert transitions[-1].to_status == a.status, a.code
        for before, after in zip(transitions, transitions[1:], strict=False):
            assert after.from_status == before.to_status, a.code
        if not a.category.is_emergency:
            assert a.verify_due_at == working_days_deadline(a.created_at, 3)
        if a.status in (Status.RESOLVED, Status.CLOSED):
            assert a.resolved_at and a.public_answer and a.first_response_at
            assert a.first_response_at <= a.resolved_at
        if a.status in (Status.CLOSED, Status.REJECTED, Status.MERGED):
            assert a.closed_at is not None
        else:
            assert a.closed_at is None
        if a.status == Status.CLOSED:
            assert a.closed_at >= a.resolved_at
        assert (a.merged_into_id is not None) == (a.status == Status.MERGED)
        if a.rating is not None:
            assert a.status == Status.CLOSED and a.reporter_id is not None
            assert 1 <= a.rating <= 5
        assert a.is_ping_pong == (a.disposition_count > city.ping_pong_moves)
        dispositions = [e for e in trail if e.kind == EventKind.DISPOSITION and e.to_status]
        assert len(dispositions) == a.disposition_count
        if a.disposition_count:
            assert a.response_due_at and a.resolution_due_at
            assert dispositions[-1].to_agency_id == a.agency_id
        if a.breached:
            assert a.escalation > 0
        for event in trail:
            role = event.actor.role if event.actor else ""
            assert event.actor_role == role
            if event.to_status in (Status.VERIFIED, Status.REJECTED, Status.MERGED):
                assert role == Role.OPERATOR
            if event.to_status == Status.RESOLVED:
                assert role == Role.OFFICER and event.actor.agency_id == a.agency_id


@pytest.mark.django_db
def test_audit_chains_mirror_the_events_and_verify() -> None:
    chains: dict[str, list[AuditEntry]] = {}
    for entry in AuditEntry.objects.filter(chain__startswith="aspirations.aspiration:"):
        chains.setdefault(entry.chain, []).append(entry)
    assert len(chains) == Aspiration.objects.count()
    assert sum(map(len, chains.values())) == AspirationEvent.objects.count()
    for chain, entries in list(chains.items())[:50]:
        entries.sort(key=lambda e: e.seq)
        prev = audit.GENESIS
        for seq, entry in enumerate(entries, start=1):
            assert entry.seq == seq and entry.prev_hash == prev
            assert entry.hash == audit.entry_hash(
                chain=chain,
                seq=seq,
                created_at=entry.created_at.isoformat(),
                actor=entry.actor_label,
                action=entry.action,
                payload_digest=entry.payload_digest,
                prev_hash=prev,
            )
            prev = entry.hash
    if hasattr(audit, "verify_audit_log"):
        assert audit.verify_audit_log().ok


def _indonesian_system_reasons() -> list[re.Pattern[str]]:
    """Each system reason template as written in Indonesian, parameters matching anything."""
    with translation.override("id"):
        templates = [str(template) for template in reasons.TEMPLATES.values()]
    return [
        re.compile(re.sub(r"%\\\(\w+\\\)[sd]", ".+", re.escape(template))) for template in templates
    ]


@pytest.mark.django_db
def test_system_reasons_are_codes_not_indonesian_text() -> None:
    city = CityProfile.objects.get()
    patterns = _indonesian_system_reasons()
    events = list(AspirationEvent.objects.select_related("aspiration", "aspiration__merged_into"))
    used = set()
    for event in events:
        assert not any(p.fullmatch(event.reason) for p in patterns), (event.pk, event.reason)
        if event.reason_code:
            assert event.reason == "" and event.reason_code in reasons.TEMPLATES, event.pk
            used.add(event.reason_code)
        a = event.aspiration
        if event.kind == EventKind.TRANSITION and event.to_status == Status.SUBMITTED:
            assert (event.reason_code, event.reason_params) == (
                reasons.RECEIVED,
                {"channel": a.channel},
            )
        if event.to_status == Status.DISPOSITIONED and not event.reason:
            assert (event.reason_code, event.reason_params) == (reasons.ROUTED, {}), event.pk
        if event.to_status == Status.DISPOSITIONED and event.reason_code == reasons.ROUTED:
            assert event.kind == EventKind.TRANSITION or event.from_agency_id is None
        if event.kind == EventKind.TRANSITION and event.to_status == Status.MERGED:
            assert event.reason_code == reasons.MERGED_INTO
            assert event.reason_params == {"code": a.merged_into.code}
        if event.kind == EventKind.TRANSITION and event.to_status == Status.CLOSED:
            expected = (
                reasons.AUTO_CLOSED if event.actor_id is None else reasons.CLOSED_AFTER_RATING
            )
            assert event.reason_code == expected, event.pk
        if event.kind == EventKind.ESCALATION:
            assert event.reason_code in {
                reasons.PING_PONG,
                reasons.ESCALATED_AGENCY_HEAD,
                reasons.ESCALATED_INSPECTORATE,
            }
            assert not event.is_public
        if event.reason_code == reasons.PING_PONG:
            assert event.reason_params == {"moves": city.ping_pong_moves}
    assert {
        reasons.RECEIVED,
        reasons.ROUTED,
        reasons.CLOSED_AFTER_RATING,
        reasons.AUTO_CLOSED,
        reasons.ESCALATED_AGENCY_HEAD,
    } <= used
    merged_here = [e for e in events if e.reason_code == reasons.MERGED_HERE]
    merged = Aspiration.objects.filter(status=Status.MERGED)
    assert sorted(e.reason_params["code"] for e in merged_here) == sorted(
        merged.values_list("code", flat=True)
    )


@pytest.mark.django_db
def test_people_keep_their_own_words() -> None:
    rejected = AspirationEvent.objects.filter(to_status=Status.REJECTED)
    ratings = AspirationEvent.objects.filter(kind=EventKind.RATING)
    assert rejected.exists() and ratings.exists()
    for event in [*rejected, *ratings]:
        assert event.reason and not event.reason_code
    for event in AspirationEvent.objects.filter(to_status=Status.RESOLVED):
        assert event.reason and not event.reason_code


@pytest.mark.django_db
def test_audit_payloads_have_the_shape_add_event_records() -> None:
    events = {e.pk: e for e in AspirationEvent.objects.all()}
    entries = AuditEntry.objects.filter(chain__startswith="aspirations.aspiration:")
    assert entries.count() == len(events)
    for entry in entries:
        event = events[entry.payload["event"]]
        expected = {
            "event": event.pk,
            "from": event.from_status,
            "to": event.to_status,
            "from_agency": event.from_agency_id,
            "to_agency": event.to_agency_id,
            "reason": event.reason,
        }
        if event.reason_code:
            expected |= {"reason_code": event.reason_code, "reason_params": event.reason_params}
        assert entry.payload == expected
        assert entry.payload_digest == audit.digest_payload(expected)
        assert entry.action == f"aspiration.{event.kind}" + (
            f".{event.to_status}" if event.to_status else ""
        )
    assert audit.verify_audit_log().ok


@pytest.mark.django_db
def test_sensor_history_and_published_ispu(seeded: str) -> None:
    from terang.controlroom.models import IspuStationHourly, LatestReading, Reading, Station
    from terang.demo.sensor_history import HISTORY_HOURS, PUBLISHED_HOURS

    live = Station.objects.exclude(code="aqms-rusak")
    # 48 h at 10-minute steps (both ends included) for every parameter of every live station.
    per_series = HISTORY_HOURS * 6 + 1
    series = sum(station.parameters.count() for station in live)
    assert Reading.objects.count() == per_series * series
    assert LatestReading.objects.count() == series
    assert not Reading.objects.filter(station__code="aqms-rusak").exists()
    air = live.filter(kind="air_quality")
    published = IspuStationHourly.objects.filter(station__in=air)
    assert published.count() == PUBLISHED_HOURS * air.count()
    assert set(published.values_list("critical_parameter", flat=True)) <= {
        "pm25",
        "pm10",
        "o3",
        "no2",
        "co",
        "so2",
    }


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_stations() -> None:
    """Was in tests/controlroom/test_simulator.py with a seed of its own; reads the shared one."""
    from terang.controlroom.models import Station
    from terang.demo.sensors import DEMO_STATIONS

    assert sorted(Station.objects.values_list("code", flat=True)) == sorted(
        s.code for s in DEMO_STATIONS
    )
