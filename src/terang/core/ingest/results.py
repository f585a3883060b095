"""What a batch ingest returns: counts, reasons and one rejection per refused item. The HTTP
ingest APIs serialise it, the MQTT worker adds it up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Rejection:
    index: int
    reason: str
    detail: str


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejection] = field(default_factory=list)

    def merge(self, other: IngestResult) -> None:
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.quarantined += other.quarantined
        self.reasons.update(other.reasons)
        self.rejected.extend(other.rejected)
