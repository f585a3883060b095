"""seed-demo idempotency, --reset and determinism; demo-logins and demo-otp.

Every test starts from the package's one seeded city (`seed-demo --size small --today
2026-03-15`, tests/demo/conftest.py); what a test changes rolls back with its transaction.
The two that remove and seed the whole city again are `slow` (`make test-slow`)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from terang.aspirations.models import Aspiration, AspirationEvent
from terang.core.models import AdministrativeArea, Agency, AuditEntry, CityProfile, User
from terang.demo import catalog

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_city"),
    pytest.mark.xdist_group("demo-city"),
]

SEED_ARGS = ("--size", "small")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed-demo", *SEED_ARGS, *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            CityProfile,
            AdministrativeArea,
            Agency,
            User,
            Aspiration,
            AspirationEvent,
            AuditEntry,
            TOTPDevice,
        )
    )


def first_codes() -> list[tuple[str, str]]:
    return list(Aspiration.objects.order_by("created_at").values_list("code", "title")[:10])


def test_second_run_reports_seeded_and_changes_nothing() -> None:
    before = counts()
    output = seed("--today", "2026-03-15")
    assert "already seeded" in output
    assert counts() == before
    assert Aspiration.objects.count() == catalog.SIZES["small"]


@pytest.mark.slow  # removes and seeds the city again
def test_reset_rebuilds_the_same_city() -> None:
    codes = first_codes()
    areas = list(
        AdministrativeArea.objects.order_by("code").values_list("code", "name", "boundary")
    )
    before = counts()
    output = seed("--today", "2026-03-15", "--reset")
    assert "Demo data removed" in output
    assert first_codes() == codes
    assert (
        list(AdministrativeArea.objects.order_by("code").values_list("code", "name", "boundary"))
        == areas
    )
    assert counts() == before


@pytest.mark.slow  # removes and seeds the city again
def test_tracking_codes_do_not_depend_on_the_date() -> None:
    codes = list(Aspiration.objects.order_by("created_at").values_list("code", flat=True))
    seed("--today", "2026-09-01", "--reset")
    later = list(Aspiration.objects.order_by("created_at").values_list("code", flat=True))
    assert later == codes


def test_seed_refuses_production(settings) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        seed()
    with pytest.raises(CommandError):
        seed("--reset")
    assert counts() == before


def test_demo_logins_lists_accounts_and_the_2fa_hint() -> None:
    out = StringIO()
    call_command("demo-logins", stdout=out)
    text = out.getvalue()
    for expected in (
        "admin",
        "operator1",
        "inspektorat1",
        "petugas.pupr",
        "kepala.pupr",
        "warga1@contoh.id",
        "Warga-Contoh-2026",
        "Terang-Demo-2026",
        "http://127.0.0.1:8000",
        "2FA: run `terang demo-otp <username>` for the current code",
    ):
        assert expected in text


def test_demo_otp_prints_a_code_the_device_accepts() -> None:
    out = StringIO()
    call_command("demo-otp", "petugas.pupr", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__username="petugas.pupr")
    assert device.verify_token(code)


def test_demo_otp_refuses_other_accounts_and_production(settings) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_user(username="someone", email="someone@example.org")
    with pytest.raises(CommandError):
        call_command("demo-otp", "someone", stdout=StringIO())
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo-otp", "petugas.pupr", stdout=StringIO())
