"""Dead letters of the MQTT ingest: writes (recording after the worker's retries, replaying one
or all) and the reads of the operators' page.

Replays run the message through the consumer registered under the dead letter's name, once (a
replay is an operator's request, not a retry loop). A replay that fails again stays a dead
letter with its attempt count raised. Every replay is recorded in the dead letter's audit chain,
with its outcome."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.errors import DomainError
from terang.core.ingest.results import IngestResult
from terang.core.ingest.topics import TopicMessage, consumer_named
from terang.core.models import IngestDeadLetter, User

logger = logging.getLogger("terang.core.ingest")

ERROR_LIMIT = 2000  # characters of an error kept on the dead letter
REPLAY_ALL_LIMIT = 500  # dead letters replayed by one "replay all" request


class DeadLetterAlreadyReplayed(DomainError):
    code = "dead_letter_already_replayed"
    status = 409
    default_message = _("Pesan ini sudah diputar ulang.")


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]


def record_dead_letters(
    *,
    consumer: str,
    messages: Sequence[TopicMessage],
    error: str,
    attempts: int,
    first_failed_at: dt.datetime,
    last_failed_at: dt.datetime,
) -> list[IngestDeadLetter]:
    """Keep every message of a batch that kept failing, one row each."""
    return IngestDeadLetter.objects.bulk_create(
        [
            IngestDeadLetter(
                consumer=consumer[:60],
                topic=message.topic[:255],
                wildcards=list(message.wildcards),
                payload=bytes(message.payload),
                error=error[:ERROR_LIMIT],
                attempts=attempts,
                first_failed_at=first_failed_at,
                last_failed_at=last_failed_at,
            )
            for message in messages
        ]
    )


@dataclass
class ReplayOutcome:
    """What a replay did: the consumer's result when it ran through, else the new error."""

    replayed: bool
    error: str = ""
    result: IngestResult | None = None


def replay_dead_letter(*, actor: User, dead_letter_id: int) -> ReplayOutcome:
    """Run one dead letter through its consumer again (`NotFound`-free: a missing id raises
    `IngestDeadLetter.DoesNotExist`; an already replayed one `DeadLetterAlreadyReplayed`)."""
    with transaction.atomic():
        letter = IngestDeadLetter.objects.select_for_update().get(pk=dead_letter_id)
        if letter.replayed_at is not None:
            raise DeadLetterAlreadyReplayed()
        message = TopicMessage(
            topic=letter.topic, payload=bytes(letter.payload), wildcards=tuple(letter.wildcards)
        )
        consumer = consumer_named(letter.consumer)
        outcome: ReplayOutcome
        try:
            if consumer is None:
                raise LookupError(f"no MQTT topic consumer is registered as {letter.consumer!r}")
            with transaction.atomic():  # a failed consumer rolls back only its own writes
                result = consumer.consume([message])
        except Exception as exc:  # noqa: BLE001 - any failure keeps the dead letter
            logger.warning("replaying dead letter %s failed: %s", letter.pk, describe(exc))
            letter.attempts += 1
            letter.last_failed_at = timezone.now()
            letter.error = describe(exc)
            letter.save(update_fields=["attempts", "last_failed_at", "error"])
            outcome = ReplayOutcome(replayed=False, error=letter.error)
            action = "ingest.dead_letter_replay_failed"
            payload = {"attempts": letter.attempts, "error": letter.error}
        else:
            letter.replayed_at = timezone.now()
            letter.save(update_fields=["replayed_at"])
            outcome = ReplayOutcome(replayed=True, result=result)
            action = "ingest.dead_letter_replayed"
            payload = {
                "attempts": letter.attempts,
                "stored": result.stored,
                "duplicates": result.duplicates,
                "quarantined": result.quarantined,
            }
        record_audit(
            actor=actor,
            action=action,
            subject=letter,
            payload={"consumer": letter.consumer, "topic": letter.topic, **payload},
        )
    return outcome


@dataclass
class ReplaySummary:
    replayed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def replay_all_dead_letters(*, actor: User, limit: int = REPLAY_ALL_LIMIT) -> ReplaySummary:
    """Replay the open dead letters, oldest first, each on its own (one failing does not stop
    the others)."""
    summary = ReplaySummary()
    ids = list(
        open_dead_letters().order_by("first_failed_at", "id").values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        try:
            outcome = replay_dead_letter(actor=actor, dead_letter_id=pk)
        except (IngestDeadLetter.DoesNotExist, DeadLetterAlreadyReplayed):
            continue  # replayed meanwhile by someone else
        if outcome.replayed:
            summary.replayed += 1
        else:
            summary.failed += 1
            summary.errors.append(outcome.error)
    return summary


def open_dead_letters() -> QuerySet[IngestDeadLetter]:
    """Dead letters not replayed yet, newest failure first."""
    return IngestDeadLetter.objects.filter(replayed_at__isnull=True)


def recently_replayed_dead_letters(limit: int = 20) -> QuerySet[IngestDeadLetter]:
    return IngestDeadLetter.objects.filter(replayed_at__isnull=False).order_by("-replayed_at")[
        :limit
    ]
