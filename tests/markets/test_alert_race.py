"""Two entries raising the same alert at the same moment leave one active alert (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from fractions import Fraction

import pytest
from django.db import connection
from django.utils import timezone

from terang.markets.models import Commodity, PriceAlert
from terang.markets.services import WeeklyRise, alerts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_raises_leave_one_alert(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both see no active alert and insert: the partial unique constraint makes the loser wait
    for the winner's commit, fail, and update the winner's alert instead."""
    commodity = Commodity.objects.create(code="beras-medium", name="Beras medium")
    real = alerts._active_alert
    barrier = threading.Barrier(2, timeout=10)
    local = threading.local()

    def racing(commodity: Commodity, market: None) -> PriceAlert | None:
        if not getattr(local, "waited", False):
            local.waited = True
            found = real(commodity, market)
            barrier.wait()
            return found
        return real(commodity, market)

    monkeypatch.setattr(alerts, "_active_alert", racing)
    errors: list[BaseException] = []
    end = dt.date(2026, 3, 14)

    def worker(current: int) -> None:
        rise = WeeklyRise(end, Fraction(current), Fraction(10000), 7, 7)
        try:
            alerts.raise_price_alert(
                commodity=commodity,
                market=None,
                rise=rise,
                threshold=Fraction(1, 10),
                now=timezone.now(),
            )
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(v,)) for v in (11000, 11500)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert errors == []
    alert = PriceAlert.objects.get()
    assert (alert.status, alert.occurrences) == ("open", 2)
