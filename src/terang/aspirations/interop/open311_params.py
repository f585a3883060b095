"""Parsing of Open311 GeoReport v2 query and form parameters, as real clients send them.

An empty parameter counts as absent (clients always send `jurisdiction_id`, often empty). Dates
are W3C datetimes; a `+` in an offset that a client forgot to URL-encode arrives as a space and
is read back as `+`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.http import QueryDict
from django.utils.translation import gettext as _

MAX_WINDOW = dt.timedelta(days=90)
MAX_PAGE_SIZE = 1000
MAX_IDS = 1000

_DATE_ONLY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SPACED_OFFSET = re.compile(r" (\d{2}(?::?\d{2})?)$")


class BadParameter(Exception):
    """A parameter the client must fix: HTTP 400 with the spec's error body."""


def param(data: QueryDict, name: str) -> str:
    return (data.get(name) or "").strip()


def comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _period(value: str, tz: ZoneInfo, *, end: bool) -> dt.datetime | None:
    match = _DATE_ONLY.fullmatch(value)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    start = dt.datetime(year, month, day, tzinfo=tz)
    if not end:
        return start
    if match[3]:
        following = start + dt.timedelta(days=1)
    elif match[2]:
        following = (start + dt.timedelta(days=32)).replace(day=1)
    else:
        following = start.replace(year=year + 1)
    return following - dt.timedelta(microseconds=1)


def parse_datetime(name: str, value: str, tz: ZoneInfo, *, end: bool = False) -> dt.datetime:
    """A W3C datetime (YYYY, YYYY-MM, YYYY-MM-DD or a full timestamp with its offset).

    A bare date covers the whole period: as an end bound it means the end of that day (month,
    year). A timestamp without an offset is read in the city's time zone.
    """
    try:
        parsed = _period(value, tz, end=end)
        if parsed is not None:
            return parsed
        if "T" in value:
            value = _SPACED_OFFSET.sub(r"+\1", value)
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadParameter(
            _("%(name)s bukan tanggal W3C yang valid, contoh 2026-11-24T09:30:00+07:00.")
            % {"name": name}
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def date_window(
    start_value: str, end_value: str, tz: ZoneInfo, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """The requested window, at most 90 days; the last 90 days when no date is given.

    The span is measured to the start of a bare end date, so `2026-01-01` to `2026-03-31`
    (90 days of calendar) is allowed and includes all of 31 March.
    """
    start = parse_datetime("start_date", start_value, tz) if start_value else None
    if not end_value:
        if start is None:
            return now - MAX_WINDOW, now
        return start, start + MAX_WINDOW
    end = parse_datetime("end_date", end_value, tz, end=True)
    if start is None:
        return end - MAX_WINDOW, end
    if end < start:
        raise BadParameter(_("end_date tidak boleh sebelum start_date."))
    if parse_datetime("end_date", end_value, tz) - start > MAX_WINDOW:
        raise BadParameter(_("Rentang start_date sampai end_date paling lama 90 hari."))
    return start, end


def positive_int(name: str, value: str, *, default: int, maximum: int | None = None) -> int:
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise BadParameter(_("%(name)s harus bilangan bulat positif.") % {"name": name})
    number = int(value)
    return min(number, maximum) if maximum else number


def coordinate(name: str, value: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError as exc:
        raise BadParameter(_("%(name)s harus berupa angka.") % {"name": name}) from exc
    if not math.isfinite(number):
        raise BadParameter(_("%(name)s harus berupa angka.") % {"name": name})
    return number


@dataclass(frozen=True)
class RequestQuery:
    """The filters of GET requests.{format}: ids override everything else."""

    ids: tuple[str, ...]
    service_codes: tuple[str, ...]
    statuses: tuple[str, ...]
    start: dt.datetime
    end: dt.datetime
    page: int
    page_size: int


def parse_request_query(data: QueryDict, tz: ZoneInfo, now: dt.datetime) -> RequestQuery:
    ids = tuple(code.upper() for code in comma_list(param(data, "service_request_id")))
    if len(ids) > MAX_IDS:
        raise BadParameter(_("Paling banyak 1000 service_request_id sekaligus."))
    statuses = tuple(status.lower() for status in comma_list(param(data, "status")))
    unknown = sorted(set(statuses) - {"open", "closed"})
    if unknown:
        raise BadParameter(_("status hanya boleh open atau closed."))
    start, end = date_window(param(data, "start_date"), param(data, "end_date"), tz, now)
    return RequestQuery(
        ids=ids,
        service_codes=tuple(comma_list(param(data, "service_code"))),
        statuses=statuses,
        start=start,
        end=end,
        page=positive_int("page", param(data, "page"), default=1),
        page_size=positive_int(
            "page_size", param(data, "page_size"), default=MAX_PAGE_SIZE, maximum=MAX_PAGE_SIZE
        ),
    )
