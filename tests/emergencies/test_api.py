# ruff: noqa: F811 - fixtures from conftest are used by name
"""The 112 JSON API: shapes, the error envelope and its codes, and who may call what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from terang.core.models import AuditEntry
from terang.emergencies import services
from terang.emergencies.choices import IncidentStatus
from terang.emergencies.models import Dispatch, Incident
from tests.helpers import client_for

from .conftest import receive

pytestmark = pytest.mark.django_db
API = "/api/v1/emergencies"
BODY = {
    "incident_type": "medical",
    "description": "Pria tua jatuh dan tidak sadarkan diri.",
    "caller_name": "Rina",
    "caller_phone": "+62 811 222 333",
    "latitude": -6.2,
    "longitude": 106.62,
    "address": "Jl. Melati No. 9",
}


def error(response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return response.json()["error"]


def post(client: Client, path: str, data: dict, **headers):  # type: ignore[no-untyped-def,type-arg]
    return client.post(path, data, content_type="application/json", **headers)


def test_receive_call_returns_the_incident(operator, kelurahan):
    response = post(client_for(operator), f"{API}/", BODY)

    assert response.status_code == 201
    data = response.json()
    assert data["reference"] == f"112-{timezone.localdate().year}-000001"
    assert data["status"] == "received"
    assert data["incident_type_label"] == "Kedaruratan medis"
    assert data["kelurahan"] == {"code": "99.71.01.1001", "name": "Kelurahan Melati"}
    assert data["caller"] == {
        "name": "Rina",
        "phone": "+62811222333",
        "phone_unreadable": False,
        "earlier_calls_30_days": 0,
    }
    assert data["dispatch"]["target_minutes"] == 3
    assert data["arrival"]["target_minutes"] == 15
    assert data["dispatch"]["state"] == "pending"
    assert data["units"] == [] and data["dispatches"] == []
    assert [e["kind"] for e in data["events"]] == ["received"]
    assert data["received_by"] == "Operator"


def test_idempotency_key_replays_the_first_incident(operator, kelurahan):
    client = client_for(operator)

    first = post(client, f"{API}/", BODY, HTTP_IDEMPOTENCY_KEY="abc-1-retry-keys")
    again = post(client, f"{API}/", BODY, HTTP_IDEMPOTENCY_KEY="abc-1-retry-keys")
    other = post(
        client, f"{API}/", {**BODY, "description": "Lain"}, HTTP_IDEMPOTENCY_KEY="abc-1-retry-keys"
    )

    assert again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"]
    assert other.status_code == 409
    assert error(other)["code"] == "conflict"
    assert Incident.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("citizen", 403, "permission_denied"),
        ("fire_officer", 403, "permission_denied"),
        ("inspector", 403, "permission_denied"),
    ],
)
def test_receive_call_is_for_call_takers(request, kelurahan, who, status, code):
    user = request.getfixturevalue(who) if who else None

    response = post(client_for(user), f"{API}/", BODY)

    assert response.status_code == status
    assert error(response)["code"] == code
    assert Incident.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"incident_type": "alien"}, None),
        ({"latitude": None, "longitude": None, "address": ""}, "location"),
        ({"caller_phone": "123"}, "caller_phone"),
        ({"latitude": -7.5, "longitude": 110.0}, "location"),
    ],
)
def test_receive_call_validation_errors_are_422(operator, kelurahan, body, field):
    response = post(client_for(operator), f"{API}/", {**BODY, **body})

    assert response.status_code == 422
    assert error(response)["code"] == "validation_error"
    if field:
        assert error(response)["details"]["field"] == field
    assert Incident.objects.count() == 0


def test_active_list_shape_and_scope(operator, fire_officer, kelurahan, fire_unit, ambulance):
    fire = receive(operator)
    services.dispatch_units(actor=operator, incident=fire, units=[fire_unit])
    medical = receive(operator, incident_type="medical")
    services.dispatch_units(actor=operator, incident=medical, units=[ambulance])
    closed = receive(operator)
    services.cancel_incident(actor=operator, incident=closed, reason="Duplikat panggilan.")

    everything = client_for(operator).get(f"{API}/").json()["items"]
    mine = client_for(fire_officer).get(f"{API}/").json()["items"]

    assert [i["reference"] for i in everything] == [fire.reference, medical.reference]
    assert [i["reference"] for i in mine] == [fire.reference]
    item = mine[0]
    assert item["units"] == ["DMK-01"]
    assert item["status"] == "dispatched"
    assert item["dispatch"]["breached"] is True  # received at T0, long ago
    assert set(item) >= {"elapsed_minutes", "arrival", "received_at", "kelurahan"}
    assert "caller" not in item and "description" not in item


def test_active_list_query_count_is_flat(
    operator, kelurahan, fire_unit, ambulance, police_unit, django_assert_max_num_queries
):
    for unit in (fire_unit, ambulance, police_unit):
        services.dispatch_units(actor=operator, incident=receive(operator), units=[unit])
    client = client_for(operator)

    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/")

    assert len(response.json()["items"]) == 3


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("citizen", 403), ("inspector", 200), ("operator", 200)]
)
def test_list_permission_matrix(request, who, status):
    user = request.getfixturevalue(who) if who else None

    assert client_for(user).get(f"{API}/").status_code == status


def test_detail_404_for_unknown_and_for_other_agency(operator, health_officer, incident):
    assert client_for(operator).get(f"{API}/112-2026-999999").status_code == 404
    response = client_for(health_officer).get(f"{API}/{incident.reference}")
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"


def test_dispatch_on_scene_close_through_the_api(operator, fire_officer, incident, fire_unit):
    operator_client = client_for(operator)
    officer_client = client_for(fire_officer)

    sent = post(operator_client, f"{API}/{incident.reference}/dispatch", {"units": ["dmk-01"]})
    arrived = post(officer_client, f"{API}/{incident.reference}/on-scene", {"unit": "DMK-01"})
    closed = post(officer_client, f"{API}/{incident.reference}/close", {"note": "Api padam."})

    assert sent.status_code == 200 and sent.json()["status"] == "dispatched"
    assert sent.json()["dispatches"][0]["unit"] == "DMK-01"
    assert arrived.status_code == 200 and arrived.json()["status"] == "on_scene"
    assert closed.status_code == 200
    data = closed.json()
    assert data["status"] == "closed"
    assert data["closing_note"] == "Api padam."
    assert data["dispatches"][0]["released_at"] is not None
    assert [e["kind"] for e in data["events"]] == [
        "received",
        "dispatched",
        "unit_on_scene",
        "closed",
    ]


def test_busy_unit_is_409_unit_busy(operator, kelurahan, fire_unit):
    first = receive(operator)
    second = receive(operator)
    services.dispatch_units(actor=operator, incident=first, units=[fire_unit])

    response = post(
        client_for(operator), f"{API}/{second.reference}/dispatch", {"units": ["DMK-01"]}
    )

    assert response.status_code == 409
    assert error(response)["code"] == "unit_busy"
    assert error(response)["details"]["incidents"] == [first.reference]
    assert Dispatch.objects.filter(incident=second).count() == 0


def test_unknown_unit_is_422(operator, incident):
    response = post(client_for(operator), f"{API}/{incident.reference}/dispatch", {"units": ["X"]})

    assert response.status_code == 422
    assert error(response)["details"] == {
        "field": "units",
        "reason": "unknown_unit",
        "units": ["X"],
    }


def test_invalid_transition_is_409_and_changes_nothing(operator, incident):
    audits = AuditEntry.objects.count()

    response = post(client_for(operator), f"{API}/{incident.reference}/close", {"note": "Selesai."})

    assert response.status_code == 409
    assert error(response)["code"] == "invalid_transition"
    assert error(response)["details"]["from"] == "received"
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RECEIVED
    assert AuditEntry.objects.count() == audits


def test_officer_cannot_dispatch_or_cancel(operator, fire_officer, incident, fire_unit):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])
    client = client_for(fire_officer)
    audits = AuditEntry.objects.count()

    dispatch = post(client, f"{API}/{incident.reference}/dispatch", {"units": ["DMK-01"]})
    cancel = post(client, f"{API}/{incident.reference}/cancel", {"reason": "Tidak jadi."})

    assert (dispatch.status_code, cancel.status_code) == (403, 403)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.DISPATCHED
    assert AuditEntry.objects.count() == audits


def test_cancel_as_false_call(operator, incident):
    response = post(
        client_for(operator),
        f"{API}/{incident.reference}/cancel",
        {"reason": "Anak-anak iseng.", "false_call": True},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "false_call"


def test_units_list(operator, incident, fire_unit, police_unit):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])

    items = client_for(operator).get(f"{API}/units").json()["items"]

    assert [(u["code"], u["busy_on"], u["agency"]) for u in items] == [
        ("DMK-01", incident.reference, {"code": "DAMKAR", "name": "Dinas Pemadam Kebakaran"}),
        ("POL-01", None, None),
    ]
