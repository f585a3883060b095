"""What a page tells machines and printers: the favicon (an SVG, and /favicon.ico for clients
that ask for it blindly), Open Graph tags for link previews with a report page's own title and
(masked) text, and the report page's URL for its printed copy."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from terang.aspirations import services
from terang.aspirations.choices import Privacy
from terang.aspirations.models import Aspiration
from tests.aspirations.conftest import INSIDE_A, admin_user  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def meta(page: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', page)
    assert match, f"no {key} meta tag"
    return match.group(1)


def published(admin_user, category, privacy: str = Privacy.PUBLIC) -> Aspiration:  # noqa: F811
    aspiration = services.submit_aspiration(
        title="Lampu jalan mati di Jl. Kenanga",
        text="Tiga lampu jalan mati sejak minggu lalu, hubungi 0812 3456 7890 untuk detail.",
        category=category,
        location=INSIDE_A,
        privacy=privacy,
        reporter_contact="warga@contoh.id",
    )
    return services.verify_aspiration(actor=admin_user, aspiration=aspiration)


def test_favicon_ico_redirects_to_the_static_icon():
    for method in ("get", "head"):
        response = getattr(Client(), method)("/favicon.ico")

        assert response.status_code == 302
        assert response["Location"] == "/static/terang/favicon.ico"
    assert finders.find("terang/favicon.ico") is not None
    assert finders.find("terang/favicon.svg") is not None


def test_every_page_links_the_svg_icon_and_has_open_graph_defaults(city):
    page = Client().get("/lapor/").content.decode()

    assert '<link rel="icon" href="/static/terang/favicon.svg" type="image/svg+xml">' in page
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:title") == city.name
    assert meta(page, "og:site_name") == city.name
    assert meta(page, "og:url") == "http://testserver/lapor/"
    assert meta(page, "og:description") == meta(page, "description") != ""
    assert meta(page, "og:locale") == "id_ID"


def test_a_public_report_page_has_its_own_open_graph_tags(city, kelurahan, category, admin_user):  # noqa: F811
    aspiration = published(admin_user, category)

    page = Client().get(f"/aspirasi/{aspiration.code}/?utm=x").content.decode()

    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == "Lampu jalan mati di Jl. Kenanga"
    assert meta(page, "og:url") == f"http://testserver/aspirasi/{aspiration.code}/"
    description = meta(page, "og:description")
    assert description.startswith("Tiga lampu jalan mati sejak minggu lalu")
    assert "3456 7890" not in description  # the public (masked) text, as on the page
    assert meta(page, "description") == description


def test_a_confidential_report_tells_previews_only_its_code(city, kelurahan, category, admin_user):  # noqa: F811
    aspiration = published(admin_user, category, privacy=Privacy.CONFIDENTIAL)

    page = Client().get(f"/lacak/{aspiration.code}/").content.decode()

    assert meta(page, "og:title") == f"Laporan {aspiration.code}"
    assert meta(page, "og:description") == f"Laporan {aspiration.code}"
    assert "Lampu jalan" not in page and "Tiga lampu" not in page


def test_a_report_page_carries_its_url_for_print(city, kelurahan, category, admin_user):  # noqa: F811
    aspiration = published(admin_user, category)

    page = Client().get(f"/aspirasi/{aspiration.code}/").content.decode()

    url = f"http://testserver/aspirasi/{aspiration.code}/"
    assert f'<p class="print-only">{url}</p>' in page
