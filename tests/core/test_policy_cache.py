"""City policy reads hit the database once, then stay local until forgotten."""

import datetime as dt

import pytest

from terang.core import calendar
from terang.core.models import CityDayOff, CityProfile
from terang.core.selectors import forget_city, get_city

pytestmark = pytest.mark.django_db


def test_city_profile_is_read_once_then_served_locally(django_assert_num_queries):
    CityProfile.objects.create(name="Kota Uji", slug="kota-uji")
    with django_assert_num_queries(1):
        for _ in range(5):
            assert get_city().name == "Kota Uji"


def test_forgetting_the_city_shows_an_administrators_change():
    city = CityProfile.objects.create(name="Kota Uji", slug="kota-uji")
    assert get_city().reopen_window_days == 10
    CityProfile.objects.filter(pk=city.pk).update(reopen_window_days=3)
    forget_city()
    assert get_city().reopen_window_days == 3


def test_missing_city_is_not_remembered():
    assert get_city() is None
    CityProfile.objects.create(name="Kota Baru", slug="kota-baru")
    assert get_city().name == "Kota Baru"


def test_days_off_are_read_once_per_deadline_series(django_assert_num_queries):
    CityProfile.objects.create(name="Kota Uji", slug="kota-uji")
    CityDayOff.objects.create(date=dt.date(2026, 11, 24), reason="Hari jadi kota")
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with django_assert_num_queries(2):  # city profile (for the time zone) and days off
        for days in range(1, 6):
            calendar.working_days_deadline(start, days)
