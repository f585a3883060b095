"""A year of aspirations in the demo city, walked through the real workflow.

Each report drawn by `reports.Reports` lives through the transitions the aspiration services
allow (`workflow.py`), with the events and field changes those services write: verification,
rejection or merging by the control room; routing, sometimes to the wrong agency first (a few
times often enough to be flagged ping-pong and settled by the control room); first response;
resolution; the agency head's check where the category asks for one; closing by the reporter's
rating or automatically; now and then a reopening. Delays come from skewed distributions, so a
realistic share misses a deadline and is marked and escalated as the SLA sweep would have done;
whatever would happen after "now" has not happened yet, so recent items are still open.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from zoneinfo import ZoneInfo

from terang.aspirations import reasons
from terang.aspirations.choices import EventKind, Kind, Status
from terang.aspirations.models import Category
from terang.core.models import Agency, User

from . import catalog, texts
from .accounts import Accounts
from .city import City
from .lifecycle import Clock, hours, minutes
from .reports import Item, Reports, tracking_codes

P_REJECT = 0.05
P_MERGE = 0.025
P_MISROUTE = 0.08
P_PING_PONG = 0.3  # of misrouted items: a second wrong agency before the right one
P_STALL_BEFORE_START = 0.006
P_STALL_AFTER_START = 0.010
P_INTERIM_ANSWER = 0.2
P_WORK_NOTE = 0.3
P_CHECK_SENDS_BACK = 0.12
P_RATE = 0.9
P_REOPEN = 0.035
MERGE_WINDOW = dt.timedelta(days=21)
# The last report of the history is a fire report nobody verified: its deadline (15 minutes,
# `emergency_response_minutes`) passed one minute before the history ends, too late for the
# simulated sweep (which runs 1 to 15 minutes after a deadline), so the first real SLA sweep
# marks it late whenever the demo starts serving (`make demo` runs it within seconds).
LATE_CATEGORY = "kebakaran"
LATE_DEADLINE_BEFORE_NOW = dt.timedelta(minutes=1)


class History:
    def __init__(
        self,
        city: City,
        accounts: Accounts,
        *,
        now: dt.datetime,
        rng: random.Random,
        code_rng: random.Random,
    ) -> None:
        self.city = city
        self.accounts = accounts
        self.now = now
        self.rng = rng
        self.code_rng = code_rng
        self.profile = city.profile
        self.clock = Clock(ZoneInfo(city.profile.timezone), rng)
        self.agency_rows = {row["code"]: row for row in catalog.agencies()}
        self.routable = [
            agency for code, agency in city.agencies.items() if self.agency_rows[code].get("slug")
        ]
        self.reports = Reports(city, accounts, now=now, rng=rng, clock=self.clock)
        self.recent: dict[tuple[str, str], list[Item]] = {}

    def generate(self, count: int) -> list[Item]:
        codes = tracking_codes(self.code_rng, count)
        times = self.reports.creation_times(count)
        items = []
        for index, (created_at, code) in enumerate(zip(times, codes, strict=True)):
            if index == count - 1:
                item = self.late_report(code)
            else:
                item = self.reports.plan(created_at, code)
                self.simulate(item)
            items.append(item)
            if item.a.kelurahan_id is not None:
                key = (item.row["code"], item.place.kecamatan.code)
                self.recent.setdefault(key, []).append(item)
        return items

    def late_report(self, code: str) -> Item:
        """The fire report still waiting for verification past its deadline (LATE_CATEGORY)."""
        category = next(c for c, r in self.city.categories if r["code"] == LATE_CATEGORY)
        assert category.emergency_response_minutes  # noqa: S101 - an emergency category
        created_at = (
            self.now - minutes(category.emergency_response_minutes) - LATE_DEADLINE_BEFORE_NOW
        )
        item = self.reports.plan(created_at, code, category_code=LATE_CATEGORY)
        a = item.a
        a.verify_due_at = created_at + minutes(category.emergency_response_minutes)
        item.life.transition(
            created_at,
            Status.SUBMITTED,
            a.entered_by or a.reporter,
            force=True,
            reason_code=reasons.RECEIVED,
            reason_params={"channel": a.channel},
        )
        item.life.wait(created_at, a.verify_due_at, None)
        return item

    # --- one life -----------------------------------------------------------------------------

    def _merge_target(self, item: Item) -> Item | None:
        """The latest report of the same category in the same kecamatan, if recent and alive."""
        if item.a.kelurahan_id is None:
            return None
        for other in reversed(self.recent.get((item.row["code"], item.place.kecamatan.code), [])):
            if item.a.created_at - other.a.created_at > MERGE_WINDOW:
                return None
            if other.life.status not in (Status.MERGED, Status.REJECTED, ""):
                return other
        return None

    def _wrong_agency(self, right: Agency, avoid: set[int]) -> Agency:
        codes = self.agency_rows[right.code].get("confused_with", [])
        options = [self.city.agencies[c] for c in codes if self.city.agencies[c].pk not in avoid]
        if not options:
            options = [a for a in self.routable if a.pk not in avoid]
        return self.rng.choice(options)

    def _routing_path(self, category: Category) -> list[Agency]:
        right = category.agency
        if category.is_emergency or self.rng.random() >= P_MISROUTE:
            return [right]
        first = self._wrong_agency(right, {right.pk})
        if self.rng.random() < P_PING_PONG:
            return [first, self._wrong_agency(first, {right.pk, first.pk}), right]
        return [first, right]

    def _set_handling_deadlines(self, item: Item, start: dt.datetime) -> None:
        a, category = item.a, item.category
        if category.is_emergency:
            a.response_due_at = start + minutes(category.emergency_response_minutes)
            a.resolution_due_at = start + 4 * minutes(category.emergency_response_minutes)
            return
        a.response_due_at = self.clock.deadline(start, category.response_working_days)
        if a.kind == Kind.COMPLAINT:
            days = 60 if category.needs_investigation else category.resolution_working_days
        else:
            days = category.response_working_days
        a.resolution_due_at = self.clock.deadline(start, days)

    def _route(
        self,
        item: Item,
        at: dt.datetime,
        agency: Agency,
        actor: User,
        reason: str = "",
        *,
        reason_code: str = "",
        force: bool = False,
    ) -> dt.datetime | None:
        """`reason` is the officer's words on a re-disposition; the first routing carries the
        system's `reason_code` instead, on both events, as `verify_aspiration` writes them."""
        a, life = item.a, item.life
        first = a.disposition_count == 0
        current, previous = life.status, a.agency_id
        moment = life.transition(
            at, Status.DISPOSITIONED, actor, reason, reason_code=reason_code, force=force
        )
        if moment is None:
            return None
        if first:
            self._set_handling_deadlines(item, moment)
        a.agency = agency
        a.disposition_count += 1
        moves = a.disposition_count - 1
        became_ping_pong = not a.is_ping_pong and moves >= self.profile.ping_pong_moves
        a.is_ping_pong = a.is_ping_pong or became_ping_pong
        life.emit(
            moment,
            EventKind.DISPOSITION,
            actor,
            force=True,
            from_status=current,
            to_status=Status.DISPOSITIONED,
            reason=reason,
            reason_code=reason_code,
            from_agency_id=None if first else previous,
            to_agency_id=agency.pk,
        )
        if became_ping_pong:
            life.emit(
                moment,
                EventKind.ESCALATION,
                None,
                force=True,
                is_public=False,
                reason_code=reasons.PING_PONG,
                reason_params={"moves": moves},
            )
        return moment

    def _verify_delay(self) -> float:
        roll, rng = self.rng.random(), self.rng
        if roll < 0.55:
            return rng.uniform(0.3, 6)
        if roll < 0.85:
            return rng.uniform(6, 30)
        if roll < 0.96:
            return rng.uniform(30, 80)
        return rng.uniform(80, 240)

    def _response_delay(self) -> float:
        roll, rng = self.rng.random(), self.rng
        if roll < 0.55:
            return rng.uniform(1, 24)
        if roll < 0.85:
            return rng.uniform(24, 96)
        if roll < 0.95:
            return rng.uniform(96, 170)
        return rng.uniform(170, 400)

    def _resolution_share(self) -> float:
        """How much of the resolution period (in calendar time) the work takes."""
        roll, rng = self.rng.random(), self.rng
        if roll < 0.66:
            return rng.uniform(0.05, 0.5)
        if roll < 0.89:
            return rng.uniform(0.5, 0.9)
        if roll < 0.97:
            return rng.uniform(0.9, 1.5)
        return rng.uniform(1.5, 3.0)

    def simulate(self, item: Item) -> None:
        a, life, category, rng = item.a, item.life, item.category, self.rng
        clock = self.clock
        emergency = category.is_emergency
        operator = rng.choice(self.accounts.operators)
        created = a.created_at
        life.transition(
            created,
            Status.SUBMITTED,
            a.entered_by or a.reporter,
            force=True,
            reason_code=reasons.RECEIVED,
            reason_params={"channel": a.channel},
        )
        if emergency:
            a.verify_due_at = created + minutes(category.emergency_response_minutes)
            verified_at = created + minutes(rng.uniform(1, 12))
        else:
            a.verify_due_at = clock.deadline(created, category.verify_working_days)
            verified_at = clock.office(created + hours(self._verify_delay()))
        if not life.wait(created, a.verify_due_at, verified_at):
            return
        roll = rng.random()
        if not emergency and roll < P_REJECT:
            moment = life.transition(
                verified_at, Status.REJECTED, operator, texts.pick(rng, "rejection_reasons")
            )
            a.closed_at = moment
            return
        target = self._merge_target(item) if not emergency and roll < P_REJECT + P_MERGE else None
        if target is not None:
            moment = life.transition(
                verified_at,
                Status.MERGED,
                operator,
                reason_code=reasons.MERGED_INTO,
                reason_params={"code": target.a.code},
            )
            if moment is not None:
                a.closed_at = moment
                item.merged_into = target
                target.life.add_note(
                    moment,
                    operator,
                    reason_code=reasons.MERGED_HERE,
                    reason_params={"code": a.code},
                )
                if a.reporter is not None:
                    target.followers.add(a.reporter.pk)
            return
        if life.transition(verified_at, Status.VERIFIED, operator) is None:
            return
        self._handle(item, operator)

    def _handle(self, item: Item, operator: User) -> None:
        a, life, category, rng, clock = item.a, item.life, item.category, self.rng, self.clock
        path = self._routing_path(category)
        # verify_aspiration routes in the same call as the verification.
        routed_at = self._route(
            item,
            life.last or a.created_at,
            path[0],
            operator,
            reason_code=reasons.ROUTED,
            force=True,
        )
        if routed_at is None:
            return
        since = routed_at
        for previous, agency in itertools.pairwise(path):
            moved_at = clock.office(since + hours(rng.uniform(2, 60)))
            if not life.wait(since, a.response_due_at, moved_at):
                return
            reason = texts.pick(
                rng,
                "redisposition_reasons",
                **{"from": previous.short_name, "to": agency.short_name},
            )
            moment = self._route(
                item, moved_at, agency, self.accounts.officers[previous.pk], reason
            )
            if moment is None:
                return
            since = moment
        if a.is_ping_pong:
            assigned_at = clock.office(since + hours(rng.uniform(1, 20)))
            if not life.wait(since, a.response_due_at, assigned_at):
                return
            moment = life.emit(
                assigned_at,
                EventKind.DISPOSITION,
                operator,
                is_public=False,
                to_agency_id=a.agency_id,
                reason=texts.pick(rng, "assign_reasons", to=a.agency.short_name),
            )
            if moment is None:
                return
            a.assigned_for_good = True
            since = moment

        officer = self.accounts.officers[a.agency_id]
        emergency = category.is_emergency
        stall = rng.random()
        if emergency:
            first_at: dt.datetime | None = since + minutes(rng.uniform(2, 11))
        else:
            first_at = clock.office(since + hours(self._response_delay()))
        if stall < P_STALL_BEFORE_START:
            first_at = None
        if not life.wait(since, a.response_due_at, first_at):
            return
        assert first_at is not None  # noqa: S101 - narrowed by wait()
        words = item.words
        if a.kind in (Kind.QUESTION, Kind.INFORMATION):
            answer = texts.answer(rng, item.row, a.kind, words)
            moment = life.transition(first_at, Status.RESOLVED, officer, answer)
            if moment is None:
                return
            a.first_response_at = a.resolved_at = moment
            a.public_answer = answer
            self._after_resolution(item)
            return
        if not emergency and a.kind == Kind.COMPLAINT and rng.random() < P_INTERIM_ANSWER:
            moment = life.emit(
                first_at, EventKind.ANSWER, officer, reason=texts.pick(rng, "interim_answers")
            )
            if moment is None:
                return
            a.first_response_at = a.updated_at = moment
            since = moment
            first_at = clock.office(moment + hours(rng.uniform(2, 72)))
            if not life.wait(since, a.resolution_due_at, first_at):
                return
        moment = life.transition(
            first_at, Status.IN_PROGRESS, officer, texts.pick(rng, "start_notes")
        )
        if moment is None:
            return
        a.first_response_at = a.first_response_at or moment
        since = moment

        if emergency:
            resolved_at: dt.datetime | None = since + minutes(rng.uniform(15, 50))
        else:
            period = (a.resolution_due_at - routed_at) if a.resolution_due_at else hours(72)
            target = routed_at + period * self._resolution_share()
            if target <= since:
                target = since + hours(rng.uniform(2, 48))
            resolved_at = clock.office(target)
            if rng.random() < P_WORK_NOTE:
                noted_at = clock.office(since + (resolved_at - since) * rng.uniform(0.2, 0.7))
                if noted_at < resolved_at:
                    if not life.wait(since, a.resolution_due_at, noted_at):
                        return
                    life.emit(
                        noted_at,
                        EventKind.NOTE,
                        officer,
                        is_public=False,
                        reason=texts.pick(rng, "work_notes"),
                    )
                    since = life.last or since
        if stall < P_STALL_BEFORE_START + P_STALL_AFTER_START:
            resolved_at = None
        if not life.wait(since, a.resolution_due_at, resolved_at):
            return
        assert resolved_at is not None  # noqa: S101 - narrowed by wait()
        answer = texts.answer(rng, item.row, a.kind, words)
        moment = life.transition(resolved_at, Status.RESOLVED, officer, answer)
        if moment is None:
            return
        a.resolved_at = moment
        a.public_answer = answer
        self._after_resolution(item)

    def _resolve_again(self, item: Item, since: dt.datetime, prefix: str = "") -> bool:
        a, life, rng = item.a, item.life, self.rng
        resolved_at = self.clock.office(since + hours(rng.uniform(20, 150)))
        if not life.wait(since, a.resolution_due_at, resolved_at):
            return False
        answer = prefix + texts.answer(rng, item.row, a.kind, item.words)
        moment = life.transition(
            resolved_at, Status.RESOLVED, self.accounts.officers[a.agency_id], answer
        )
        if moment is None:
            return False
        a.resolved_at = moment
        a.public_answer = answer
        return True

    def _reopen(self, item: Item, at: dt.datetime) -> bool:
        a, life = item.a, item.life
        if not life.wait(None, None, at):
            return False
        moment = life.transition(
            at, Status.IN_PROGRESS, a.reporter, texts.pick(self.rng, "reopen_reasons")
        )
        if moment is None:
            return False
        a.reopen_count += 1
        a.rating = None
        a.resolved_at = a.closed_at = a.resolution_checked_at = None
        return self._resolve_again(item, moment, prefix="Telah ditangani ulang. ")

    def _after_resolution(self, item: Item) -> None:
        """Check (where required), then close by rating or automatically; maybe reopen once."""
        a, life, category, rng, clock = item.a, item.life, item.category, self.rng, self.clock
        reopened = sent_back = False
        while True:
            assert a.resolved_at is not None  # noqa: S101
            ready = a.resolved_at
            if category.requires_resolution_check:
                head = self.accounts.heads[a.agency_id]
                checked_at = clock.office(a.resolved_at + hours(rng.uniform(2, 50)))
                if not life.wait(None, None, checked_at):
                    return
                if not sent_back and rng.random() < P_CHECK_SENDS_BACK:
                    sent_back = True
                    moment = life.transition(
                        checked_at, Status.IN_PROGRESS, head, texts.pick(rng, "check_rejections")
                    )
                    if moment is None:
                        return
                    a.resolved_at = None
                    if not self._resolve_again(item, moment):
                        return
                    continue
                moment = life.emit(
                    checked_at, EventKind.NOTE, head, reason_code=reasons.RESOLUTION_ACCEPTED
                )
                if moment is None:
                    return
                a.resolution_checked_at = ready = moment
            auto_at = max(
                clock.deadline(a.resolved_at, self.profile.auto_close_working_days), ready
            ) + minutes(rng.uniform(3, 60))
            rate_at = None
            if a.reporter is not None and rng.random() < P_RATE:
                rate_at = clock.daytime(ready + hours(rng.uniform(1, 140)))
            reopen_at = None
            if a.reporter is not None and not reopened and rng.random() < P_REOPEN:
                reopen_at = clock.daytime(a.resolved_at + hours(rng.uniform(12, 216)))
            by_rating = rate_at is not None and rate_at < auto_at
            close_at = rate_at if by_rating and rate_at is not None else auto_at
            if reopen_at is not None and reopen_at < close_at:
                reopened = sent_back = True
                if not self._reopen(item, reopen_at):
                    return
                continue
            if not life.wait(None, None, close_at):
                return
            if by_rating:
                closed = self._rate_and_close(item, close_at)
            else:
                closed = life.transition(
                    close_at, Status.CLOSED, None, reason_code=reasons.AUTO_CLOSED
                )
            if closed is None:
                return
            a.closed_at = closed
            window = dt.timedelta(days=self.profile.reopen_window_days)
            if reopen_at is not None and closed < reopen_at <= closed + window:
                reopened = sent_back = True
                if not self._reopen(item, reopen_at):
                    return
                continue
            return

    def _rate_and_close(self, item: Item, at: dt.datetime) -> dt.datetime | None:
        a, life, rng = item.a, item.life, self.rng
        weights = (15, 18, 27, 28, 12) if a.breached else (4, 6, 15, 45, 30)
        rating = rng.choices((1, 2, 3, 4, 5), weights)[0]
        comment = texts.rating_comment(rng, rating) if rng.random() < 0.45 else ""
        moment = life.emit(
            at,
            EventKind.RATING,
            a.reporter,
            reason=f"{rating}/5" + (f": {comment}" if comment else ""),
        )
        if moment is None:
            return None
        a.rating = rating
        a.rating_comment = comment
        return life.transition(
            moment,
            Status.CLOSED,
            a.reporter,
            reason_code=reasons.CLOSED_AFTER_RATING,
            force=True,
        )
