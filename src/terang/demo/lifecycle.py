"""The working clock and the event trail of one simulated aspiration.

`Life` records events the way the aspiration services write them (`aspirations/services`):
a transition event per status change, disposition and escalation events, and the SLA sweep's
breach marks and escalations (`services/sla.py`) while an item sits past the deadline of the
stage it is in. Events after the history's "now" are never written: the item stays where it was.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from terang.aspirations import reasons
from terang.aspirations.choices import Escalation, EventKind
from terang.aspirations.models import Aspiration
from terang.core.calendar import add_working_days, is_working_day, working_days_deadline
from terang.core.models import User

SECOND = dt.timedelta(seconds=1)
OFFICE_OPENS = dt.time(7, 30)
OFFICE_CLOSES = dt.time(16, 30)

ESCALATION_REASON_CODES: dict[int, str] = {
    Escalation.AGENCY_HEAD: reasons.ESCALATED_AGENCY_HEAD,
    Escalation.INSPECTORATE: reasons.ESCALATED_INSPECTORATE,
}


def hours(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=int(value * 3600))


def minutes(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=int(value * 60))


class Clock:
    """City-time helpers with memoised calendar lookups (a year has few distinct answers)."""

    def __init__(self, tz: ZoneInfo, rng: random.Random) -> None:
        self.tz = tz
        self.rng = rng
        self._deadlines: dict[tuple[dt.date, int], dt.datetime] = {}
        self._working: dict[dt.date, bool] = {}
        self._added: dict[tuple[dt.date, int], dt.date] = {}

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz).astimezone(dt.UTC)

    def deadline(self, start: dt.datetime, days: int) -> dt.datetime:
        """core.calendar.working_days_deadline; its answer depends only on the local day."""
        key = (self.local_date(start), days)
        if key not in self._deadlines:
            self._deadlines[key] = working_days_deadline(start, days)
        return self._deadlines[key]

    def working(self, day: dt.date) -> bool:
        if day not in self._working:
            self._working[day] = is_working_day(day)
        return self._working[day]

    def add_working_days(self, day: dt.date, days: int) -> dt.date:
        key = (day, days)
        if key not in self._added:
            self._added[key] = add_working_days(day, days)
        return self._added[key]

    def office(self, moment: dt.datetime) -> dt.datetime:
        """Staff act in office hours: the moment itself, or the next opening plus a little."""
        local = moment.astimezone(self.tz)
        day = local.date()
        if self.working(day):
            if local.time() < OFFICE_OPENS:
                return self._opening(day)
            if local.time() < OFFICE_CLOSES:
                return moment
        day += dt.timedelta(days=1)
        while not self.working(day):
            day += dt.timedelta(days=1)
        return self._opening(day)

    def _opening(self, day: dt.date) -> dt.datetime:
        return self.at(day, OFFICE_OPENS) + minutes(self.rng.uniform(0, 120))

    def daytime(self, moment: dt.datetime) -> dt.datetime:
        """Citizens act between 06:00 and 22:00, any day."""
        local = moment.astimezone(self.tz)
        if 6 <= local.hour < 22:
            return moment
        day = local.date() if local.hour < 6 else local.date() + dt.timedelta(days=1)
        return self.at(day, dt.time(6, 0)) + minutes(self.rng.uniform(0, 180))


@dataclass
class Event:
    """One event row. `reason` holds a person's own words; system reasons are a `reason_code`
    with `reason_params` (`aspirations.reasons`), translated when shown, as the services store
    them."""

    at: dt.datetime
    kind: str
    actor: User | None
    from_status: str = ""
    to_status: str = ""
    reason: str = ""
    is_public: bool = True
    from_agency_id: int | None = None
    to_agency_id: int | None = None
    reason_code: str = ""
    reason_params: dict[str, Any] = field(default_factory=dict)


class Life:
    def __init__(
        self,
        aspiration: Aspiration,
        *,
        now: dt.datetime,
        clock: Clock,
        rng: random.Random,
        inspectorate_after: int,
    ) -> None:
        self.a = aspiration
        self.now = now
        self.clock = clock
        self.rng = rng
        self.inspectorate_after = inspectorate_after
        self.events: list[Event] = []
        self.status = ""
        self.last: dt.datetime | None = None

    def emit(
        self,
        at: dt.datetime,
        kind: str,
        actor: User | None,
        *,
        force: bool = False,
        from_status: str = "",
        to_status: str = "",
        reason: str = "",
        reason_code: str = "",
        reason_params: dict[str, Any] | None = None,
        is_public: bool = True,
        from_agency_id: int | None = None,
        to_agency_id: int | None = None,
    ) -> dt.datetime | None:
        """Record an event at `at` (kept strictly after the previous one); None after "now".

        `force` is for events written in the same service call as the previous one.
        """
        at = at.replace(microsecond=0)
        if self.last is not None and at <= self.last:
            at = self.last + SECOND
        if at > self.now and not force:
            return None
        self.events.append(
            Event(
                at,
                kind,
                actor,
                from_status=from_status,
                to_status=to_status,
                reason=reason,
                is_public=is_public,
                from_agency_id=from_agency_id,
                to_agency_id=to_agency_id,
                reason_code=reason_code,
                reason_params=dict(reason_params or {}),
            )
        )
        self.last = at
        return at

    def transition(
        self,
        at: dt.datetime,
        to: str,
        actor: User | None,
        reason: str = "",
        *,
        reason_code: str = "",
        reason_params: dict[str, Any] | None = None,
        force: bool = False,
    ) -> dt.datetime | None:
        moment = self.emit(
            at,
            EventKind.TRANSITION,
            actor,
            force=force,
            from_status=self.status,
            to_status=to,
            reason=reason,
            reason_code=reason_code,
            reason_params=reason_params,
        )
        if moment is not None:
            self.status = to
            self.a.status = to
            self.a.updated_at = moment
        return moment

    def add_note(
        self,
        at: dt.datetime,
        actor: User | None,
        *,
        reason_code: str,
        reason_params: dict[str, Any] | None = None,
    ) -> None:
        """A public system note written by a service acting on another item (a merge into this
        one)."""
        taken = {event.at for event in self.events}
        at = at.replace(microsecond=0)
        while at in taken:
            at += SECOND
        self.events.append(
            Event(
                at,
                EventKind.NOTE,
                actor,
                reason_code=reason_code,
                reason_params=dict(reason_params or {}),
            )
        )
        self.events.sort(key=lambda event: event.at)

    def wait(
        self, start: dt.datetime | None, missed: dt.datetime | None, until: dt.datetime | None
    ) -> bool:
        """The item sits in a stage from `start` until `until` (None: never leaves it). Apply
        the SLA sweep for the stage's deadline `missed`; True when `until` is not after now."""
        if missed is not None and start is not None:
            self._sweep(start, missed, until)
        return until is not None and until <= self.now

    def _sweep(self, start: dt.datetime, missed: dt.datetime, until: dt.datetime | None) -> None:
        end = self.now if until is None else min(until, self.now)
        first = max(missed, start) + minutes(self.rng.uniform(1, 15))
        if first >= end or self.a.escalation >= Escalation.INSPECTORATE:
            return
        self.a.breached = True
        day = self.clock.add_working_days(self.clock.local_date(missed), self.inspectorate_after)
        inspectorate_from = self.clock.at(day, dt.time(0, 0))
        level = Escalation.INSPECTORATE if first >= inspectorate_from else Escalation.AGENCY_HEAD
        if self.a.escalation < level:
            self._escalate(first, level)
        if self.a.escalation < Escalation.INSPECTORATE:
            later = max(inspectorate_from, first) + minutes(self.rng.uniform(1, 15))
            if later < end:
                self._escalate(later, Escalation.INSPECTORATE)

    def _escalate(self, at: dt.datetime, level: int) -> None:
        self.emit(
            at,
            EventKind.ESCALATION,
            None,
            force=True,
            reason_code=ESCALATION_REASON_CODES[level],
            is_public=False,
        )
        self.a.escalation = level
