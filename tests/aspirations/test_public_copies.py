"""Public copies of title, text and address, masked when written: every public surface serves
only them and public search runs on them, so a NIK, phone number or e-mail in a report can be
neither read nor confirmed by searching."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from terang.aspirations import services
from terang.aspirations.models import Aspiration
from terang.core import privacy
from tests.helpers import client_for

from .api_helpers import API
from .conftest import GUEST_CONTACT, INSIDE_A

pytestmark = pytest.mark.django_db

NIK = "3671012501900001"
PHONE = "0812-3456-7890"
EMAIL = "budi.santoso@gmail.com"
NIK_2 = "3671012501900002"
SECRETS = (NIK, "3456", "budi.santoso", "gmail", NIK_2, "98765432", "siti@contoh")
TEXT = f"Jalan berlubang parah. NIK saya {NIK}, HP {PHONE}, email {EMAIL}, tolong segera."
ADDRESS = f"Jl. Melati No. 1 (NIK {NIK_2}, hubungi 081298765432 atau siti@contoh.id)"


def file_report(category, operator, **extra) -> Aspiration:
    aspiration = services.submit_aspiration(
        title=f"Jalan berlubang, NIK {NIK}",
        text=TEXT,
        category=category,
        location=services.Location(
            latitude=INSIDE_A.latitude, longitude=INSIDE_A.longitude, address=ADDRESS
        ),
        **{"reporter_contact": GUEST_CONTACT, **extra},
    )
    return services.verify_aspiration(actor=operator, aspiration=aspiration)


@pytest.fixture
def report(city, kelurahan, category, operator) -> Aspiration:
    return file_report(category, operator)


def assert_clean(body: str) -> None:
    leaked = [secret for secret in SECRETS if secret in body]
    assert leaked == []


def test_public_copies_are_masked_at_write_time(report):
    stored = Aspiration.objects.get(pk=report.pk)

    assert stored.text == TEXT and stored.address == ADDRESS
    assert privacy.MASK in stored.public_text and privacy.MASK in stored.public_address
    assert_clean(stored.public_title + stored.public_text + stored.public_address)
    assert "berlubang" in stored.public_text


def test_public_pages_never_show_personal_data(client, report):
    for name in ("detail", "track"):
        response = client.get(reverse(f"aspirations:{name}", args=[report.code]))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Jl. Melati No. 1" in body and "berlubang" in body
        assert_clean(body)
    listing = client.get(reverse("aspirations:list")).content.decode()
    geojson = client.get(reverse("aspirations:map_geojson")).content.decode()
    assert report.code in listing and report.code in geojson
    assert_clean(listing)
    assert_clean(geojson)


def test_public_api_never_shows_personal_data(client, report):
    listing = client.get(f"{API}/aspirations")
    tracking = client.get(f"{API}/aspirations/{report.code}")

    assert listing.json()["items"][0]["code"] == report.code
    assert tracking.json()["address"].startswith("Jl. Melati No. 1")
    assert_clean(listing.content.decode())
    assert_clean(tracking.content.decode())


def test_open311_never_shows_personal_data(client, report):
    for path in ("requests.json", "requests.xml", f"requests/{report.code}.json"):
        response = client.get(f"/open311/v2/{path}")
        assert response.status_code == 200
        assert report.code in response.content.decode()
        assert_clean(response.content.decode())


@pytest.mark.parametrize(
    "q", [NIK, NIK[:8], NIK[4:12], "98765432", "0812", "gmail", "budi.santoso", NIK_2[:10]]
)
def test_public_search_for_hidden_data_finds_nothing(client, report, q):
    page = client.get(reverse("aspirations:list"), {"q": q})
    api = client.get(f"{API}/aspirations", {"q": q})

    assert page.status_code == api.status_code == 200
    assert report.code not in page.content.decode()
    assert api.json()["items"] == []


def test_public_search_for_an_ordinary_word_finds_the_report(client, report):
    page = client.get(reverse("aspirations:list"), {"q": "berlubang"})
    api = client.get(f"{API}/aspirations", {"q": "berlubang"})

    assert report.code in page.content.decode()
    assert [item["code"] for item in api.json()["items"]] == [report.code]


def test_staff_search_still_finds_the_raw_text(report, officer):
    response = client_for(officer).get(f"{API}/staff/inbox", {"q": NIK})

    assert [item["code"] for item in response.json()["items"]] == [report.code]


def test_reporter_name_is_masked_in_the_public_copies(city, kelurahan, category, operator):
    aspiration = file_report(category, operator, reporter_name="Budi Santoso")
    aspiration.refresh_from_db()

    assert "Budi" not in aspiration.public_text and "Santoso" not in aspiration.public_text


def test_moving_a_report_recomputes_its_public_address(report, operator):
    services.place_aspiration(
        actor=operator,
        aspiration=report,
        location=services.Location(
            latitude=-6.21, longitude=106.63, address="Jl. Mawar 2, telp 081311112222"
        ),
    )
    report.refresh_from_db()

    assert report.public_address == f"Jl. Mawar 2, telp {privacy.MASK}"


def test_remask_command_recomputes_copies_after_a_rule_change(report, monkeypatch):
    Aspiration.objects.filter(pk=report.pk).update(public_text="stale")
    assert Aspiration.objects.get(pk=report.pk).public_text == "stale"
    monkeypatch.setattr(privacy, "EMAIL_RE", re.compile(r"berlubang|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"))
    out = io.StringIO()

    call_command("remask-public-text", "--batch-size", "1", stdout=out)

    stored = Aspiration.objects.get(pk=report.pk)
    assert "berlubang" not in stored.public_text and stored.public_text != "stale"
    assert_clean(stored.public_text)
    assert "1" in out.getvalue() and "checked" in out.getvalue()


def test_remask_command_is_idempotent(report):
    first, second = io.StringIO(), io.StringIO()

    call_command("remask-public-text", stdout=first)
    call_command("remask-public-text", stdout=second)

    assert "updated 0" in first.getvalue() and "updated 0" in second.getvalue()


def test_a_name_after_an_honorific_is_masked_in_public_but_not_for_the_officer(
    client, city, kelurahan, category, operator, officer
):
    text = "Pohon tumbang di depan rumah Pak Budi, sudah lapor Pak RT."
    aspiration = services.verify_aspiration(
        actor=operator,
        aspiration=services.submit_aspiration(
            title="Pohon tumbang",
            text=text,
            category=category,
            location=services.Location(
                latitude=INSIDE_A.latitude,
                longitude=INSIDE_A.longitude,
                address="Jl. Mas Mansyur 5",
            ),
            reporter_contact=GUEST_CONTACT,
        ),
    )
    public = f"rumah Pak {privacy.MASK}, sudah lapor Pak RT."

    page = client.get(reverse("aspirations:detail", args=[aspiration.code])).content.decode()
    api = client.get(f"{API}/aspirations/{aspiration.code}").json()
    staff_page = client_for(officer).get(
        reverse("aspirations:staff_detail", args=[aspiration.code])
    )
    staff_api = client_for(officer).get(f"{API}/staff/aspirations/{aspiration.code}").json()

    assert public in page and "Budi" not in page and "Jl. Mas Mansyur 5" in page
    assert public in api["text"] and "Budi" not in str(api)
    assert api["address"] == "Jl. Mas Mansyur 5"
    assert "rumah Pak Budi" in staff_page.content.decode()
    assert staff_api["text"] == text


def test_remask_command_masks_honorific_names_in_copies_written_before_the_rule(report):
    text = "Sampah menumpuk di depan rumah Bu Siti."
    Aspiration.objects.filter(pk=report.pk).update(text=text, public_text=text)

    call_command("remask-public-text", stdout=io.StringIO())

    assert Aspiration.objects.get(pk=report.pk).public_text == (
        f"Sampah menumpuk di depan rumah Bu {privacy.MASK}."
    )
