# ruff: noqa: F811 - fixtures from the aspirations conftest are used by name
"""The production-safety fixes walked in Debian Chromium, on a cheap phone's screen (360x740) and
an office desktop (1366x768), with DEBUG off as in production:

- the photo a citizen sent shows on her tracking page (it was a 404 whenever DEBUG was off);
- an officer's page never names a rahasia reporter who kept her identity, yet shows her photo;
- a flood from one address meets a readable 429 page that says when to try again;
- the public page never prints the NIK or phone number a citizen typed into her report.

Screenshots are written to `var/screenshots/safety-*.png` for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from terang.aspirations import services
from terang.aspirations.choices import Privacy
from terang.aspirations.models import Aspiration
from terang.core import ratelimit
from terang.core.choices import RateLimitAction
from terang.core.models import RateLimitPolicy

from .conftest import INSIDE_A, image_upload, login_staff, make_user
from .test_browser import axe_violations, browser  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
NIK = "3171014101900001"
SHOTS = Path(settings.VAR_DIR) / "screenshots"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"safety-{name}.png"), full_page=True)


def loaded_file_images(page) -> list[int]:  # type: ignore[no-untyped-def]
    """Natural widths of the images served by the file view (0 = broken image), once each has
    been scrolled into view (they load lazily) and finished loading."""
    selector = "img[src^='/berkas/']"
    for image in page.locator(selector).all():
        image.scroll_into_view_if_needed()
    page.wait_for_function(
        f'() => Array.from(document.querySelectorAll("{selector}")).every(i => i.complete)',
        timeout=10_000,
    )
    return page.evaluate(
        f'() => Array.from(document.querySelectorAll("{selector}")).map(i => i.naturalWidth)'
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_citizen_sees_her_photo_on_the_tracking_page(
    live_server, browser, city, kelurahan, category, tmp_path, viewport
):
    assert settings.DEBUG is False
    photo = tmp_path / "banjir.jpg"
    photo.write_bytes(image_upload("banjir.jpg").read())
    context = browser.new_context(java_script_enabled=False, locale="id-ID", viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    page.select_option("select[name=category]", category.code)
    page.fill("input[name=title]", "Saluran tersumbat di Jalan Melati")
    page.fill("textarea[name=text]", f"Air meluap ke jalan. NIK saya {NIK}, hubungi 081234567890.")
    page.fill("input[name=latitude]", "-6.2")
    page.fill("input[name=longitude]", "106.62")
    page.fill("input[name=address]", "Jl. Melati No. 7")
    page.check("input[name=privacy][value=public]")
    page.fill("input[name=reporter_name]", "Sri Wahyuni")
    page.fill("input[name=reporter_contact]", "sri@contoh.id")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("button[name=action][value=submit]")

    aspiration = Aspiration.objects.get()
    page.click(f"a[href='/lacak/{aspiration.code}/']")
    page.wait_for_load_state("load")
    widths = loaded_file_images(page)
    assert widths and all(width > 0 for width in widths), widths
    main = page.inner_text("main")
    assert NIK not in main and "081234567890" not in main
    shot(page, f"tracking-{viewport['width']}")
    context.close()
    scripted = browser.new_page(viewport=viewport)
    scripted.goto(f"{live_server.url}/lacak/{aspiration.code}/")
    assert axe_violations(scripted) == []
    scripted.close()


def test_officer_sees_the_photo_but_not_the_name_of_a_reporter_who_kept_it(
    live_server, browser, city, kelurahan, category, agency, operator
):
    reporter = make_user("ratna", "citizen")
    reporter.full_name = "Ratna Sari Dewi"
    reporter.save(update_fields=["full_name"])
    aspiration = services.submit_aspiration(
        title="Pungutan liar di loket",
        text="Petugas meminta uang tambahan saat mengurus surat pengantar.",
        category=category,
        location=INSIDE_A,
        privacy=Privacy.CONFIDENTIAL,
        reporter=reporter,
        share_contact_with_agency=False,
        photos=[image_upload("kuitansi.jpg")],
    )
    services.verify_aspiration(actor=operator, aspiration=aspiration)
    officer = make_user("petugas", "officer", agency)
    staff = Client()
    login_staff(staff, officer)
    context = browser.new_context(locale="id-ID", viewport=DESKTOP)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(live_server.url + reverse("aspirations:staff_detail", args=[aspiration.code]))
    page.wait_for_load_state("load")
    main = page.inner_text("main")
    assert aspiration.code in main
    assert "Ratna" not in main and "ratna" not in main
    widths = loaded_file_images(page)
    assert widths and all(width > 0 for width in widths), widths
    shot(page, "officer-confidential-1366")
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_flood_from_one_address_meets_a_readable_429_page(
    live_server, browser, city, kelurahan, category, viewport
):
    RateLimitPolicy.objects.update_or_create(
        action=RateLimitAction.TRACKING_LOOKUP,
        defaults={"per_source": 2, "per_account": 2, "window_seconds": 60},
    )
    ratelimit.forget_rate_limit_policies()
    context = browser.new_context(locale="id-ID", viewport=viewport)
    page = context.new_page()
    statuses = [page.goto(f"{live_server.url}/lacak/ASP-TEBAK{n:04d}/").status for n in range(3)]
    assert statuses[:2] == [404, 404] and statuses[2] == 429
    text = page.inner_text("main")
    assert re.search(r"\d+ menit|sebentar|coba lagi", text, re.IGNORECASE), text
    assert axe_violations(page) == []
    shot(page, f"rate-limited-{viewport['width']}")
    context.close()
