"""Statutory deadlines of UU 14/2008, all in working days counted by `core.calendar` (weekends,
national holidays, cuti bersama and city days off skipped; a deadline ends at 23:59:59 city
time of its last day).

They are law, not city policy, so they are constants here rather than settings rows."""

from __future__ import annotations

import datetime as dt

from terang.core.calendar import working_days_between, working_days_deadline

ANSWER_WORKING_DAYS = 10  # Pasal 22(7): written notice within 10 working days of receipt
EXTENSION_WORKING_DAYS = 7  # Pasal 22(8): at most 7 more working days, with written reasons
OBJECTION_FILING_WORKING_DAYS = 30  # Pasal 36(1): file within 30 working days
OBJECTION_ANSWER_WORKING_DAYS = 30  # Pasal 36(2): the atasan PPID answers within 30 days
DISPUTE_FILING_WORKING_DAYS = 14  # Pasal 37(2): to the Komisi Informasi within 14 days


def answer_due(submitted_at: dt.datetime) -> dt.datetime:
    return working_days_deadline(submitted_at, ANSWER_WORKING_DAYS)


def extended_due(original_due_at: dt.datetime) -> dt.datetime:
    """Seven working days after the original deadline (17 in all)."""
    return working_days_deadline(original_due_at, EXTENSION_WORKING_DAYS)


def objection_filing_deadline(start: dt.datetime) -> dt.datetime:
    """`start` is when the grounds arose: the answer, or the lapse of the answer deadline."""
    return working_days_deadline(start, OBJECTION_FILING_WORKING_DAYS)


def objection_due(filed_at: dt.datetime) -> dt.datetime:
    return working_days_deadline(filed_at, OBJECTION_ANSWER_WORKING_DAYS)


def dispute_filing_deadline(start: dt.datetime) -> dt.datetime:
    """`start` is the atasan's answer, or the lapse of its deadline when none came."""
    return working_days_deadline(start, DISPUTE_FILING_WORKING_DAYS)


def working_days_taken(start: dt.datetime, end: dt.datetime) -> int:
    return max(working_days_between(start, end), 0)


def working_days_left(now: dt.datetime, due_at: dt.datetime) -> int:
    """Whole working days from today to the deadline's day: 0 on the last day, negative when
    past."""
    if due_at < now:
        return -max(working_days_between(due_at, now), 1)
    return working_days_between(now, due_at)
