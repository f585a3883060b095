"""The 404 and 500 pages are the site's own, in the visitor's language, with DEBUG off. The 500
page is rendered by Django with an empty context, often because the database failed: it must
render without a request, the context processors or a single query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

TEXTS = {
    404: {"id": "Halaman tidak ditemukan", "en": "Page not found"},
    500: {"id": "Terjadi kesalahan pada server", "en": "Server error"},
}
SKIP_LINK = {"id": "Lewati ke konten utama", "en": "Skip to main content"}


@pytest.fixture(autouse=True)
def _debug_off_and_default_language(settings):
    settings.DEBUG = False
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def client_in(language: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    return client


def broken_database(*args):
    raise ValueError("the database is broken")


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_unknown_address_answers_the_sites_own_404(language, city):
    response = client_in(language).get("/tidak-ada-halaman-ini/")

    page = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in page
    assert f"<h1>{TEXTS[404][language]}</h1>" in page
    assert SKIP_LINK[language] in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert city.name in page  # the request context (the city) is there for a 404


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_server_error_answers_the_sites_own_500_without_the_database(language):
    with connection.execute_wrapper(broken_database):
        response = client_in(language).get("/")

    page = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in page
    assert f"<h1>{TEXTS[500][language]}</h1>" in page
    assert SKIP_LINK[language] in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert 'action="/i18n/setlang/"' not in page  # no request, so no CSRF token for the form
