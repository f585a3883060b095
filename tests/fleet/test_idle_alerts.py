"""Idle periods as alerts on core's lifecycle: the ingest opens one per stop (never a second for
the same stop) and resolves it when the vehicle moves on; staff of the vehicle's agency and the
control room acknowledge or resolve it; anyone else is refused and nothing changes."""

from __future__ import annotations

import pytest

from terang.core.choices import Role
from terang.core.errors import InvalidTransition, PermissionDenied
from terang.core.models import AuditEntry
from terang.fleet import services
from terang.fleet.models import IdlePeriod, LatestPosition
from terang.fleet.services.alerts import raise_idle_alert
from tests.factories import make_staff

from .conftest import as_json, at, audit_trail, fix, ingest, snapshot

pytestmark = pytest.mark.django_db


def standing(minutes: list[float]) -> list[dict]:
    return [fix(m, speed=0) for m in minutes]


def drive_away(minute: float) -> dict:
    return fix(minute, north=400, speed=25)


# -- the ingest --------------------------------------------------------------------------------


def test_an_idle_stop_opens_one_alert_and_its_later_fixes_do_not_repeat_it(truck) -> None:
    ingest(truck, as_json(standing([0, 10, 20])))
    ingest(truck, as_json(standing([25, 30])))
    period = IdlePeriod.objects.get()
    assert (period.status, period.occurrences, period.last_seen_at) == ("open", 1, at(30))
    assert audit_trail(period) == [("fleet_idle_alert.raised", "system")]


def test_the_same_stop_seen_again_does_not_open_a_second_alert(idle_truck, truck) -> None:
    # The live state lost its link to the period (as after a restore): the stop is found again.
    LatestPosition.objects.filter(vehicle=truck).update(open_idle=None)
    ingest(truck, as_json(standing([25])))
    again = raise_idle_alert(
        vehicle_id=truck.pk,
        started_at=idle_truck.started_at,
        idle_at=idle_truck.idle_at,
        seen_at=at(26),
        latitude=idle_truck.latitude,
        longitude=idle_truck.longitude,
        now=at(26),
    )
    assert again.pk == idle_truck.pk
    assert IdlePeriod.objects.count() == 1
    assert LatestPosition.objects.get(vehicle=truck).open_idle_id == idle_truck.pk
    assert snapshot(idle_truck)[0] == "open"
    assert audit_trail(idle_truck) == [("fleet_idle_alert.raised", "system")]


def test_a_stop_resolved_by_staff_stays_resolved_while_the_vehicle_stands(
    idle_truck, truck
) -> None:
    operator = make_staff(Role.OPERATOR)
    services.resolve_idle_alert(
        actor=operator, alert=idle_truck, note="Truk mogok, derek dipanggil"
    )
    LatestPosition.objects.filter(vehicle=truck).update(open_idle=None)
    ingest(truck, as_json(standing([25])))
    assert IdlePeriod.objects.count() == 1
    assert snapshot(idle_truck)[:3] == ("resolved", None, operator.pk)


def test_moving_on_resolves_the_alert_without_an_actor(idle_truck, truck) -> None:
    ingest(truck, as_json(standing([25]) + [drive_away(26)]))
    idle_truck.refresh_from_db()
    assert (idle_truck.ended_at, idle_truck.status) == (at(25), "resolved")
    assert idle_truck.resolved_by is None and idle_truck.resolved_at is not None
    assert audit_trail(idle_truck) == [
        ("fleet_idle_alert.raised", "system"),
        ("fleet_idle_alert.ended", "system"),
    ]
    entry = AuditEntry.objects.get(action="fleet_idle_alert.ended")
    assert entry.payload["ended_at"] == at(25).isoformat()
    assert entry.payload["status"] == "resolved"


def test_an_acknowledged_alert_is_resolved_too_when_the_vehicle_moves_on(idle_truck, truck) -> None:
    operator = make_staff(Role.OPERATOR)
    services.acknowledge_idle_alert(actor=operator, alert=idle_truck)
    ingest(truck, as_json([drive_away(21)]))
    idle_truck.refresh_from_db()
    assert (idle_truck.status, idle_truck.acknowledged_by, idle_truck.resolved_by) == (
        "resolved",
        operator,
        None,
    )


def test_moving_on_after_staff_resolved_it_keeps_their_resolution(idle_truck, truck) -> None:
    operator = make_staff(Role.OPERATOR)
    services.resolve_idle_alert(actor=operator, alert=idle_truck, note="Sudah ditelepon")
    ingest(truck, as_json([drive_away(21)]))
    idle_truck.refresh_from_db()
    assert (idle_truck.status, idle_truck.resolved_by, idle_truck.resolution_note) == (
        "resolved",
        operator,
        "Sudah ditelepon",
    )
    assert idle_truck.ended_at == at(20)
    assert [action for action, _ in audit_trail(idle_truck)] == [
        "fleet_idle_alert.raised",
        "fleet_idle_alert.resolved",
    ]


def test_the_next_idle_stop_opens_a_new_alert(idle_truck, truck) -> None:
    ingest(truck, as_json([drive_away(21)] + [fix(m, north=900, speed=0) for m in (30, 40, 50)]))
    first, second = IdlePeriod.objects.order_by("started_at")
    assert (first.pk, first.status, second.status) == (idle_truck.pk, "resolved", "open")


# -- the services ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.ADMIN, "officer_dlh", "head_dlh"])
def test_who_may_acknowledge_and_resolve(idle_truck, dlh, role) -> None:
    if role == "officer_dlh":
        user = make_staff(Role.OFFICER, agency=dlh)
    elif role == "head_dlh":
        user = make_staff(Role.AGENCY_HEAD, agency=dlh)
    else:
        user = make_staff(role)
    services.acknowledge_idle_alert(actor=user, alert=idle_truck)
    services.resolve_idle_alert(actor=user, alert=idle_truck, note="  Sopir sudah jalan  ")
    idle_truck.refresh_from_db()
    assert (idle_truck.status, idle_truck.acknowledged_by, idle_truck.resolved_by) == (
        "resolved",
        user,
        user,
    )
    assert idle_truck.resolution_note == "Sopir sudah jalan"
    assert [action for action, _ in audit_trail(idle_truck)] == [
        "fleet_idle_alert.raised",
        "fleet_idle_alert.acknowledged",
        "fleet_idle_alert.resolved",
    ]


@pytest.mark.parametrize("role", ["citizen", "officer_dishub", Role.INSPECTORATE])
def test_others_are_refused_and_nothing_changes(idle_truck, dishub, role) -> None:
    if role == "citizen":
        user = make_staff(Role.CITIZEN, with_device=False)
    elif role == "officer_dishub":
        user = make_staff(Role.OFFICER, agency=dishub)
    else:
        user = make_staff(role)
    before = snapshot(idle_truck)
    with pytest.raises(PermissionDenied):
        services.acknowledge_idle_alert(actor=user, alert=idle_truck)
    with pytest.raises(PermissionDenied):
        services.resolve_idle_alert(actor=user, alert=idle_truck, note="x")
    assert snapshot(idle_truck) == before


def test_a_resolved_alert_cannot_be_acknowledged_or_resolved_again(idle_truck) -> None:
    operator = make_staff(Role.OPERATOR)
    services.resolve_idle_alert(actor=operator, alert=idle_truck)
    before = snapshot(idle_truck)
    with pytest.raises(InvalidTransition):
        services.acknowledge_idle_alert(actor=operator, alert=idle_truck)
    with pytest.raises(InvalidTransition):
        services.resolve_idle_alert(actor=operator, alert=idle_truck)
    assert snapshot(idle_truck) == before
