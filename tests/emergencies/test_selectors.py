# ruff: noqa: F811 - fixtures from conftest are used by name
"""Target breaches (at the exact boundary too) and the control-room wall contract."""

from __future__ import annotations

import datetime as dt

import pytest

from terang.core.wall import MapPoint, WallCounter, WallEvent
from terang.emergencies import selectors, services, wall_selectors
from terang.emergencies.selectors import StageState

from .conftest import T0, minutes, receive

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)


def states(incident, now):  # type: ignore[no-untyped-def]
    breach = selectors.incident_breach(incident, now=now)
    return breach.dispatch.state, breach.arrival.state


def test_pending_dispatch_is_on_target_exactly_at_the_due_time(operator, incident):
    assert states(incident, minutes(3)) == (StageState.PENDING, StageState.PENDING)
    breach = selectors.incident_breach(incident, now=minutes(3) + SECOND)
    assert breach.dispatch.state == StageState.OVERDUE
    assert breach.dispatch_breached and breach.any
    assert not breach.arrival_breached


def test_pending_minutes_round_up_until_the_due_time(operator, incident):
    assert selectors.incident_breach(incident, now=minutes(2.5)).dispatch.minutes == 1
    assert selectors.incident_breach(incident, now=minutes(3)).dispatch.minutes == 0
    assert selectors.incident_breach(incident, now=minutes(0)).arrival.minutes == 15


def test_pending_arrival_breaches_one_second_after_fifteen_minutes(operator, incident, fire_unit):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit], now=minutes(1))
    incident.refresh_from_db()

    assert states(incident, minutes(15)) == (StageState.ON_TIME, StageState.PENDING)
    assert states(incident, minutes(15) + SECOND) == (StageState.ON_TIME, StageState.OVERDUE)
    assert selectors.incident_breach(incident, now=minutes(20)).arrival.minutes == 5


def test_dispatch_done_exactly_at_the_due_time_is_on_time(operator, incident, fire_unit):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit], now=minutes(3))
    incident.refresh_from_db()

    assert not selectors.incident_breach(incident, now=minutes(60)).dispatch_breached


def test_dispatch_one_second_late_stays_breached(operator, incident, fire_unit):
    services.dispatch_units(
        actor=operator, incident=incident, units=[fire_unit], now=minutes(3) + SECOND
    )
    incident.refresh_from_db()

    breach = selectors.incident_breach(incident, now=minutes(4))
    assert breach.dispatch.state == StageState.LATE
    assert breach.dispatch_breached


def test_arrival_exactly_at_fifteen_minutes_is_on_time_and_late_after(
    operator, kelurahan, fire_unit, second_fire_unit
):
    on_time = receive(operator)
    late = receive(operator)
    for incident, unit, arrival in (
        (on_time, fire_unit, minutes(15)),
        (late, second_fire_unit, minutes(15) + SECOND),
    ):
        services.dispatch_units(actor=operator, incident=incident, units=[unit], now=minutes(1))
        services.mark_on_scene(actor=operator, incident=incident, now=arrival)
        incident.refresh_from_db()

    assert states(on_time, minutes(90)) == (StageState.ON_TIME, StageState.ON_TIME)
    assert states(late, minutes(90)) == (StageState.ON_TIME, StageState.LATE)


def test_clock_stops_when_an_incident_is_cancelled(operator, kelurahan):
    early = services.cancel_incident(
        actor=operator, incident=receive(operator), reason="Dibatalkan penelepon.", now=minutes(2)
    )
    late = services.cancel_incident(
        actor=operator, incident=receive(operator), reason="Duplikat panggilan.", now=minutes(5)
    )

    assert states(early, minutes(60)) == (StageState.SKIPPED, StageState.SKIPPED)
    assert states(late, minutes(60)) == (StageState.MISSED, StageState.SKIPPED)
    assert selectors.elapsed_minutes(late, now=minutes(60)) == 5


# The wall -----------------------------------------------------------------------------------


@pytest.fixture
def board(operator, kelurahan, fire_unit, ambulance, police_unit):  # type: ignore[no-untyped-def]
    """At T0+10: a fire on scene in time, a medical call waiting 6 minutes without a unit (both
    targets: dispatch breached), a crime call dispatched, an old incident closed."""
    closed = receive(operator, at=T0 - dt.timedelta(hours=2), incident_type="other")
    services.dispatch_units(
        actor=operator, incident=closed, units=[police_unit], now=T0 - dt.timedelta(minutes=118)
    )
    services.mark_on_scene(actor=operator, incident=closed, now=T0 - dt.timedelta(minutes=110))
    services.close_incident(
        actor=operator, incident=closed, note="Selesai.", now=T0 - dt.timedelta(minutes=60)
    )
    fire = receive(operator, at=minutes(0))
    services.dispatch_units(actor=operator, incident=fire, units=[fire_unit], now=minutes(1))
    services.mark_on_scene(actor=operator, incident=fire, now=minutes(8))
    medical = receive(
        operator,
        at=minutes(4),
        incident_type="medical",
        description="Ibu Siti pingsan, telepon 0813-9999-8888.",
    )
    crime = receive(
        operator, at=minutes(9), incident_type="crime", location=services.Location(address="Pasar")
    )
    return {"closed": closed, "fire": fire, "medical": medical, "crime": crime}


def test_wall_counters(board, ambulance):
    counters = wall_selectors.wall_counters(minutes(10))

    assert counters == [
        WallCounter("emergencies_active", "Kejadian 112 aktif", 3, "warning"),
        WallCounter("emergencies_waiting_dispatch", "112 menunggu pengerahan", 2, "warning"),
        WallCounter("emergencies_breaching", "112 melewati target", 1, "danger"),
        WallCounter("emergencies_units_free", "Unit respons siaga", 2, "info"),
    ]


def test_wall_counters_on_a_quiet_day(db):
    assert [(c.key, c.value, c.severity) for c in wall_selectors.wall_counters(T0)] == [
        ("emergencies_active", 0, "info"),
        ("emergencies_waiting_dispatch", 0, "info"),
        ("emergencies_breaching", 0, "info"),
        ("emergencies_units_free", 0, "danger"),
    ]


def test_wall_events_newest_first_after_since(board):
    events = wall_selectors.wall_events(minutes(1), minutes(10), 10)

    fire, medical, crime = board["fire"], board["medical"], board["crime"]
    assert [(e.at, e.title) for e in events] == [
        (minutes(9), f"{crime.reference} · Kriminalitas: panggilan diterima"),
        (
            minutes(8),
            f"{fire.reference} · Kebakaran di Kelurahan Melati: Damkar Pos Pusat 1 tiba di lokasi",
        ),
        (
            minutes(4),
            f"{medical.reference} · Kedaruratan medis di Kelurahan Melati: panggilan diterima",
        ),
    ]
    assert all(e.source == "emergencies" for e in events)
    assert events[0].url == f"/ruang-kendali/112/{crime.reference}/"
    assert [e.severity for e in events] == ["warning", "info", "warning"]
    since_yesterday = wall_selectors.wall_events(T0 - dt.timedelta(days=1), minutes(10), 50)
    assert len({e.key for e in since_yesterday}) == 9


def test_wall_events_respects_limit_and_now(board):
    assert len(wall_selectors.wall_events(T0 - dt.timedelta(days=1), minutes(10), 2)) == 2
    assert wall_selectors.wall_events(minutes(9), minutes(10), 10) == []
    assert [e.at for e in wall_selectors.wall_events(minutes(1), minutes(8), 10)] == [
        minutes(8),
        minutes(4),
    ]


def test_wall_never_shows_caller_name_phone_or_description(board):
    day_before = T0 - dt.timedelta(days=1)
    texts = [e.title for e in wall_selectors.wall_events(day_before, minutes(30), 50)]
    texts += [e.title for e in wall_selectors.wall_breaches(minutes(30))]
    texts += [p.label for p in wall_selectors.wall_map_points(minutes(30))]

    joined = " ".join(texts)
    assert "Budi" not in joined and "Siti" not in joined
    assert "0812" not in joined and "0813" not in joined and "+62" not in joined
    assert "pingsan" not in joined


def test_wall_map_points_are_active_incidents_with_a_point(board):
    points = wall_selectors.wall_map_points(minutes(10))

    fire, medical = board["fire"], board["medical"]
    assert points == [
        MapPoint(
            key=f"emergency:{medical.reference}",
            source="emergencies",
            latitude=-6.2,
            longitude=106.62,
            label=f"{medical.reference} · Kedaruratan medis di Kelurahan Melati · Diterima · "
            "melewati target",
            colour=wall_selectors.BREACH_COLOUR,
            url=f"/ruang-kendali/112/{medical.reference}/",
        ),
        MapPoint(
            key=f"emergency:{fire.reference}",
            source="emergencies",
            latitude=-6.2,
            longitude=106.62,
            label=f"{fire.reference} · Kebakaran di Kelurahan Melati · Unit di lokasi",
            colour="#1f6feb",
            url=f"/ruang-kendali/112/{fire.reference}/",
        ),
    ]


def test_wall_breaches_list_pending_stages_past_target(board):
    medical, crime = board["medical"], board["crime"]

    assert wall_selectors.wall_breaches(minutes(7)) == []  # medical due at exactly T0+7
    assert wall_selectors.wall_breaches(minutes(10)) == [
        WallEvent(
            key=f"emergency:{medical.reference}:breach:dispatch",
            at=minutes(7),
            source="emergencies",
            title=f"{medical.reference} · Kedaruratan medis di Kelurahan Melati: belum ada unit "
            "dikerahkan, target 3 menit terlewati 3 menit",
            severity="danger",
            url=f"/ruang-kendali/112/{medical.reference}/",
        )
    ]
    later = wall_selectors.wall_breaches(minutes(30))
    assert [e.key for e in later] == [
        f"emergency:{medical.reference}:breach:dispatch",
        f"emergency:{crime.reference}:breach:dispatch",
        f"emergency:{medical.reference}:breach:arrival",
        f"emergency:{crime.reference}:breach:arrival",
    ]


def test_daily_figures(operator, kelurahan, fire_unit, ambulance):
    fast = receive(operator, at=minutes(0))
    services.dispatch_units(actor=operator, incident=fast, units=[fire_unit], now=minutes(2))
    services.mark_on_scene(actor=operator, incident=fast, now=minutes(10))
    slow = receive(operator, at=minutes(5), incident_type="medical")
    services.dispatch_units(actor=operator, incident=slow, units=[ambulance], now=minutes(11))
    services.mark_on_scene(actor=operator, incident=slow, now=minutes(25))
    services.cancel_incident(
        actor=operator,
        incident=receive(operator, at=minutes(6)),
        reason="Iseng.",
        false_call=True,
        now=minutes(7),
    )
    receive(operator, at=T0 + dt.timedelta(days=1))  # the next day

    figures = wall_selectors.daily_figures(T0 - dt.timedelta(hours=2), T0 + dt.timedelta(hours=22))

    assert [(f.key, f.value, f.unit, f.better) for f in figures] == [
        ("emergencies_calls", 3, "", "neutral"),
        ("emergencies_false_calls", 1, "", "lower"),
        ("emergencies_dispatch_minutes", 4.0, "menit", "lower"),
        ("emergencies_arrival_minutes", 15.0, "menit", "lower"),
        ("emergencies_arrival_on_target", 50.0, "%", "higher"),
    ]


def test_daily_figures_of_a_quiet_day(db):
    figures = wall_selectors.daily_figures(T0, T0 + dt.timedelta(days=1))

    assert [f.value for f in figures] == [0, 0, None, None, None]
