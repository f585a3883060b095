"""Deadlines counted in working days through core.calendar: weekends, national holidays (the
`holidays` package, Indonesia), cuti bersama and city days off are skipped."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from terang.core.models import CityDayOff
from terang.ppid import services

from .conftest import end_of_day, request_form, wib

pytestmark = pytest.mark.django_db


def national(day: dt.date) -> str:
    calendar = holidays.country_holidays("ID", years=day.year, language="id")
    return calendar.get(day, "")


def test_request_filed_the_working_day_before_independence_day_is_due_after_ten_working_days(
    citizen, ppid_officer
):
    # Friday 14 August 2026 is a working day; Monday 17 August is Hari Kemerdekaan and Tuesday
    # 25 August is Maulid Nabi: the ten working days are 18-21, 24, 26-28, 31 Aug and 1 Sep.
    assert national(dt.date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert national(dt.date(2026, 8, 25)) == "Maulid Nabi Muhammad"
    assert national(dt.date(2026, 8, 14)) == ""
    request = services.submit_request(
        actor=citizen, form=request_form(), at=wib(2026, 8, 14, 15, 30)
    )
    assert request.due_at == end_of_day(2026, 9, 1)
    assert request.original_due_at == request.due_at


def test_request_filed_before_nyepi_and_idul_fitri_skips_the_holidays_and_cuti_bersama(
    citizen, ppid_officer
):
    # Tuesday 17 March 2026; 18-24 March are Nyepi, Idul Fitri and their cuti bersama, and
    # 3 April is Good Friday: ten working days end on Wednesday 8 April.
    request = services.submit_request(actor=citizen, form=request_form(), at=wib(2026, 3, 17))
    assert request.due_at == end_of_day(2026, 4, 8)


def test_request_filed_the_day_before_independence_day_2023(citizen, ppid_officer):
    request = services.submit_request(actor=citizen, form=request_form(), at=wib(2023, 8, 16))
    assert request.due_at == end_of_day(2023, 8, 31)


def test_a_city_day_off_moves_the_deadline_one_working_day(citizen, ppid_officer):
    CityDayOff.objects.create(date=dt.date(2026, 8, 20), reason="Hari jadi kota")
    request = services.submit_request(
        actor=citizen, form=request_form(), at=wib(2026, 8, 14, 15, 30)
    )
    assert request.due_at == end_of_day(2026, 9, 2)


def test_a_request_filed_late_in_the_evening_counts_from_its_city_date(citizen, ppid_officer):
    # 23:30 WIB on Friday 14 August is still 14 August in the city (16:30 UTC).
    request = services.submit_request(
        actor=citizen, form=request_form(), at=wib(2026, 8, 14, 23, 30)
    )
    assert request.due_at == end_of_day(2026, 9, 1)


def test_extension_adds_seven_working_days_after_the_original_deadline(citizen, ppid_officer):
    request = services.submit_request(
        actor=citizen, form=request_form(), at=wib(2026, 8, 14, 15, 30)
    )
    extended = services.extend_request(
        actor=ppid_officer,
        request=request,
        reason="Dokumen tersebar di tiga OPD dan perlu dihimpun.",
        at=wib(2026, 8, 27),
    )
    assert extended.original_due_at == end_of_day(2026, 9, 1)
    assert extended.due_at == end_of_day(2026, 9, 10)
