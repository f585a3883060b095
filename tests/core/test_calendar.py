"""Working-day arithmetic: weekends, national holidays, cuti bersama and city days off."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from terang.core import calendar
from terang.core.models import CityDayOff

JKT = ZoneInfo("Asia/Jakarta")


@pytest.mark.django_db
def test_weekend_is_not_a_working_day():
    assert calendar.is_working_day(dt.date(2026, 11, 20))  # Friday
    assert not calendar.is_working_day(dt.date(2026, 11, 21))  # Saturday
    assert not calendar.is_working_day(dt.date(2026, 11, 22))  # Sunday


@pytest.mark.django_db
def test_national_holiday_and_cuti_bersama_are_days_off():
    assert not calendar.is_working_day(dt.date(2026, 8, 17))  # Hari Kemerdekaan (Monday)
    assert not calendar.is_working_day(dt.date(2026, 12, 25))  # Natal
    assert not calendar.is_working_day(dt.date(2026, 12, 24))  # cuti bersama Natal
    assert "Kemerdekaan" in calendar.day_off_reason(dt.date(2026, 8, 17))


@pytest.mark.django_db
def test_deadline_skips_weekend_and_holidays():
    # Wednesday 23 Dec 2026 + 3 working days: 24 (cuti bersama), 25 (Natal), 26-27 weekend
    start = dt.datetime(2026, 12, 23, 10, 0, tzinfo=JKT)
    deadline = calendar.working_days_deadline(start, 3)
    assert deadline.astimezone(JKT) == dt.datetime(2026, 12, 30, 23, 59, 59, tzinfo=JKT)


@pytest.mark.django_db
def test_city_day_off_counts_after_cache_is_cleared():
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=JKT)  # Monday
    assert calendar.working_days_deadline(start, 1).astimezone(JKT).date() == dt.date(2026, 11, 24)
    CityDayOff.objects.create(date=dt.date(2026, 11, 24), reason="Hari jadi kota")
    calendar.forget_city_days_off()
    assert calendar.working_days_deadline(start, 1).astimezone(JKT).date() == dt.date(2026, 11, 25)


@pytest.mark.django_db
def test_working_hours_skip_non_working_days():
    start = dt.datetime(2026, 11, 20, 20, 0, tzinfo=JKT)  # Friday 20:00
    end = calendar.working_hours_deadline(start, 6)
    # 4 hours left on Friday, weekend skipped, 2 more hours from Monday 00:00
    assert end.astimezone(JKT) == dt.datetime(2026, 11, 23, 2, 0, tzinfo=JKT)


@pytest.mark.django_db
def test_working_days_between_counts_both_ways():
    monday = dt.datetime(2026, 11, 23, 9, 0, tzinfo=JKT)
    next_monday = dt.datetime(2026, 11, 30, 9, 0, tzinfo=JKT)
    assert calendar.working_days_between(monday, next_monday) == 5
    assert calendar.working_days_between(next_monday, monday) == -5


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(dt.date(2026, 1, 5), -1)
