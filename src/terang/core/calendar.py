"""Working-day calendar for legal deadlines.

A working day is Monday to Friday, not a national public holiday, not a cuti bersama (collective
leave, the `government` category of the `holidays` package: ASN practice treats it as a day off),
and not a city day off (`CityDayOff`). Deadlines in working days end at the close of the last
working day (23:59:59 city time); deadlines in hours count only hours on working days.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

from .policy_cache import cached_policy, forget_policy

_CITY_DAYS_OFF_CACHE_KEY = "terang:city-days-off"


@lru_cache(maxsize=64)
def _national_days_off(year: int) -> dict[dt.date, str]:
    calendar = holidays.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return dict(calendar.items())


def city_days_off() -> frozenset[dt.date]:
    from .models import CityDayOff

    days: frozenset[dt.date] = cached_policy(
        _CITY_DAYS_OFF_CACHE_KEY,
        lambda: frozenset(CityDayOff.objects.values_list("date", flat=True)),
    )
    return days


def forget_city_days_off() -> None:
    """Call after administrators change city days off."""
    forget_policy(_CITY_DAYS_OFF_CACHE_KEY)


def city_timezone() -> ZoneInfo:
    from .selectors import get_city

    city = get_city()
    return ZoneInfo(city.timezone if city else "Asia/Jakarta")


def day_off_reason(day: dt.date) -> str | None:
    if day.weekday() >= 5:
        return "Akhir pekan"
    national = _national_days_off(day.year).get(day)
    if national:
        return national
    if day in city_days_off():
        return "Libur kota"
    return None


def is_working_day(day: dt.date) -> bool:
    return day_off_reason(day) is None


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_deadline(start: dt.datetime, days: int) -> dt.datetime:
    """End of the `days`-th working day after `start`, as an aware UTC datetime."""
    tz = city_timezone()
    local_day = timezone.localtime(start, tz).date()
    end_day = add_working_days(local_day, days)
    end = dt.datetime.combine(end_day, dt.time(23, 59, 59), tzinfo=tz)
    return end.astimezone(dt.UTC)


def working_hours_deadline(start: dt.datetime, hours: float) -> dt.datetime:
    """Add `hours` counting only time on working days (non-working days are skipped whole)."""
    tz = city_timezone()
    current = timezone.localtime(start, tz)
    remaining = dt.timedelta(hours=hours)
    while True:
        if not is_working_day(current.date()):
            next_day = current.date() + dt.timedelta(days=1)
            current = dt.datetime.combine(next_day, dt.time(0, 0), tzinfo=tz)
            continue
        end_of_day = dt.datetime.combine(
            current.date() + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz
        )
        available = end_of_day - current
        if remaining <= available:
            return (current + remaining).astimezone(dt.UTC)
        remaining -= available
        current = end_of_day


def working_days_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole working days after `start`'s day up to and including `end`'s day (negative if past)."""
    tz = city_timezone()
    a = timezone.localtime(start, tz).date()
    b = timezone.localtime(end, tz).date()
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count
