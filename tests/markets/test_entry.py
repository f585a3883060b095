"""Recording the day's prices: who may, corrections, and nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest

from terang.core.errors import PermissionDenied, ValidationFailed
from terang.core.models import AuditEntry
from terang.markets import services
from terang.markets.models import DailyPrice

pytestmark = pytest.mark.django_db


def test_officer_records_the_grid_with_an_audit_entry_per_price(
    panel, officer, pasar_baru, beras, cabai, minyak, today
):
    result = services.record_prices(
        actor=officer,
        market=pasar_baru,
        date=today,
        prices={beras: 13500, cabai: 45000, minyak: None},
    )

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    rows = DailyPrice.objects.filter(market=pasar_baru, date=today)
    assert dict(rows.values_list("commodity__code", "price")) == {
        "beras-medium": 13500,
        "cabai-merah-keriting": 45000,
    }
    assert set(rows.values_list("source", "entered_by")) == {("manual", officer.pk)}
    actions = AuditEntry.objects.filter(chain__startswith="markets.dailyprice:")
    assert sorted(actions.values_list("action", flat=True)) == ["price.recorded"] * 2


def test_correcting_a_day_updates_the_row_and_audits_the_old_price(
    panel, officer, head, pasar_baru, beras, today
):
    first = services.record_price(
        actor=officer, market=pasar_baru, commodity=beras, date=today, price=13500
    )

    again = services.record_price(
        actor=head, market=pasar_baru, commodity=beras, date=today, price=13700
    )

    assert again.pk == first.pk
    assert DailyPrice.objects.get().price == 13700
    assert DailyPrice.objects.get().entered_by == head
    last = AuditEntry.objects.filter(chain=f"markets.dailyprice:{first.pk}").order_by("seq").last()
    assert (last.action, last.payload["old_price"], last.payload["price"], last.actor) == (
        "price.corrected",
        13500,
        13700,
        head,
    )


def test_same_price_again_changes_nothing(panel, officer, pasar_baru, beras, today):
    services.record_price(
        actor=officer, market=pasar_baru, commodity=beras, date=today, price=10000
    )
    entries = AuditEntry.objects.count()

    result = services.record_prices(
        actor=officer, market=pasar_baru, date=today, prices={beras: 10000}
    )

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("who", ["other_officer", "operator", "inspector", "citizen"])
def test_others_are_refused_and_nothing_is_saved(request, panel, pasar_baru, beras, today, who):
    user = request.getfixturevalue(who)
    entries = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.record_price(
            actor=user, market=pasar_baru, commodity=beras, date=today, price=13500
        )

    assert DailyPrice.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_officer_cannot_record_at_another_agencys_market(panel, officer, pasar_lain, beras, today):
    with pytest.raises(PermissionDenied):
        services.record_price(
            actor=officer, market=pasar_lain, commodity=beras, date=today, price=13500
        )

    assert DailyPrice.objects.count() == 0


def test_admin_records_at_any_market(panel, admin_user, pasar_lain, beras, today):
    services.record_price(
        actor=admin_user, market=pasar_lain, commodity=beras, date=today, price=13500
    )

    assert DailyPrice.objects.get().market == pasar_lain


def test_one_implausible_price_saves_none_of_the_grid(
    panel, officer, pasar_baru, beras, cabai, today
):
    with pytest.raises(ValidationFailed) as caught:
        services.record_prices(
            actor=officer, market=pasar_baru, date=today, prices={beras: 13500, cabai: 45}
        )

    assert set(caught.value.details) == {"cabai-merah-keriting"}
    assert DailyPrice.objects.count() == 0


def test_future_date_is_refused(panel, officer, pasar_baru, beras, today):
    with pytest.raises(ValidationFailed) as caught:
        services.record_price(
            actor=officer,
            market=pasar_baru,
            commodity=beras,
            date=today + dt.timedelta(days=1),
            price=13500,
        )

    assert set(caught.value.details) == {"date"}
    assert DailyPrice.objects.count() == 0


def test_empty_grid_is_refused(panel, officer, pasar_baru, beras, today):
    with pytest.raises(ValidationFailed) as caught:
        services.record_prices(actor=officer, market=pasar_baru, date=today, prices={beras: None})

    assert set(caught.value.details) == {"prices"}
