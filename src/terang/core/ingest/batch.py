"""The one batch-ingest skeleton: decode a batch, validate each item, store the good ones in one
transaction, quarantine the bad with reasons, return an `IngestResult`.

An app subclasses `BatchIngest` and supplies only what is its own: how a message finds its
target (a station and parameter, a vehicle), how one item becomes a row with its natural key,
how the rows are stored, and its quarantine model. Nothing raises for a bad message, so a
worker never stops on one; an unexpected error (the database) does raise, and rolls the whole
batch back."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.db import transaction
from django.utils import timezone

from terang.core.ingest.payloads import PayloadRejected, payload_items, payload_text
from terang.core.ingest.results import IngestResult, Rejection

if TYPE_CHECKING:
    from terang.core.ingest.quarantine import QuarantineRecord

M = TypeVar("M")  # the app's message type
T = TypeVar("T")  # what a message resolves to (a station and parameter, a vehicle)
R = TypeVar("R")  # the row an item becomes


class BatchIngest(ABC, Generic[M, T, R]):
    """One batch of messages through validate-store-quarantine; subclasses fill the blanks."""

    #: `{batch_key: [...]}` is accepted beside one object and a plain list.
    batch_key: ClassVar[str]
    #: The app's concrete `QuarantineRecord` model.
    quarantine_model: ClassVar[type[QuarantineRecord]]
    #: The quarantine model's field that keeps the device code.
    device_field: ClassVar[str]

    def __init__(self, messages: Sequence[M]) -> None:
        self.messages = list(messages)
        self.now: dt.datetime = timezone.now()

    @abstractmethod
    def device_code(self, message: M) -> str:
        """The device the message claims to come from, as kept in the quarantine."""

    @abstractmethod
    def resolve(self, message: M) -> T:
        """The message's target, or `PayloadRejected` (unknown device, bad address)."""

    @abstractmethod
    def validate(self, item: Any, target: T) -> tuple[Hashable, R]:
        """One decoded item -> (its natural key, its unsaved row), or `PayloadRejected`."""

    @abstractmethod
    def store(self, rows: dict[Any, R]) -> int:
        """Store the rows not stored before (inside the batch's transaction); return how many
        were new. The others count as duplicates."""

    def topic(self, message: M) -> str:
        return str(getattr(message, "topic", ""))

    def payload(self, message: M) -> Any:
        return getattr(message, "payload", b"")

    def quarantined(self, message: M, payload: Any, exc: PayloadRejected) -> QuarantineRecord:
        """The quarantine row of one refused message or item."""
        fields: dict[str, Any] = {
            "received_at": self.now,
            "topic": self.topic(message)[:255],
            "payload": payload_text(payload),
            "reason": exc.reason,  # each concrete model declares its own reason choices
            "detail": exc.detail[:500],
            self.device_field: self.device_code(message)[:60],
        }
        return self.quarantine_model(**fields)

    def run(self) -> IngestResult:
        """Validate every item, then store and quarantine in one transaction."""
        result = IngestResult()
        if not self.messages:
            return result
        rows: dict[Any, R] = {}
        quarantine: list[QuarantineRecord] = []
        index = 0

        def reject(message: M, payload: Any, exc: PayloadRejected) -> None:
            result.quarantined += 1
            result.reasons[exc.reason] += 1
            result.rejected.append(Rejection(index=index, reason=exc.reason, detail=exc.detail))
            quarantine.append(self.quarantined(message, payload, exc))

        for message in self.messages:
            raw = self.payload(message)
            try:
                target = self.resolve(message)
                items = payload_items(raw, self.batch_key)
            except PayloadRejected as exc:
                reject(message, raw, exc)
                index += 1
                continue
            for item in items:
                try:
                    key, row = self.validate(item, target)
                except PayloadRejected as exc:
                    reject(message, item if len(items) > 1 else raw, exc)
                else:
                    if key in rows:
                        result.duplicates += 1
                    else:
                        rows[key] = row
                index += 1

        with transaction.atomic():
            if quarantine:
                self.quarantine_model.objects.bulk_create(quarantine)  # type: ignore[attr-defined]
            if rows:
                new = self.store(rows)
                result.duplicates += len(rows) - new
                result.stored += new
        return result
