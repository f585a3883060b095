"""Every user-facing read of aspirations, scoped by who is asking. The HTML pages, the JSON API,
Open311 and the CSV exports call these same functions."""

from __future__ import annotations

import datetime as dt
import difflib
import statistics
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from terang.core.choices import Role
from terang.core.errors import NotFound, ValidationFailed
from terang.core.geo import distance_m
from terang.core.models import AdministrativeArea, Agency, User
from terang.core.pagination import decode_cursor, encode_cursor
from terang.core.privacy import mask_personal_data
from terang.core.selectors import get_city

from .choices import OPEN_STATUSES, Privacy, Status
from .models import (
    INBOX_STATUSES,
    NO_DEADLINE,
    Aspiration,
    AspirationEvent,
    Category,
    current_deadline,
    current_stage,
)
from .permissions import can_read_all, can_see_reporter_contact, is_staff_member

PUBLIC_STATUSES = (
    Status.VERIFIED,
    Status.DISPOSITIONED,
    Status.IN_PROGRESS,
    Status.RESOLVED,
    Status.CLOSED,
)
PUBLIC_PRIVACY = (Privacy.PUBLIC, Privacy.ANONYMOUS)


def is_public(aspiration: Aspiration) -> bool:
    return aspiration.privacy in PUBLIC_PRIVACY and aspiration.status in PUBLIC_STATUSES


def public_aspirations() -> QuerySet[Aspiration]:
    return Aspiration.objects.filter(privacy__in=PUBLIC_PRIVACY, status__in=PUBLIC_STATUSES)


@dataclass(frozen=True)
class AspirationFilters:
    category: str | None = None
    agency: str | None = None
    kelurahan: str | None = None
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    q: str | None = None
    ping_pong: bool | None = None
    breached: bool | None = None


def apply_filters(
    queryset: QuerySet[Aspiration], filters: AspirationFilters, *, staff: bool = False
) -> QuerySet[Aspiration]:
    """`staff=True` searches the original text; otherwise only the masked public copies."""
    if filters.category:
        queryset = queryset.filter(category__code=filters.category)
    if filters.agency:
        queryset = queryset.filter(agency__code=filters.agency)
    if filters.kelurahan:
        queryset = queryset.filter(kelurahan__code=filters.kelurahan)
    if filters.status:
        if filters.status == "open":
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        else:
            queryset = queryset.filter(status=filters.status)
    if filters.since:
        queryset = queryset.filter(created_at__date__gte=filters.since)
    if filters.until:
        queryset = queryset.filter(created_at__date__lte=filters.until)
    if filters.ping_pong is not None:
        queryset = queryset.filter(is_ping_pong=filters.ping_pong)
    if filters.breached is not None:
        queryset = queryset.filter(breached=filters.breached)
    if filters.q:
        queryset = full_text(queryset, filters.q, staff=staff)
    return queryset


def full_text(
    queryset: QuerySet[Aspiration], q: str, *, staff: bool = False
) -> QuerySet[Aspiration]:
    """PostgreSQL: a GIN-indexed tsvector ('simple' config: no Indonesian stemmer exists in
    PostgreSQL). SQLite: every word must appear in the title or the text.

    The public searches the masked copies (index asp_public_fulltext), so a hidden NIK or phone
    number can be neither confirmed nor guessed digit by digit; staff search the originals
    (index asp_fulltext)."""
    q = q.strip()[:200]
    if not q:
        return queryset
    title, text = ("title", "text") if staff else ("public_title", "public_text")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return queryset.annotate(search=SearchVector(title, text, config="simple")).filter(
            search=SearchQuery(q, config="simple", search_type="websearch")
        )
    for word in q.split()[:8]:
        queryset = queryset.filter(
            Q(**{f"{title}__icontains": word}) | Q(**{f"{text}__icontains": word})
        )
    return queryset


def get_by_tracking_code(code: str) -> Aspiration:
    """For the tracking page: anyone holding the code may see its status timeline."""
    aspiration = (
        Aspiration.objects.select_related("category", "agency", "kelurahan", "merged_into")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if aspiration is None:
        raise NotFound()
    return aspiration


def get_public_aspiration(code: str) -> Aspiration:
    aspiration = get_by_tracking_code(code)
    if not is_public(aspiration):
        raise NotFound()
    return aspiration


def aspirations_visible_to(user: User | None) -> QuerySet[Aspiration]:
    """Staff scope: officers and agency heads see their agency's items only."""
    if user is None or not user.is_authenticated:
        return Aspiration.objects.none()
    if can_read_all(user):
        return Aspiration.objects.all()
    if user.role in ("officer", "agency_head") and user.agency_id:
        return Aspiration.objects.filter(agency_id=user.agency_id)
    return Aspiration.objects.filter(reporter=user)


def is_visible_to(user: User, aspiration: Aspiration) -> bool:
    """Whether `user` may still open this item, e.g. after handing it to another agency."""
    return aspirations_visible_to(user).filter(pk=aspiration.pk).exists()


def get_aspiration_for_staff(*, user: User, code: str) -> Aspiration:
    aspiration = (
        aspirations_visible_to(user)
        .select_related("category", "agency", "kelurahan", "reporter", "merged_into")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if aspiration is None or not user.is_city_staff:
        raise NotFound()
    return aspiration


def next_deadline(aspiration: Aspiration) -> dt.datetime | None:
    """The deadline of the stage the item is in now, for one loaded item: the same rule as
    `models.current_deadline`, which the inbox sorts by in the database."""
    if aspiration.status == Status.SUBMITTED:
        return aspiration.verify_due_at
    if aspiration.status in OPEN_STATUSES:
        if aspiration.first_response_at is None and aspiration.response_due_at:
            return min(
                aspiration.response_due_at,
                aspiration.resolution_due_at or aspiration.response_due_at,
            )
        return aspiration.resolution_due_at
    return None


def time_left(aspiration: Aspiration, now: dt.datetime | None = None) -> dt.timedelta | None:
    deadline = next_deadline(aspiration)
    if deadline is None:
        return None
    return deadline - (now or timezone.now())


def inbox_for(user: User, filters: AspirationFilters | None = None) -> QuerySet[Aspiration]:
    """Open items the user can act on, by the deadline of the stage each is in now: the most
    overdue first, then the nearest, items without a running deadline last.

    Each row carries that deadline (`current_due_at`, `NO_DEADLINE` when none runs) and its
    stage (`current_stage`), computed by the database from the same expression as the order,
    so what a row says and where it stands cannot disagree. Indexed (`asp_inbox_due*`)."""
    queryset = aspirations_visible_to(user).filter(status__in=INBOX_STATUSES)
    if filters:
        queryset = apply_filters(queryset, filters, staff=True)
    return (
        queryset.select_related("category", "agency", "kelurahan")
        .annotate(current_due_at=current_deadline(), current_stage=current_stage())
        .order_by("current_due_at", "id")
    )


def running_deadline(item: Aspiration) -> dt.datetime | None:
    """The `current_due_at` of an `inbox_for` row, or None when no deadline runs."""
    due: dt.datetime | None = getattr(item, "current_due_at", None)
    return None if due is None or due >= NO_DEADLINE else due


@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox; the cursors continue after its last row or before its first."""

    items: list[Aspiration]
    next_cursor: str | None
    previous_cursor: str | None


def inbox_page(
    user: User,
    filters: AspirationFilters | None = None,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = 50,
) -> InboxPage:
    """A keyset page of `inbox_for` over (current deadline, id): no OFFSET, the same cost at
    any depth, and no row skipped or repeated when rows are added or closed meanwhile.

    A cursor that does not decode starts from the first page (`decode_cursor` raises
    `ValidationFailed`). Going back past the first row shows the first page."""
    queryset = inbox_for(user, filters)
    before_key, after_key = _decode(before), _decode(after)
    if before_key:
        due, pk = before_key
        # The plain `<=` lets PostgreSQL start the index scan at the cursor (as in
        # core.pagination); the OR alone would only filter.
        rows = list(
            queryset.filter(Q(current_due_at__lte=due))
            .filter(Q(current_due_at__lt=due) | Q(current_due_at=due, id__lt=pk))
            .order_by(F("current_due_at").desc(), "-id")[: size + 1]
        )
        if len(rows) > size:
            items = rows[:size][::-1]
            return InboxPage(items, _cursor_of(items[-1]), _cursor_of(items[0]))
        return inbox_page(user, filters, size=size)
    if after_key:
        due, pk = after_key
        queryset = queryset.filter(Q(current_due_at__gte=due)).filter(
            Q(current_due_at__gt=due) | Q(current_due_at=due, id__gt=pk)
        )
    rows = list(queryset[: size + 1])
    items = rows[:size]
    next_cursor = _cursor_of(items[-1]) if len(rows) > size else None
    previous_cursor = _cursor_of(items[0]) if after_key and items else None
    return InboxPage(items, next_cursor, previous_cursor)


def _decode(cursor: str | None) -> tuple[dt.datetime, int] | None:
    if not cursor:
        return None
    try:
        due, pk = decode_cursor(cursor[:200])
    except ValidationFailed:
        return None
    return (due, pk) if due.tzinfo is not None else None


def _cursor_of(item: Aspiration) -> str:
    return encode_cursor(item.current_due_at, item.pk)  # type: ignore[attr-defined]


def inbox_categories(user: User) -> QuerySet[Category]:
    """Categories the inbox filter offers: every active one to those who read every agency's
    items, the own agency's to officers and agency heads, none to anyone else."""
    categories = active_categories()
    if can_read_all(user):
        return categories
    if user.role in ("officer", "agency_head") and user.agency_id:
        return categories.filter(agency_id=user.agency_id)
    return categories.none()


def my_aspirations(user: User) -> QuerySet[Aspiration]:
    return Aspiration.objects.filter(reporter=user).select_related("category", "agency")


def masked(aspiration: Aspiration, text: str) -> str:
    """Other text of this item (answer, reasons) as the public may see it, masked on reading
    (the reporter's name included). Title, text and address have stored public copies."""
    return mask_personal_data(text, names=_names(aspiration))


def public_title(aspiration: Aspiration) -> str:
    """The title as the public may read it: the copy masked when it was written."""
    return aspiration.public_title


def public_text(aspiration: Aspiration) -> str:
    return aspiration.public_text


def public_address(aspiration: Aspiration) -> str:
    return aspiration.public_address


def reopen_deadline(aspiration: Aspiration) -> dt.datetime | None:
    """Until when the reporter may reopen a resolved or closed item (the service enforces it)."""
    if aspiration.status not in (Status.RESOLVED, Status.CLOSED):
        return None
    since = aspiration.closed_at or aspiration.resolved_at
    if since is None:
        return None
    city = get_city()
    return since + dt.timedelta(days=city.reopen_window_days if city else 10)


def _names(aspiration: Aspiration) -> list[str]:
    return [aspiration.reporter_name] if aspiration.reporter_name else []


def public_timeline(aspiration: Aspiration) -> list[Any]:
    return list(
        aspiration.events.filter(is_public=True).select_related("actor", "to_agency", "from_agency")
    )


def reporter_view(user: User | None, aspiration: Aspiration) -> dict[str, str]:
    """What a staff member may know of the reporter (need-to-know)."""
    from terang.core.crypto import decrypt_or_placeholder

    if aspiration.privacy == Privacy.ANONYMOUS:
        return {"name": "", "contact": "", "note": "anonymous"}
    if can_see_reporter_contact(user, aspiration):
        contact = decrypt_or_placeholder(aspiration, "reporter_contact_encrypted")
        reporter = aspiration.reporter
        if not contact and reporter is not None:
            contact = reporter.email or reporter.phone
        return {"name": aspiration.reporter_name, "contact": contact, "note": ""}
    return {"name": "", "contact": "", "note": "withheld"}


@dataclass(frozen=True)
class ActorLabel:
    """Who acted, as the viewer may know it. `kind` is system, staff, reporter or citizen;
    `named` says whether `label` is a person's name rather than a role."""

    kind: str
    label: str
    named: bool = False

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label}


def actor_label(event: AspirationEvent, viewer: User | None) -> ActorLabel:
    """The one rule for showing an event's actor, used by every page, API and export.

    Staff see staff by name; the public sees only their role. A reporter is named only to
    those who may know her (`reporter_view`: never for anonymous reports, and for agency staff
    only when she shared her identity); everyone else reads "Pelapor"."""
    actor = event.actor
    if actor is None:
        return ActorLabel("system", _("Sistem"))
    if actor.is_city_staff:
        if is_staff_member(viewer):
            return ActorLabel("staff", actor.display_name, named=True)
        role = event.actor_role or actor.role
        return ActorLabel("staff", str(Role(role).label) if role in Role.values else _("Petugas"))
    aspiration = event.aspiration
    if actor.pk == aspiration.reporter_id:
        name = reporter_view(viewer, aspiration)["name"] if is_staff_member(viewer) else ""
        if name:
            return ActorLabel("reporter", name, named=True)
        return ActorLabel("reporter", _("Pelapor"))
    return ActorLabel("citizen", _("Warga"))


def duplicate_candidates(
    *,
    category: Category | str,
    lat: float,
    lon: float,
    text: str,
    radius_m: float = 200,
    limit: int = 5,
) -> list[Aspiration]:
    """Open public items (verified, not rahasia) in the same category within `radius_m`
    whose text looks alike. Shown to anyone filing a report, so only what the public may read
    is listed and compared: the masked copies, never the original text."""
    dlat = radius_m / 111_000
    dlon = radius_m / 110_000
    code = category if isinstance(category, str) else category.code
    nearby = (
        public_aspirations()
        .filter(
            category__code=code,
            status__in=OPEN_STATUSES,
            latitude__range=(lat - dlat, lat + dlat),
            longitude__range=(lon - dlon, lon + dlon),
        )
        .only(
            "code", "public_title", "public_text", "latitude", "longitude", "status", "created_at"
        )
        .order_by("-created_at")[:200]
    )
    wanted = text.lower()
    scored = []
    for item in nearby:
        if item.latitude is None or item.longitude is None:
            continue
        if distance_m(lat, lon, item.latitude, item.longitude) > radius_m:
            continue
        readable = f"{item.public_title} {item.public_text}".lower()
        ratio = difflib.SequenceMatcher(None, wanted, readable).ratio()
        words = set(wanted.split())
        overlap = len(words & set(readable.split())) / max(len(words), 1)
        score = max(ratio, overlap)
        if score >= 0.3:
            scored.append((score, item))
    scored.sort(key=lambda pair: -pair[0])
    return [item for _score, item in scored[:limit]]


@dataclass
class AgencyPerformance:
    agency_code: str
    agency_name: str
    received: int
    resolved: int
    median_first_response_hours: float | None
    median_resolution_hours: float | None
    within_deadline_share: float | None
    average_rating: float | None
    reopened_share: float | None
    ping_pong: int


def agency_performance(
    *, since: dt.date | None = None, until: dt.date | None = None
) -> list[AgencyPerformance]:
    """Public accountability table: one row per agency."""
    queryset = Aspiration.objects.exclude(status=Status.MERGED)
    if since:
        queryset = queryset.filter(created_at__date__gte=since)
    if until:
        queryset = queryset.filter(created_at__date__lte=until)
    totals = {
        row["agency_id"]: row
        for row in queryset.values("agency_id").annotate(
            received=Count("id"),
            resolved=Count("id", filter=Q(resolved_at__isnull=False)),
            avg_rating=Avg("rating"),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
            ping_pong=Count("id", filter=Q(is_ping_pong=True)),
        )
    }
    first_response: dict[int, list[float]] = {}
    resolution: dict[int, list[float]] = {}
    on_time: dict[int, int] = {}
    rows = queryset.filter(Q(first_response_at__isnull=False) | Q(resolved_at__isnull=False))
    for agency_id, created, first, resolved, due in rows.values_list(
        "agency_id", "created_at", "first_response_at", "resolved_at", "resolution_due_at"
    ).iterator(chunk_size=2000):
        if first:
            first_response.setdefault(agency_id, []).append((first - created).total_seconds())
        if resolved:
            resolution.setdefault(agency_id, []).append((resolved - created).total_seconds())
            if due and resolved <= due:
                on_time[agency_id] = on_time.get(agency_id, 0) + 1
    result = []
    for agency in Agency.objects.filter(pk__in=totals.keys()).order_by("name"):
        row = totals[agency.pk]
        result.append(
            AgencyPerformance(
                agency_code=agency.code,
                agency_name=agency.name,
                received=row["received"],
                resolved=row["resolved"],
                median_first_response_hours=_median_hours(first_response.get(agency.pk)),
                median_resolution_hours=_median_hours(resolution.get(agency.pk)),
                within_deadline_share=(
                    round(on_time.get(agency.pk, 0) / row["resolved"], 3)
                    if row["resolved"]
                    else None
                ),
                average_rating=round(row["avg_rating"], 2) if row["avg_rating"] else None,
                reopened_share=round(row["reopened"] / row["received"], 3),
                ping_pong=row["ping_pong"],
            )
        )
    return result


def _median_hours(values: list[float] | None) -> float | None:
    if not values:
        return None
    return round(statistics.median(values) / 3600, 1)


def active_categories() -> QuerySet[Category]:
    """Categories a report can be filed under today; retired ones only keep their old reports."""
    return Category.objects.filter(is_active=True)


def active_agencies() -> QuerySet[Agency]:
    """Agencies that take reports today, as listed to the public and offered in forms."""
    return Agency.objects.filter(is_active=True)


def get_kelurahan(code: str) -> AdministrativeArea:
    """One kelurahan by its official code; an unknown code or a kecamatan's is NotFound."""
    area = (
        AdministrativeArea.objects.select_related("parent")
        .filter(level="kelurahan", code=(code or "").strip())
        .first()
    )
    if area is None:
        raise NotFound()
    return area
