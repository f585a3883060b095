"""Language switching: Indonesian by default, English on every page and in API errors.

Pages are rendered with the compiled catalog (`make messages`); the catalog's completeness
itself is checked in tests/test_i18n.py.
"""

from __future__ import annotations

import functools
import html
import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from terang.aspirations import services
from terang.aspirations.models import Aspiration

from ..test_i18n import EN_PO, PLACEHOLDER, read_catalog
from .conftest import INSIDE_A, login_staff, make_user

pytestmark = pytest.mark.django_db

# (path, Indonesian text, its English translation) that each key page must show.
KEY_PAGES = [
    ("/", "Sampaikan laporan", "Submit a report"),
    ("/lapor/", "Privasi laporan", "Report privacy"),
    ("/aspirasi/", "Laporan warga yang sudah diverifikasi.", "Verified reports from residents."),
    ("/kinerja/", "Median penyelesaian (jam)", "Median resolution (hours)"),
    ("/akun/masuk/", "Kata sandi", "Password"),
]
NAV = ("Lewati ke konten utama", "Skip to main content")
# System reasons that services store as rendered text in the event row (the timeline): they
# stay in the language that was active when the event was written.
STORED_REASONS = {"Diteruskan ke OPD penanggung jawab kategori."}


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request leaves its language active."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def published(city, kelurahan, category, admin_user) -> Aspiration:
    """One verified public report, so lists, the map and the home page have content."""
    aspiration = services.submit_aspiration(
        title="Jalan berlubang di depan sekolah",
        text="Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor.",
        category=category,
        location=INSIDE_A,
        reporter_contact="warga@contoh.id",
    )
    return services.verify_aspiration(actor=admin_user, aspiration=aspiration)


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def html_lang(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', page)
    assert match, "page has no <html lang>"
    return match.group(1)


def visible_text(page: str) -> str:
    """Page text and attribute values, unescaped, so msgids can be searched for."""
    return html.unescape(page)


@functools.cache
def indonesian_catalog_text() -> tuple[str, ...]:
    """Indonesian sentences whose English differs: none may remain on an English page."""
    return tuple(
        entry.msgid
        for entry in read_catalog(EN_PO)
        if not entry.msgid_plural
        and len(entry.msgid) >= 15
        and not PLACEHOLDER.search(entry.msgid)
        and entry.msgstr[0] != entry.msgid
    )


def indonesian_left_on(page: str) -> list[str]:
    """Catalog sentences still in Indonesian on a page, leaving stored timeline reasons aside."""
    for reason in STORED_REASONS:
        page = page.replace(reason, "")
    return [text for text in indonesian_catalog_text() if text in page]


@pytest.mark.parametrize(("path", "indonesian", "english"), KEY_PAGES)
def test_pages_are_indonesian_by_default(client, published, path, indonesian, english):
    response = client.get(path)

    page = visible_text(response.content.decode())
    assert response.status_code == 200
    assert html_lang(page) == "id"
    assert indonesian in page
    assert english not in page
    assert NAV[0] in page


@pytest.mark.parametrize(("path", "indonesian", "english"), KEY_PAGES)
def test_pages_switch_to_english_with_the_language_cookie(published, path, indonesian, english):
    response = english_client().get(path)

    page = visible_text(response.content.decode())
    assert response.status_code == 200
    assert html_lang(page) == "en"
    assert english in page
    assert indonesian not in page
    assert NAV[1] in page


def test_set_language_form_switches_the_following_pages_to_english(client, published):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/aspirasi/"})

    assert response.status_code == 302
    assert response["Location"] == "/aspirasi/"
    assert client.cookies["django_language"].value == "en"
    page = visible_text(client.get("/aspirasi/").content.decode())
    assert html_lang(page) == "en"
    assert "Public reports" in page
    assert "Verified" in page  # the status badge of the published report


def test_accept_language_header_selects_english(client, published):
    page = visible_text(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode())

    assert html_lang(page) == "en"
    assert "Track a report" in page


def test_unsupported_language_falls_back_to_indonesian(client, published):
    page = visible_text(client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode())

    assert html_lang(page) == "id"
    assert "Lacak laporan" in page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/lapor/",
        "/aspirasi/",
        "/aspirasi/peta/",
        "/kinerja/",
        "/akun/masuk/",
        "/akun/daftar/",
        "/lacak/",
        "TRACK",
        "DETAIL",
    ],
)
def test_english_public_pages_show_no_indonesian_interface_text(published, path):
    path = {"TRACK": f"/lacak/{published.code}/", "DETAIL": f"/aspirasi/{published.code}/"}.get(
        path, path
    )

    page = visible_text(english_client().get(path).content.decode())

    assert html_lang(page) == "en"
    assert indonesian_left_on(page) == []


@pytest.mark.parametrize("path", ["/staf/", "DETAIL", "/staf/ruang-kendali/", "/staf/input/"])
def test_english_staff_pages_show_no_indonesian_interface_text(published, operator, path):
    path = {"DETAIL": f"/staf/aspirasi/{published.code}/"}.get(path, path)
    client = english_client()
    login_staff(client, operator)

    response = client.get(path)

    page = visible_text(response.content.decode())
    assert response.status_code == 200
    assert html_lang(page) == "en"
    assert indonesian_left_on(page) == []


@pytest.mark.parametrize("path", ["/lacak/{code}/", "/staf/aspirasi/{code}/"])
def test_english_timeline_shows_system_reasons_in_english(published, operator, path):
    client = english_client()
    login_staff(client, operator)

    page = visible_text(client.get(path.format(code=published.code)).content.decode())

    assert "Forwarded to the OPD (city agency) responsible for the category." in page
    assert "Diteruskan ke OPD penanggung jawab kategori." not in page


def test_english_time_left_uses_english_plurals(published, operator):
    client = english_client()
    login_staff(client, operator)

    page = visible_text(client.get("/staf/").content.decode())

    assert re.search(r"\d+ (days?|hours?|minutes?)( \d+ (hours?|minutes?))? left", page), page


# JSON API and Open311 ---------------------------------------------------------------------


def test_api_not_found_message_follows_accept_language(client, db):
    indonesian = client.get("/api/v1/aspirations/ASP-XXXXXXXX")
    english = client.get("/api/v1/aspirations/ASP-XXXXXXXX", HTTP_ACCEPT_LANGUAGE="en")

    assert indonesian.status_code == english.status_code == 404
    assert indonesian.json()["error"] == {
        "code": "not_found",
        "message": "Data tidak ditemukan.",
        "details": {},
    }
    assert english.json()["error"] == {"code": "not_found", "message": "Not found.", "details": {}}


def test_api_validation_message_from_a_service_is_english(client, city, kelurahan, category):
    body = {
        "title": "abc",
        "text": "Lubang besar di Jl. Melati dekat SDN 1.",
        "category": category.code,
        "latitude": INSIDE_A.latitude,
        "longitude": INSIDE_A.longitude,
        "reporter_contact": "warga@contoh.id",
    }

    response = client.post(
        "/api/v1/aspirations", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["fields"] == {"title": "The title must be 5-200 characters."}
    assert Aspiration.objects.count() == 0


def test_api_permission_message_is_english_for_an_english_session(published, db):
    citizen = make_user("warga_en", "citizen")
    client = english_client()
    client.force_login(citizen)

    response = client.get("/api/v1/staff/inbox")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "You are not authorised to do this."


def test_open311_error_description_is_english(client, city):
    response = client.get(
        "/open311/v2/services.json?jurisdiction_id=kota-lain", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 404
    assert json.loads(response.content) == [
        {"code": 404, "description": "Unknown jurisdiction_id."}
    ]
