"""Reads of the 112 desk: incidents scoped to the acting staff member, units, minute targets and
their breaches. What the control-room wall shows is in `wall_selectors`.

A target is breached when its stage happened after the due time, or has not happened and the
clock is past the due time; exactly at the due time is still on target. The clock stops when an
incident ends (closed, cancelled, false call)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from terang.core.errors import NotFound, ValidationFailed
from terang.core.geo import distance_m
from terang.core.models import User

from .choices import ACTIVE_STATUSES, DEFAULT_TARGETS, IncidentType, UnitKind
from .models import Dispatch, Incident, IncidentEvent, ResponseTarget, ResponseUnit
from .permissions import reads_every_incident, responder_agency_id

#: Unit kinds usually sent to each incident type; the dispatch form lists them first.
SUGGESTED_KINDS: dict[str, tuple[str, ...]] = {
    IncidentType.FIRE: (UnitKind.FIRE_BRIGADE, UnitKind.AMBULANCE),
    IncidentType.MEDICAL: (UnitKind.AMBULANCE,),
    IncidentType.CRIME: (UnitKind.POLICE,),
    IncidentType.DISASTER: (UnitKind.BPBD_RESCUE, UnitKind.AMBULANCE),
    IncidentType.TRAFFIC_ACCIDENT: (UnitKind.AMBULANCE, UnitKind.POLICE),
    IncidentType.OTHER: (),
}


# Incidents ----------------------------------------------------------------------------------


def incidents_visible_to(user: User) -> QuerySet[Incident]:
    """Call-takers and the inspectorate see every incident; officers and heads of an agency
    see the incidents their agency's units were sent to; anyone else sees none."""
    incidents = Incident.objects.select_related("kelurahan")
    if not user.is_authenticated or not user.is_active:
        return incidents.none()
    if reads_every_incident(user):
        return incidents
    if (agency_id := responder_agency_id(user)) is not None:
        mine = Dispatch.objects.filter(incident=OuterRef("pk"), unit__agency_id=agency_id)
        return incidents.filter(Exists(mine))
    return incidents.none()


def get_incident_for_staff(*, user: User, reference: str) -> Incident:
    """The incident if `user` may see it; the same NotFound as an unknown reference otherwise."""
    incident = (
        incidents_visible_to(user)
        .select_related("created_by", "closed_by")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if incident is None:
        raise NotFound(_("Kejadian 112 tidak ditemukan."))
    return incident


def _with_units(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    return incidents.prefetch_related(
        Prefetch("dispatches", queryset=Dispatch.objects.select_related("unit").order_by("pk"))
    )


def active_incidents(user: User) -> list[Incident]:
    """Incidents still being handled, oldest call first (the longest wait leads)."""
    queryset = incidents_visible_to(user).filter(status__in=ACTIVE_STATUSES)
    return list(_with_units(queryset).order_by("received_at", "pk"))


def recently_ended(
    user: User, *, now: dt.datetime, hours: int = 12, limit: int = 20
) -> list[Incident]:
    """Incidents ended in the last `hours`, newest first."""
    queryset = incidents_visible_to(user).filter(
        closed_at__gt=now - dt.timedelta(hours=hours), closed_at__lte=now
    )
    return list(_with_units(queryset).order_by("-closed_at", "-pk")[:limit])


def incident_timeline(incident: Incident) -> list[IncidentEvent]:
    return list(incident.events.select_related("actor", "unit").order_by("at", "pk"))


def incident_dispatches(incident: Incident) -> list[Dispatch]:
    return list(incident.dispatches.select_related("unit", "unit__agency").order_by("pk"))


def earlier_calls_from_same_number(incident: Incident, *, days: int = 30) -> int:
    """How often the same number called 112 in the `days` before this call (spots pranks and
    callers in repeated danger) without decrypting anything."""
    if not incident.caller_phone_digest:
        return 0
    return (
        Incident.objects.filter(
            caller_phone_digest=incident.caller_phone_digest,
            received_at__lt=incident.received_at,
            received_at__gte=incident.received_at - dt.timedelta(days=days),
        )
        .exclude(pk=incident.pk)
        .count()
    )


# Targets and breaches -----------------------------------------------------------------------


def response_targets() -> dict[str, tuple[int, int]]:
    """(dispatch minutes, arrival minutes) for every incident type: the city's rows over the
    defaults."""
    targets = dict(DEFAULT_TARGETS)
    for row in ResponseTarget.objects.all():
        targets[row.incident_type] = (row.dispatch_minutes, row.arrival_minutes)
    return targets


class StageState:
    """How one stage (dispatch, arrival) stands against its target."""

    ON_TIME = "on_time"  # done by the due time
    LATE = "late"  # done after the due time
    PENDING = "pending"  # not done, due time not passed
    OVERDUE = "overdue"  # not done, due time passed, incident still active
    SKIPPED = "skipped"  # not done, the incident ended before the due time
    MISSED = "missed"  # not done, the incident ended after the due time


BREACHED_STATES = frozenset({StageState.LATE, StageState.OVERDUE, StageState.MISSED})


@dataclass(frozen=True)
class Stage:
    due_at: dt.datetime
    done_at: dt.datetime | None
    state: str
    minutes: int  # minutes late (late, overdue, missed) or left (pending); else 0

    @property
    def breached(self) -> bool:
        return self.state in BREACHED_STATES


def _whole_minutes(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def _stage(
    done_at: dt.datetime | None, due_at: dt.datetime, now: dt.datetime, ended_at: dt.datetime | None
) -> Stage:
    if done_at is not None:
        if done_at > due_at:
            return Stage(due_at, done_at, StageState.LATE, _whole_minutes(done_at - due_at))
        return Stage(due_at, done_at, StageState.ON_TIME, 0)
    clock = min(now, ended_at) if ended_at is not None else now
    if clock > due_at:
        state = StageState.OVERDUE if ended_at is None else StageState.MISSED
        return Stage(due_at, None, state, _whole_minutes(clock - due_at))
    if ended_at is not None:
        return Stage(due_at, None, StageState.SKIPPED, 0)
    left = math.ceil((due_at - clock).total_seconds() / 60)  # "1 minute left" until the due time
    return Stage(due_at, None, StageState.PENDING, left)


@dataclass(frozen=True)
class Breach:
    """Where an incident stands against its two targets at a moment."""

    dispatch: Stage
    arrival: Stage

    @property
    def dispatch_breached(self) -> bool:
        return self.dispatch.breached

    @property
    def arrival_breached(self) -> bool:
        return self.arrival.breached

    @property
    def any(self) -> bool:
        return self.dispatch.breached or self.arrival.breached


def incident_breach(incident: Incident, *, now: dt.datetime) -> Breach:
    """Is the dispatch target, the arrival target, breached at `now`? Uses the due times the
    incident got at receipt (received_at + the type's minutes); a stage done exactly at its due
    time, or pending exactly at it, is on target."""
    return Breach(
        dispatch=_stage(incident.dispatched_at, incident.dispatch_due_at, now, incident.closed_at),
        arrival=_stage(incident.on_scene_at, incident.arrival_due_at, now, incident.closed_at),
    )


def elapsed_minutes(incident: Incident, *, now: dt.datetime) -> int:
    """Whole minutes since the call was received (until it ended, for ended incidents)."""
    end = min(now, incident.closed_at) if incident.closed_at else now
    return max(0, int((end - incident.received_at).total_seconds() // 60))


def target_minutes(incident: Incident) -> tuple[int, int]:
    """The minute targets this incident got at receipt."""
    return (
        int((incident.dispatch_due_at - incident.received_at).total_seconds() // 60),
        int((incident.arrival_due_at - incident.received_at).total_seconds() // 60),
    )


def breaching_incidents(*, now: dt.datetime) -> QuerySet[Incident]:
    """Active incidents with a stage still pending past its due time (indexed on status + due)."""
    return Incident.objects.filter(status__in=ACTIVE_STATUSES).filter(
        Q(dispatched_at__isnull=True, dispatch_due_at__lt=now)
        | Q(on_scene_at__isnull=True, arrival_due_at__lt=now)
    )


# Units --------------------------------------------------------------------------------------


def busy_unit_ids() -> set[int]:
    return set(Dispatch.objects.filter(released_at__isnull=True).values_list("unit_id", flat=True))


def units_overview() -> list[tuple[ResponseUnit, Dispatch | None]]:
    """Every unit with the dispatch it is on now (None when free)."""
    current = {
        d.unit_id: d
        for d in Dispatch.objects.filter(released_at__isnull=True).select_related("incident")
    }
    units = ResponseUnit.objects.select_related("agency").order_by("kind", "code")
    return [(unit, current.get(unit.pk)) for unit in units]


@dataclass(frozen=True)
class UnitChoice:
    unit: ResponseUnit
    suggested: bool
    distance_km: float | None


def _distance_km(incident: Incident, unit: ResponseUnit) -> float | None:
    points = (incident.latitude, incident.longitude, unit.base_latitude, unit.base_longitude)
    if any(value is None for value in points):
        return None
    lat1, lon1, lat2, lon2 = (float(value) for value in points)  # type: ignore[arg-type]
    return round(distance_m(lat1, lon1, lat2, lon2) / 1000, 1)


def dispatch_choices(incident: Incident) -> list[UnitChoice]:
    """Units that can be sent now: in service and not busy; the kinds usually sent to this
    type of incident first, then the nearest base."""
    busy = busy_unit_ids()
    suggested = SUGGESTED_KINDS.get(incident.incident_type, ())
    choices = []
    for unit in ResponseUnit.objects.filter(is_available=True).select_related("agency"):
        if unit.pk in busy:
            continue
        choices.append(UnitChoice(unit, unit.kind in suggested, _distance_km(incident, unit)))
    choices.sort(
        key=lambda c: (not c.suggested, c.distance_km is None, c.distance_km or 0, c.unit.code)
    )
    return choices


def units_by_code(codes: list[str], *, field: str) -> list[ResponseUnit]:
    """The units named by these codes (case and spaces forgiven); ValidationFailed
    `unknown_unit` listing the codes that name no unit."""
    wanted = {code.strip().upper() for code in codes}
    found = list(ResponseUnit.objects.filter(code__in=wanted))
    missing = sorted(wanted - {unit.code for unit in found})
    if missing:
        raise ValidationFailed(
            _("Unit tidak dikenal."),
            details={"field": field, "reason": "unknown_unit", "units": missing},
        )
    return found
