"""The "laporan serupa" hint while filing: only verified public reports, with masked titles,
matched on their public copies (so the hint cannot confirm hidden data either)."""

from __future__ import annotations

import pytest

from terang.aspirations import services
from terang.aspirations.choices import Privacy
from terang.aspirations.models import Aspiration
from terang.core.privacy import MASK

from .api_helpers import API
from .conftest import GUEST_CONTACT, INSIDE_A

pytestmark = pytest.mark.django_db

NIK = "3671012501900001"
TITLE = "Jalan berlubang di depan sekolah"
TEXT = "Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor."


def submit(category, *, title=TITLE, text=TEXT, **extra) -> Aspiration:
    return services.submit_aspiration(
        title=title,
        text=text,
        category=category,
        location=INSIDE_A,
        **{"reporter_contact": GUEST_CONTACT, **extra},
    )


def check_html(client, category, text: str = TEXT, title: str = TITLE) -> str:
    response = client.post(
        "/lapor/",
        {
            "action": "check",
            "kind": "complaint",
            "category": category.code,
            "title": title,
            "text": text,
            "latitude": str(INSIDE_A.latitude),
            "longitude": str(INSIDE_A.longitude),
            "privacy": "public",
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def check_api(client, category, text: str) -> list[dict]:
    response = client.get(
        f"{API}/aspirations/duplicates",
        {
            "category": category.code,
            "lat": INSIDE_A.latitude,
            "lon": INSIDE_A.longitude,
            "text": text,
        },
    )
    assert response.status_code == 200
    return response.json()


def test_unverified_reports_are_not_hinted(client, city, kelurahan, category):
    pending = submit(category, title=f"{TITLE} belum diperiksa")

    html = check_html(client, category)

    assert pending.code not in html and "belum diperiksa" not in html
    assert check_api(client, category, f"{TITLE} {TEXT}") == []


def test_confidential_reports_are_not_hinted(client, city, kelurahan, category, operator):
    hidden = submit(category, privacy=Privacy.CONFIDENTIAL)
    services.verify_aspiration(actor=operator, aspiration=hidden)

    assert hidden.code not in check_html(client, category)
    assert check_api(client, category, f"{TITLE} {TEXT}") == []


def test_verified_public_reports_are_hinted_with_masked_titles(
    client, city, kelurahan, category, operator
):
    shown = submit(category, title=f"{TITLE}, hubungi 081234567890")
    services.verify_aspiration(actor=operator, aspiration=shown)

    html = check_html(client, category)
    found = check_api(client, category, f"{TITLE} {TEXT}")

    assert shown.code in html and "081234567890" not in html
    assert [item["code"] for item in found] == [shown.code]
    assert found[0]["title"] == f"{TITLE}, hubungi {MASK}"


def test_the_hint_cannot_confirm_hidden_data(client, city, kelurahan, category, operator):
    shown = submit(category, text=f"{TEXT} NIK pelapor {NIK} mohon dirahasiakan")
    services.verify_aspiration(actor=operator, aspiration=shown)

    assert check_api(client, category, NIK) == []
    assert shown.code not in check_html(client, category, text=NIK, title=NIK[:10])
