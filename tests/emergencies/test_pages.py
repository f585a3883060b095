# ruff: noqa: F811 - fixtures from conftest are used by name
"""The 112 desk pages with the Django test client: who may open them, and the whole no-JS
flow from the call-taker form to closing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terang.core.models import AuditEntry
from terang.emergencies import services
from terang.emergencies.choices import IncidentStatus
from terang.emergencies.models import Dispatch, Incident

from .conftest import login_staff, make_user, receive

pytestmark = pytest.mark.django_db

FORM = {
    "incident_type": "fire",
    "description": "Gudang kayu terbakar, api membesar.",
    "address": "Jl. Melati No. 1",
    "latitude": "-6.2",
    "longitude": "106.62",
    "caller_name": "Siti Aminah",
    "caller_phone": "0812 1111 2222",
    "idempotency_key": "kunci-uji-1-panggilan",
}


def test_call_taker_flow_without_javascript(
    client, operator, kelurahan, fire_unit, ambulance, police_unit
):
    login_staff(client, operator)

    page = client.get(reverse("emergencies:receive"))
    assert page.status_code == 200
    assert 'name="incident_type"' in page.content.decode()

    response = client.post(reverse("emergencies:receive"), FORM)
    incident = Incident.objects.get()
    detail_url = reverse("emergencies:detail", args=[incident.reference])
    assert response.status_code == 302
    assert response["Location"] == detail_url

    page = client.get(detail_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Siti Aminah" in html and "+6281211112222" in html
    assert 'value="DMK-01"' in html and 'value="AMB-01"' in html
    # the kinds sent to fires first, nearest base first; the police patrol after them
    positions = [html.index(f'value="{code}"') for code in ("AMB-01", "DMK-01", "POL-01")]
    assert positions == sorted(positions)
    assert "1,1 km dari markas" in html and "disarankan" in html

    response = client.post(
        reverse("emergencies:dispatch", args=[incident.reference]),
        {"dispatch-units": ["DMK-01", "AMB-01"]},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.DISPATCHED

    response = client.post(
        reverse("emergencies:on_scene", args=[incident.reference]), {"on_scene-unit": "DMK-01"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ON_SCENE

    response = client.post(
        reverse("emergencies:close", args=[incident.reference]),
        {"close-note": "Api padam dalam 20 menit, tidak ada korban."},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.closing_note == "Api padam dalam 20 menit, tidak ada korban."
    assert not Dispatch.objects.filter(released_at__isnull=True).exists()

    page = client.get(detail_url)
    assert "Api padam dalam 20 menit" in page.content.decode()


def test_double_submitted_call_opens_one_incident(client, operator, kelurahan):
    login_staff(client, operator)

    first = client.post(reverse("emergencies:receive"), FORM)
    second = client.post(reverse("emergencies:receive"), FORM)

    assert first["Location"] == second["Location"]
    assert Incident.objects.count() == 1


def test_invalid_call_form_shows_errors_and_saves_nothing(client, operator, kelurahan):
    login_staff(client, operator)

    response = client.post(
        reverse("emergencies:receive"),
        {
            **FORM,
            "latitude": "",
            "longitude": "",
            "address": "",
            "idempotency_key": "kunci-uji-2-call",
        },
    )

    assert response.status_code == 422
    assert "Lokasi wajib diisi" in response.content.decode()
    assert Incident.objects.count() == 0


def test_outside_city_is_refused_on_the_address_field(client, operator, kelurahan):
    login_staff(client, operator)

    response = client.post(
        reverse("emergencies:receive"),
        {**FORM, "latitude": "-7.5", "longitude": "110", "idempotency_key": "kunci-uji-3-call"},
    )

    assert response.status_code == 422
    assert "di luar wilayah kota" in response.content.decode()
    assert Incident.objects.count() == 0


def test_busy_unit_is_refused_on_the_page_and_nothing_changes(
    client, operator, kelurahan, fire_unit
):
    first = receive(operator)
    second = receive(operator)
    services.dispatch_units(actor=operator, incident=first, units=[fire_unit])
    login_staff(client, operator)

    response = client.post(
        reverse("emergencies:dispatch", args=[second.reference]), {"dispatch-units": ["DMK-01"]}
    )

    assert response.status_code == 422  # DMK-01 is busy, so it is not among the choices
    second.refresh_from_db()
    assert second.status == IncidentStatus.RECEIVED
    assert Dispatch.objects.filter(incident=second).count() == 0


def test_invalid_transition_rerenders_with_409(client, operator, incident):
    login_staff(client, operator)
    audits = AuditEntry.objects.count()

    response = client.post(
        reverse("emergencies:close", args=[incident.reference]), {"close-note": "Selesai."}
    )

    assert response.status_code == 409
    assert "Perubahan status ini tidak diizinkan." in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RECEIVED
    assert AuditEntry.objects.count() == audits


def test_cancel_from_the_page(client, operator, incident):
    login_staff(client, operator)

    response = client.post(
        reverse("emergencies:cancel", args=[incident.reference]),
        {"cancel-reason": "Penelepon membatalkan.", "cancel-false_call": "on"},
    )

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.FALSE_CALL


def test_list_shows_elapsed_minutes_and_breach_in_words(client, operator, kelurahan):
    import datetime as dt

    from django.utils import timezone

    late = receive(operator, at=timezone.now() - dt.timedelta(minutes=7))
    fresh = receive(operator, at=timezone.now())
    login_staff(client, operator)

    html = client.get(reverse("emergencies:list")).content.decode()

    assert late.reference in html and fresh.reference in html
    assert "Melewati target 4 menit" in html
    assert "1 melewati target" in html
    assert "Budi" not in html and "+62812" not in html  # the list never shows the caller


@pytest.mark.parametrize("name", ["list", "units"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("citizen", 403),
        ("inspector", 200),
        ("fire_officer", 200),
        ("operator", 200),
        ("admin_user", 200),
    ],
)
def test_list_pages_permission_matrix(request, client, name, who, status):
    user = request.getfixturevalue(who)
    if who == "citizen":
        client.force_login(user)
    else:
        login_staff(client, user)

    assert client.get(reverse(f"emergencies:{name}")).status_code == status


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("emergencies:list"))

    assert response.status_code == 302
    assert "/masuk" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("citizen", 403), ("inspector", 403), ("fire_officer", 403), ("operator", 200)],
)
def test_receive_form_is_for_call_takers(request, client, who, status):
    user = request.getfixturevalue(who)
    if who == "citizen":
        client.force_login(user)
    else:
        login_staff(client, user)

    assert client.get(reverse("emergencies:receive")).status_code == status


def test_officer_sees_only_incidents_of_his_agency(
    client, operator, fire_officer, health_officer, kelurahan, fire_unit
):
    sent = receive(operator)
    services.dispatch_units(actor=operator, incident=sent, units=[fire_unit])
    not_sent = receive(operator)
    login_staff(client, fire_officer)

    assert client.get(reverse("emergencies:detail", args=[sent.reference])).status_code == 200
    assert client.get(reverse("emergencies:detail", args=[not_sent.reference])).status_code == 404
    login_staff(client, health_officer)
    assert client.get(reverse("emergencies:detail", args=[sent.reference])).status_code == 404


def test_officer_reports_arrival_and_closes_from_the_page(
    client, operator, fire_officer, incident, fire_unit
):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])
    login_staff(client, fire_officer)

    page = client.get(reverse("emergencies:detail", args=[incident.reference])).content.decode()
    assert "DMK-01 tiba di lokasi" in page
    assert "Kerahkan" not in page  # dispatching is the call-taker's job

    client.post(reverse("emergencies:on_scene", args=[incident.reference]), {})
    client.post(
        reverse("emergencies:close", args=[incident.reference]), {"close-note": "Api padam."}
    )

    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.closed_by == fire_officer


def test_officer_of_another_agency_cannot_close_via_the_page(
    client, operator, fire_unit, ambulance, incident, damkar
):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit, ambulance])
    services.mark_on_scene(actor=operator, incident=incident)
    other = make_user(
        "petugas_dishub", "officer", damkar.__class__.objects.create(code="DISHUB", name="Dishub")
    )
    login_staff(client, other)
    audits = AuditEntry.objects.count()

    response = client.post(
        reverse("emergencies:close", args=[incident.reference]), {"close-note": "Selesai."}
    )

    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ON_SCENE
    assert AuditEntry.objects.count() == audits


def test_health_officer_with_a_unit_on_the_incident_may_close(
    client, operator, health_officer, fire_unit, ambulance, incident
):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit, ambulance])
    services.mark_on_scene(actor=operator, incident=incident)
    login_staff(client, health_officer)

    response = client.post(
        reverse("emergencies:close", args=[incident.reference]), {"close-note": "Korban dirujuk."}
    )

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED


def test_units_page_shows_what_each_unit_does(client, operator, incident, fire_unit, ambulance):
    services.dispatch_units(actor=operator, incident=incident, units=[fire_unit])
    login_staff(client, operator)

    html = client.get(reverse("emergencies:units")).content.decode()

    assert f'Menuju lokasi: <a href="/ruang-kendali/112/{incident.reference}/">' in html
    assert "Siaga" in html
