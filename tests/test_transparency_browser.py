# ruff: noqa: F811 - fixtures imported from other test modules are used by name
"""The transparency portal's public pages in Chromium with axe-core: no WCAG 2.1 A/AA
violations on the catalog, a dataset, a resource preview, the APBD explorer and the PPID pages,
and the catalog's filters work without JavaScript."""

from __future__ import annotations

import pytest

from terang.opendata.choices import DatasetState
from terang.opendata.models import Dataset
from tests.aspirations.test_browser import axe_violations, browser  # noqa: F401
from tests.opendata.demo_fixture import build_demo_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_transparency_pages_have_no_axe_violations(live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    build_demo_catalog()
    dataset = (
        Dataset.objects.filter(state=DatasetState.PUBLISHED, resources__datastore_active=True)
        .order_by("name")
        .first()
    )
    resource = dataset.resources.filter(datastore_active=True).first()
    pages = [
        "/data/",
        f"/data/dataset/{dataset.name}/",
        f"/data/dataset/{dataset.name}/sumber/{resource.pk}/",
        "/apbd/",
        "/ppid/",
        "/ppid/register/",
        "/ppid/statistik/",
        "/ppid/dip/",
    ]
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    found = {}
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        found[path] = axe_violations(page)
    context.close()
    assert found == {path: [] for path in pages}


def test_catalog_facets_work_without_javascript(live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    build_demo_catalog()
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server.url}/data/")
    total = Dataset.objects.filter(state=DatasetState.PUBLISHED).count()
    assert page.inner_text("#od-results-title") == f"{total} dataset"
    page.locator("main form input[type=checkbox]").first.check()
    page.locator("main form:has(input[type=checkbox]) button[type=submit]").first.click()
    page.wait_for_load_state()
    shown = int(page.inner_text("#od-results-title").split()[0])
    assert "?" in page.url and 0 < shown < total
    context.close()
