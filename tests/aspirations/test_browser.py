"""A citizen's journey in a real browser (Debian Chromium): report with a photo without
JavaScript, track it, and check the pages with axe-core for WCAG 2.1 AA violations."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from terang.aspirations.models import Aspiration

from .conftest import image_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is required in CI (make system-deps installs it)")
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in these tests
    # are still synchronous, so Django's async-safety guard is lifted for this module only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result
    ]


def test_citizen_reports_without_javascript_and_tracks(
    live_server, browser, city, kelurahan, category, tmp_path
):
    photo = tmp_path / "lubang.jpg"
    photo.write_bytes(image_upload("lubang.jpg").read())
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()

    page.goto(f"{live_server.url}/lapor/")
    page.select_option("select[name=category]", category.code)
    page.fill("input[name=title]", "Jalan berlubang dekat pasar")
    page.fill("textarea[name=text]", "Lubang sedalam 20 cm di depan pasar, membahayakan motor.")
    page.fill("input[name=latitude]", "-6.2")
    page.fill("input[name=longitude]", "106.62")
    page.fill("input[name=address]", "Jl. Pasar Baru")
    page.check("input[name=privacy][value=anonymous]")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("button[name=action][value=submit]")

    aspiration = Aspiration.objects.get()
    assert aspiration.code in page.inner_text("main")
    assert aspiration.photos.count() == 1 and aspiration.reporter is None

    page.click(f"a[href='/lacak/{aspiration.code}/']")
    assert "Diterima" in page.inner_text("main")
    context.close()


@pytest.mark.parametrize(
    "path", ["/", "/lapor/", "/aspirasi/", "/kinerja/", "/lacak/", "/akun/masuk/"]
)
def test_public_pages_have_no_wcag_aa_violations(
    live_server, browser, city, kelurahan, category, path
):
    page = browser.new_page()
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []
    page.close()
