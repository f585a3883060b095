# ruff: noqa: F811 - fixtures from conftest are used by name
"""Admin: units and minute targets are editable; incidents are view-only and never show the
caller."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terang.emergencies.models import ResponseTarget

from .conftest import login_staff

pytestmark = pytest.mark.django_db


def test_incidents_are_view_only_without_the_caller(client, admin_user, incident):
    login_staff(client, admin_user)

    listing = client.get(reverse("admin:emergencies_incident_changelist"))
    page = client.get(reverse("admin:emergencies_incident_change", args=[incident.pk]))
    change = client.post(
        reverse("admin:emergencies_incident_change", args=[incident.pk]), {"status": "closed"}
    )

    assert listing.status_code == 200 and incident.reference in listing.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert "Budi" not in html and "3456" not in html
    assert change.status_code == 403
    incident.refresh_from_db()
    assert incident.status == "received"
    assert client.get(reverse("admin:emergencies_incident_add")).status_code == 403


def test_targets_are_editable(client, admin_user):
    login_staff(client, admin_user)
    target = ResponseTarget.objects.get(incident_type="fire")

    response = client.post(
        reverse("admin:emergencies_responsetarget_change", args=[target.pk]),
        {"incident_type": "fire", "dispatch_minutes": "2", "arrival_minutes": "12"},
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.dispatch_minutes, target.arrival_minutes) == (2, 12)
