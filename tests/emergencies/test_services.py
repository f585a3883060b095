# ruff: noqa: F811 - fixtures from conftest are used by name
"""The 112 lifecycle through the services: timestamps, events, audit, refusals."""

from __future__ import annotations

import pytest

from terang.core.audit import verify_audit_log
from terang.core.crypto import digest
from terang.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from terang.core.models import AuditEntry
from terang.emergencies import services
from terang.emergencies.choices import IncidentStatus
from terang.emergencies.models import Dispatch, Incident, IncidentEvent, ResponseTarget

from .conftest import POINT, T0, minutes, receive

pytestmark = pytest.mark.django_db


def snapshot(incident: Incident) -> tuple:
    incident.refresh_from_db()
    return (
        incident.status,
        incident.dispatched_at,
        incident.on_scene_at,
        incident.closed_at,
        incident.closing_note,
        IncidentEvent.objects.filter(incident=incident).count(),
        AuditEntry.objects.filter(chain=f"emergencies.incident:{incident.pk}").count(),
        list(Dispatch.objects.filter(incident=incident).values_list("arrived_at", "released_at")),
    )


def test_receive_call_stores_the_call_with_targets_and_encrypted_phone(operator, kelurahan):
    incident = receive(operator)

    assert incident.reference == "112-2026-000001"
    assert incident.status == IncidentStatus.RECEIVED
    assert incident.received_at == T0
    assert incident.dispatch_due_at == minutes(3)
    assert incident.arrival_due_at == minutes(15)
    assert incident.kelurahan == kelurahan
    assert incident.created_by == operator
    assert incident.caller_phone == "+6281234567890"
    assert "6281234567890" not in incident.caller_phone_encrypted
    assert incident.caller_phone_digest == digest("+6281234567890")
    assert [e.kind for e in incident.events.all()] == ["received"]
    entry = AuditEntry.objects.get(chain=f"emergencies.incident:{incident.pk}")
    assert entry.action == "emergency.received"
    assert "Budi" not in str(entry.payload) and "812" not in str(entry.payload)


def test_references_count_up_per_year(operator, kelurahan):
    first = receive(operator)
    second = receive(operator, at=minutes(1))

    assert (first.reference, second.reference) == ("112-2026-000001", "112-2026-000002")


def test_targets_come_from_the_city_rows(operator, kelurahan):
    ResponseTarget.objects.filter(incident_type="crime").update(
        dispatch_minutes=2, arrival_minutes=25
    )

    incident = receive(operator, incident_type="crime")

    assert incident.dispatch_due_at == minutes(2)
    assert incident.arrival_due_at == minutes(25)


def test_default_targets_are_fifteen_minutes_for_medical_and_twenty_otherwise(operator, kelurahan):
    medical = receive(operator, incident_type="medical")
    traffic = receive(operator, incident_type="traffic_accident")

    assert medical.arrival_due_at == minutes(15)
    assert traffic.arrival_due_at == minutes(20)
    assert traffic.dispatch_due_at == minutes(3)


def test_full_lifecycle_sets_every_timestamp(operator, incident, fire_unit, ambulance):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit], now=minutes(2))
    services.dispatch_units(actor=operator, incident=incident, units=[ambulance], now=minutes(4))
    services.mark_on_scene(actor=operator, incident=incident, unit=fire_unit, now=minutes(11))
    services.mark_on_scene(actor=operator, incident=incident, unit=ambulance, now=minutes(13))
    closed = services.close_incident(
        actor=operator,
        incident=incident,
        note="Api padam, satu korban dibawa ke RSUD.",
        now=minutes(50),
    )

    assert closed.status == IncidentStatus.CLOSED
    assert (closed.received_at, closed.dispatched_at, closed.on_scene_at, closed.closed_at) == (
        T0,
        minutes(2),
        minutes(11),
        minutes(50),
    )
    assert closed.closing_note == "Api padam, satu korban dibawa ke RSUD."
    rows = list(
        Dispatch.objects.filter(incident=closed)
        .order_by("pk")
        .values_list("unit__code", "dispatched_at", "arrived_at", "released_at")
    )
    assert rows == [
        ("DMK-01", minutes(2), minutes(11), minutes(50)),
        ("AMB-01", minutes(4), minutes(13), minutes(50)),
    ]
    assert list(closed.events.values_list("kind", "from_status", "to_status")) == [
        ("received", "", "received"),
        ("dispatched", "received", "dispatched"),
        ("dispatched", "dispatched", ""),
        ("unit_on_scene", "dispatched", "on_scene"),
        ("unit_on_scene", "on_scene", ""),
        ("closed", "on_scene", "closed"),
    ]
    actions = list(
        AuditEntry.objects.filter(chain=f"emergencies.incident:{closed.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "emergency.received",
        "emergency.dispatched",
        "emergency.dispatched",
        "emergency.on_scene",
        "emergency.on_scene",
        "emergency.closed",
    ]
    assert verify_audit_log().ok


def test_on_scene_without_unit_marks_every_pending_unit(operator, incident, fire_unit, ambulance):
    services.dispatch_units(
        actor=operator, incident=incident, units=[fire_unit, ambulance], now=minutes(1)
    )

    services.mark_on_scene(actor=operator, incident=incident, now=minutes(9))

    assert set(Dispatch.objects.values_list("arrived_at", flat=True)) == {minutes(9)}


def test_cancel_and_false_call_free_the_units(operator, kelurahan, fire_unit, ambulance):
    first = receive(operator)
    second = receive(operator, at=minutes(1))
    services.dispatch_units(actor=operator, incident=first, units=[fire_unit], now=minutes(2))
    services.dispatch_units(actor=operator, incident=second, units=[ambulance], now=minutes(2))
    services.mark_on_scene(actor=operator, incident=second, now=minutes(8))

    cancelled = services.cancel_incident(
        actor=operator,
        incident=first,
        reason="Penelepon: api sudah dipadamkan warga.",
        now=minutes(5),
    )
    false_call = services.cancel_incident(
        actor=operator,
        incident=second,
        reason="Tidak ada kejadian di lokasi.",
        false_call=True,
        now=minutes(9),
    )

    assert (cancelled.status, cancelled.closed_at) == (IncidentStatus.CANCELLED, minutes(5))
    assert (false_call.status, false_call.closed_at) == (IncidentStatus.FALSE_CALL, minutes(9))
    assert not Dispatch.objects.filter(released_at__isnull=True).exists()
    third = receive(operator, at=minutes(10))
    third = services.dispatch_units(
        actor=operator, incident=third, units=[fire_unit], now=minutes(11)
    )
    assert third.status == IncidentStatus.DISPATCHED


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ([], "on_scene"),
        ([], "close"),
        (["dispatch"], "close"),
        (["dispatch", "on_scene", "close"], "dispatch"),
        (["dispatch", "on_scene", "close"], "cancel"),
        (["dispatch", "on_scene"], "cancel"),
        (["cancel"], "dispatch"),
        (["cancel"], "false_call"),
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(
    operator, incident, fire_unit, steps, action
):
    def run(name: str) -> None:
        if name == "dispatch":
            services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])
        elif name == "on_scene":
            services.mark_on_scene(actor=operator, incident=incident)
        elif name == "close":
            services.close_incident(actor=operator, incident=incident, note="Selesai ditangani.")
        elif name == "cancel":
            services.cancel_incident(actor=operator, incident=incident, reason="Batal oleh warga.")
        elif name == "false_call":
            services.cancel_incident(
                actor=operator, incident=incident, reason="Iseng.", false_call=True
            )

    for step in steps:
        run(step)
    before = snapshot(incident)

    with pytest.raises(InvalidTransition) as caught:
        run(action)

    assert caught.value.code == "invalid_transition"
    assert snapshot(incident) == before


def test_busy_unit_cannot_be_sent_twice(operator, kelurahan, fire_unit, ambulance):
    first = receive(operator)
    second = receive(operator, at=minutes(1))
    services.dispatch_units(actor=operator, incident=first, units=[fire_unit], now=minutes(1))
    before = snapshot(second)

    with pytest.raises(services.UnitBusy) as caught:
        services.dispatch_units(actor=operator, incident=second, units=[ambulance, fire_unit])

    assert caught.value.code == "unit_busy"
    assert caught.value.status == 409
    assert caught.value.details["units"] == ["DMK-01"]
    assert caught.value.details["incidents"] == [first.reference]
    assert "DMK-01" in str(caught.value.message)
    assert snapshot(second) == before
    assert Dispatch.objects.filter(unit=ambulance).count() == 0


def test_same_unit_cannot_be_sent_twice_to_one_incident(operator, incident, fire_unit):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])
    before = snapshot(incident)

    with pytest.raises(services.UnitBusy):
        services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])

    assert snapshot(incident) == before


def test_unit_out_of_service_is_refused(operator, incident, fire_unit):
    fire_unit.is_available = False
    fire_unit.save()
    before = snapshot(incident)

    with pytest.raises(services.UnitUnavailable) as caught:
        services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])

    assert caught.value.code == "unit_unavailable"
    assert snapshot(incident) == before


def test_dispatch_needs_a_unit(operator, incident):
    with pytest.raises(ValidationFailed) as caught:
        services.dispatch_units(actor=operator, incident=incident, units=[])

    assert caught.value.details == {"field": "units"}


def test_unit_already_on_scene_is_refused(operator, incident, fire_unit):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])
    services.mark_on_scene(actor=operator, incident=incident, unit=fire_unit)
    before = snapshot(incident)

    with pytest.raises(ValidationFailed) as caught:
        services.mark_on_scene(actor=operator, incident=incident, unit=fire_unit)

    assert caught.value.details["reason"] == "already_on_scene"
    assert snapshot(incident) == before


def test_unit_not_sent_to_the_incident_cannot_arrive(operator, incident, fire_unit, ambulance):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])
    before = snapshot(incident)

    with pytest.raises(ValidationFailed) as caught:
        services.mark_on_scene(actor=operator, incident=incident, unit=ambulance)

    assert caught.value.details["reason"] == "unit_not_dispatched"
    assert snapshot(incident) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"incident_type": "alien"}, "incident_type"),
        ({"description": "  "}, "description"),
        ({"caller_phone": "12345"}, "caller_phone"),
        ({"location": services.Location()}, "location"),
        ({"location": services.Location(latitude=-6.2)}, "location"),
        ({"location": services.Location(latitude=-7.5, longitude=110.0)}, "location"),
    ],
)
def test_receive_call_validates_input_and_saves_nothing(operator, kelurahan, fields, field):
    with pytest.raises(ValidationFailed) as caught:
        receive(operator, **fields)

    assert caught.value.details["field"] == field
    assert Incident.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_landline_and_address_only_calls_are_accepted(operator, kelurahan):
    incident = receive(
        operator, caller_phone="(021) 555 1234", location=services.Location(address="Pasar Baru")
    )

    assert incident.caller_phone == "+62215551234"
    assert (incident.latitude, incident.kelurahan) == (None, None)


def test_phone_is_optional(operator, kelurahan):
    incident = receive(operator, caller_phone="", caller_name="")

    assert (incident.caller_phone_encrypted, incident.caller_phone_digest) == ("", "")


# Who may act -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["citizen", "fire_officer", "fire_head", "inspector"])
def test_only_call_takers_receive_calls(request, kelurahan, who):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        receive(actor)

    assert Incident.objects.count() == 0


def test_admin_can_receive_calls(admin_user, kelurahan):
    assert receive(admin_user).created_by == admin_user


@pytest.mark.parametrize("who", ["citizen", "fire_officer", "inspector"])
def test_only_call_takers_dispatch_and_cancel(request, incident, fire_unit, who):
    actor = request.getfixturevalue(who)
    before = snapshot(incident)

    with pytest.raises(PermissionDenied):
        services.dispatch_units(actor=actor, incident=incident, units=[fire_unit])
    with pytest.raises(PermissionDenied):
        services.cancel_incident(actor=actor, incident=incident, reason="Tidak perlu lagi.")

    assert snapshot(incident) == before


def test_officer_of_the_unit_agency_marks_on_scene_and_closes(
    operator, fire_officer, incident, fire_unit
):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])

    services.mark_on_scene(actor=fire_officer, incident=incident)
    closed = services.close_incident(actor=fire_officer, incident=incident, note="Api padam.")

    assert closed.status == IncidentStatus.CLOSED
    assert closed.closed_by == fire_officer
    assert incident.events.get(kind="unit_on_scene").actor == fire_officer


def test_officer_of_another_agency_cannot_mark_on_scene_or_close(
    operator, health_officer, citizen, incident, fire_unit
):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])
    before = snapshot(incident)

    for actor in (health_officer, citizen):
        with pytest.raises(PermissionDenied):
            services.mark_on_scene(actor=actor, incident=incident)
    assert snapshot(incident) == before
    services.mark_on_scene(actor=operator, incident=incident)
    before = snapshot(incident)

    for actor in (health_officer, citizen):
        with pytest.raises(PermissionDenied):
            services.close_incident(actor=actor, incident=incident, note="Bukan urusan saya.")

    assert snapshot(incident) == before


def test_officer_marks_only_the_units_of_his_agency(
    operator, fire_officer, incident, fire_unit, ambulance
):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit, ambulance])

    services.mark_on_scene(actor=fire_officer, incident=incident)

    arrived = dict(Dispatch.objects.values_list("unit__code", "arrived_at"))
    assert arrived["AMB-01"] is None
    assert arrived["DMK-01"] is not None
    with pytest.raises(PermissionDenied):
        services.mark_on_scene(actor=fire_officer, incident=incident, unit=ambulance)


def test_close_needs_a_note(operator, incident, fire_unit):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])
    services.mark_on_scene(actor=operator, incident=incident)
    before = snapshot(incident)

    with pytest.raises(ValidationFailed) as caught:
        services.close_incident(actor=operator, incident=incident, note=" ")

    assert caught.value.details["field"] == "note"
    assert snapshot(incident) == before


def test_location_point_gives_the_kelurahan(operator, kelurahan):
    incident = receive(operator, location=POINT)

    assert incident.kelurahan.code == "99.71.01.1001"
