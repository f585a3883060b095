"""Who acted, as each surface shows it: one serializer of actors for the staff page, the staff
API, the tracking page and the public API. A reporter who did not share her identity is never
named to the agency, on any surface."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terang.aspirations import services
from terang.aspirations.choices import Privacy
from tests.helpers import client_for

from .api_helpers import API, submit
from .conftest import make_user

pytestmark = pytest.mark.django_db

NAME = "Ratna Kusumawati"


@pytest.fixture
def reporter(db):
    user = make_user("ratna", "citizen")
    user.full_name = NAME
    user.save(update_fields=["full_name"])
    return user


@pytest.fixture
def confidential(category, reporter, operator):
    """A rahasia report whose reporter did not share her identity with the agency."""
    operator.full_name = "Dewi Lestari"
    operator.save(update_fields=["full_name"])
    aspiration = submit(
        category, reporter, privacy=Privacy.CONFIDENTIAL, share_contact_with_agency=False
    )
    return services.verify_aspiration(actor=operator, aspiration=aspiration)


def staff_page(user, aspiration) -> str:
    response = client_for(user).get(reverse("aspirations:staff_detail", args=[aspiration.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_officer_page_does_not_name_the_confidential_reporter(confidential, officer, operator):
    html = staff_page(officer, confidential)

    assert NAME not in html and "ratna" not in html.lower()
    assert "Pelapor" in html
    assert operator.display_name in html  # staff who acted are named to staff


def test_officer_api_does_not_name_the_confidential_reporter(confidential, officer):
    response = client_for(officer).get(f"{API}/staff/aspirations/{confidential.code}")

    events = response.json()["events"]
    assert NAME not in response.content.decode()
    assert events[0]["actor"] == {"kind": "reporter", "label": "Pelapor"}
    assert events[0]["actor_name"] == ""


def test_page_and_api_agree_for_each_staff_viewer(confidential, officer, inspector):
    """The inspectorate may know the reporter (need-to-know): both surfaces say the same."""
    for viewer, named in ((officer, False), (inspector, True)):
        html = staff_page(viewer, confidential)
        events = (
            client_for(viewer).get(f"{API}/staff/aspirations/{confidential.code}").json()["events"]
        )
        assert (NAME in html) is named
        assert (events[0]["actor"]["label"] == NAME) is named


def test_tracking_page_and_public_api_name_no_one(confidential, operator, other_citizen):
    for client in (client_for(None), client_for(other_citizen)):
        page = client.get(reverse("aspirations:track", args=[confidential.code]))
        api = client.get(f"{API}/aspirations/{confidential.code}")

        assert page.status_code == api.status_code == 200
        for body in (page.content.decode(), api.content.decode()):
            assert NAME not in body and operator.display_name not in body
        assert [e["actor"]["kind"] for e in api.json()["timeline"]][:2] == ["reporter", "staff"]
        assert api.json()["timeline"][0]["actor"]["label"] == "Pelapor"
