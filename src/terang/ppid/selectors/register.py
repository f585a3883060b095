"""The public register of requests (no personal data) and the yearly statistics in the shape of
the PPID annual report (laporan tahunan layanan informasi publik, Perki 1/2021): requests
received, how they were answered, the reasons for refusals, time taken, objections and
disputes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from terang.core.calendar import city_timezone
from terang.core.errors import ValidationFailed
from terang.core.pagination import decode_cursor, encode_cursor

from ..choices import (
    OPEN_STATUSES,
    Exemption,
    ObjectionOutcome,
    ObjectionStatus,
    Outcome,
    RequesterKind,
    RequestStatus,
)
from ..models import InformationRequest, Objection

REGISTER_FIELDS = (
    "id",
    "register_number",
    "year",
    "submitted_at",
    "information_public",
    "status",
    "outcome",
    "working_days_taken",
    "answered_late",
    "answered_at",
    "due_at",
    "extended_at",
)


@dataclass(frozen=True)
class RegisterFilters:
    year: int | None = None
    status: str | None = None  # a RequestStatus value or "open"
    outcome: str | None = None
    q: str | None = None


def public_register(filters: RegisterFilters | None = None) -> QuerySet[InformationRequest]:
    """Every request, newest first, reduced to the public columns. The text is the copy masked
    when the request was filed, so neither display nor search can reach personal data."""
    filters = filters or RegisterFilters()
    queryset = InformationRequest.objects.only(*REGISTER_FIELDS)
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    if filters.status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        if filters.status not in RequestStatus.values:
            raise ValidationFailed(details={"field": "status"})
        queryset = queryset.filter(status=filters.status)
    if filters.outcome:
        if filters.outcome not in Outcome.values:
            raise ValidationFailed(details={"field": "outcome"})
        queryset = queryset.filter(outcome=filters.outcome)
    for word in (filters.q or "").split()[:8]:
        queryset = queryset.filter(
            Q(information_public__icontains=word) | Q(register_number__iexact=word)
        )
    return queryset.order_by("-submitted_at", "-id")


def register_item(request: InformationRequest) -> dict[str, Any]:
    """One public register row; the HTML page, the CSV and the API all use it."""
    answered = request.answered_at is not None
    return {
        "register_number": request.register_number,
        "submitted_on": timezone.localtime(request.submitted_at, city_timezone()).date(),
        "information": request.information_public,
        "status": request.status,
        "status_label": str(request.get_status_display()),
        "outcome": request.outcome or None,
        "outcome_label": str(request.get_outcome_display()) if request.outcome else None,
        "working_days_taken": request.working_days_taken,
        "answered_late": request.answered_late if answered else None,
    }


@dataclass
class RegisterPage:
    items: list[InformationRequest]
    next_cursor: str | None


def page_by_submission(
    queryset: QuerySet[InformationRequest], *, cursor: str | None, size: int
) -> RegisterPage:
    """Keyset pages over (submitted_at, id), newest first: constant cost at any depth."""
    queryset = queryset.order_by("-submitted_at", "-id")
    if cursor:
        at, pk = decode_cursor(cursor)
        queryset = queryset.filter(submitted_at__lte=at).filter(
            Q(submitted_at__lt=at) | Q(submitted_at=at, id__lt=pk)
        )
    items = list(queryset[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        next_cursor = encode_cursor(items[-1].submitted_at, items[-1].pk)
    return RegisterPage(items=items, next_cursor=next_cursor)


def register_page(
    filters: RegisterFilters | None, *, cursor: str | None, size: int
) -> RegisterPage:
    return page_by_submission(public_register(filters), cursor=cursor, size=size)


def available_years(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    years = set(InformationRequest.objects.values_list("year", flat=True).distinct())
    years.add(timezone.localtime(now, city_timezone()).year)
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class Tally:
    code: str
    label: str
    value: int


@dataclass
class AnnualStatistics:
    """One year of the PPID annual report. Requests count in the year they were filed;
    objections in the year they were filed."""

    year: int
    received: int = 0
    individuals: int = 0
    organisations: int = 0
    withdrawn: int = 0
    pending: int = 0
    answered: int = 0
    granted: int = 0
    partly_granted: int = 0
    refused: int = 0
    not_held: int = 0
    forwarded: int = 0
    extended: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    average_working_days: float | None = None
    exemptions: list[Tally] = field(default_factory=list)
    objections: int = 0
    objections_pending: int = 0
    objections_upheld: int = 0
    objections_partly_upheld: int = 0
    objections_rejected: int = 0
    objections_withdrawn: int = 0
    disputes: int = 0
    monthly: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def outcomes(self) -> list[Tally]:
        return [
            Tally(Outcome.GRANTED, str(Outcome.GRANTED.label), self.granted),
            Tally(Outcome.PARTLY_GRANTED, str(Outcome.PARTLY_GRANTED.label), self.partly_granted),
            Tally(Outcome.REFUSED, str(Outcome.REFUSED.label), self.refused),
            Tally(Outcome.NOT_HELD, str(Outcome.NOT_HELD.label), self.not_held),
            Tally(Outcome.FORWARDED, str(Outcome.FORWARDED.label), self.forwarded),
        ]


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = city_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def annual_statistics(year: int) -> AnnualStatistics:
    """The numbers of one year, in a handful of aggregate queries."""
    stats = AnnualStatistics(year=year)
    requests = InformationRequest.objects.filter(year=year)
    totals = requests.aggregate(
        received=Count("id"),
        individuals=Count("id", filter=Q(requester_kind=RequesterKind.INDIVIDUAL)),
        organisations=Count("id", filter=Q(requester_kind=RequesterKind.ORGANISATION)),
        withdrawn=Count("id", filter=Q(status=RequestStatus.WITHDRAWN)),
        pending=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        granted=Count("id", filter=Q(outcome=Outcome.GRANTED)),
        partly_granted=Count("id", filter=Q(outcome=Outcome.PARTLY_GRANTED)),
        refused=Count("id", filter=Q(outcome=Outcome.REFUSED)),
        not_held=Count("id", filter=Q(outcome=Outcome.NOT_HELD)),
        forwarded=Count("id", filter=Q(outcome=Outcome.FORWARDED)),
        extended=Count("id", filter=Q(extended_at__isnull=False)),
        answered_late=Count("id", filter=Q(answered_at__isnull=False, answered_late=True)),
        average=Avg("working_days_taken", filter=Q(answered_at__isnull=False)),
    )
    for name in (
        "received",
        "individuals",
        "organisations",
        "withdrawn",
        "pending",
        "answered",
        "granted",
        "partly_granted",
        "refused",
        "not_held",
        "forwarded",
        "extended",
        "answered_late",
    ):
        setattr(stats, name, totals[name])
    stats.answered_on_time = stats.answered - stats.answered_late
    if totals["average"] is not None:
        stats.average_working_days = round(float(totals["average"]), 1)
    by_exemption = dict(
        requests.filter(outcome__in=[Outcome.REFUSED, Outcome.PARTLY_GRANTED])
        .order_by()
        .values_list("exemption")
        .annotate(n=Count("id"))
    )
    stats.exemptions = [
        Tally(choice.value, str(choice.label), by_exemption.get(choice.value, 0))
        for choice in Exemption
        if by_exemption.get(choice.value)
    ]
    tz = city_timezone()
    for submitted_at in requests.values_list("submitted_at", flat=True):
        stats.monthly[timezone.localtime(submitted_at, tz).month - 1] += 1
    start, end = _year_bounds(year)
    objections = Objection.objects.filter(filed_at__gte=start, filed_at__lt=end).aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(status=ObjectionStatus.FILED)),
        upheld=Count("id", filter=Q(outcome=ObjectionOutcome.UPHELD)),
        partly=Count("id", filter=Q(outcome=ObjectionOutcome.PARTLY_UPHELD)),
        rejected=Count("id", filter=Q(outcome=ObjectionOutcome.REJECTED)),
        withdrawn=Count("id", filter=Q(status=ObjectionStatus.WITHDRAWN)),
        disputes=Count("id", filter=Q(status=ObjectionStatus.DISPUTED)),
    )
    stats.objections = objections["total"]
    stats.objections_pending = objections["pending"]
    stats.objections_upheld = objections["upheld"]
    stats.objections_partly_upheld = objections["partly"]
    stats.objections_rejected = objections["rejected"]
    stats.objections_withdrawn = objections["withdrawn"]
    stats.disputes = objections["disputes"]
    return stats


def statistics_rows(stats: AnnualStatistics) -> list[tuple[str, str, float | int | None]]:
    """(key, label, value) rows: the table on the page, the CSV and the API all use these."""
    from django.utils.translation import gettext as _

    rows: list[tuple[str, str, float | int | None]] = [
        ("received", _("Permohonan diterima"), stats.received),
        ("individuals", _("Pemohon perorangan"), stats.individuals),
        ("organisations", _("Pemohon badan hukum / kelompok"), stats.organisations),
        ("answered", _("Permohonan dijawab"), stats.answered),
    ]
    rows += [(f"outcome_{row.code}", row.label, row.value) for row in stats.outcomes]
    rows += [
        ("withdrawn", _("Dicabut pemohon"), stats.withdrawn),
        ("pending", _("Masih diproses"), stats.pending),
        ("extended", _("Diperpanjang"), stats.extended),
        ("answered_on_time", _("Dijawab tepat waktu"), stats.answered_on_time),
        ("answered_late", _("Dijawab melewati batas waktu"), stats.answered_late),
        (
            "average_working_days",
            _("Rata-rata waktu jawaban (hari kerja)"),
            stats.average_working_days,
        ),
    ]
    rows += [
        (
            f"exemption_{row.code}",
            _("Alasan pengecualian: %(label)s") % {"label": row.label},
            row.value,
        )
        for row in stats.exemptions
    ]
    rows += [
        ("objections", _("Keberatan diajukan"), stats.objections),
        ("objections_upheld", _("Keberatan diterima"), stats.objections_upheld),
        (
            "objections_partly_upheld",
            _("Keberatan diterima sebagian"),
            stats.objections_partly_upheld,
        ),
        ("objections_rejected", _("Keberatan ditolak"), stats.objections_rejected),
        ("objections_pending", _("Keberatan belum ditanggapi"), stats.objections_pending),
        ("objections_withdrawn", _("Keberatan dicabut"), stats.objections_withdrawn),
        ("disputes", _("Sengketa ke Komisi Informasi"), stats.disputes),
    ]
    return rows
