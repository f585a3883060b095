"""Append-only, hash-chained audit log. Design: docs/adr/0001-audit-chain.md.

Each subject has its own chain (`<app>.<model>:<pk>`). A service appends while it already holds
the subject's row lock, so one chain never forks; a unique (chain, seq) constraint plus a retry
backs that up for callers without the lock. Different subjects never wait on each other.
`checkpoint()` folds the heads of the chains changed since the previous checkpoint into one
city-wide chain; `verify_audit_log()` recomputes everything and names the first break.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from .models import AuditCheckpoint, AuditEntry, User

GENESIS = "0" * 64
APPEND_ATTEMPTS = 50
# Upper bound on how long an audit entry's transaction may stay open after record_audit read the
# clock (plus clock skew between servers); checkpoints re-read that much history to stay correct.
REORDER_SEARCH = 64  # how far from its stored seq verify tries the seq an entry was hashed at
HEAD_BATCH = 1000
KNOWN_CHECKPOINTS = 20

Kind = Literal["altered", "removed", "reordered"]
Row = Mapping[str, Any]


def chain_name(subject: models.Model | str) -> str:
    if isinstance(subject, str):
        return subject
    return f"{subject._meta.label_lower}:{subject.pk}"


def canonical(payload: Any) -> str:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def _jsonable(value: Any) -> Any:
    """Floats PostgreSQL's jsonb would hand back in another form (1e+16 comes back as an integer,
    NaN is refused) are stored as strings, so the stored payload re-digests to the same value."""
    if isinstance(value, float) and (not math.isfinite(value) or abs(value) >= 1e16):
        return repr(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def digest_payload(payload: Any) -> str:
    return hashlib.sha256(canonical(payload).encode()).hexdigest()


def entry_hash(
    *,
    chain: str,
    seq: int,
    created_at: str,
    actor: str,
    action: str,
    payload_digest: str,
    prev_hash: str,
) -> str:
    material = "|".join([chain, str(seq), created_at, actor, action, payload_digest, prev_hash])
    return hashlib.sha256(material.encode()).hexdigest()


def checkpoint_hash(
    *, seq: int, created_at: str, high_water_id: int, heads_digest: str, prev_hash: str
) -> str:
    material = "|".join(
        ["checkpoint", str(seq), created_at, str(high_water_id), heads_digest, prev_hash]
    )
    return hashlib.sha256(material.encode()).hexdigest()


def record_audit(
    *,
    actor: User | None,
    action: str,
    subject: models.Model | str,
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the subject's chain. Call inside the service's transaction.

    Writers of one chain queue on a transaction-scoped lock of that chain alone (PostgreSQL
    advisory lock; uncontended, and so nearly free, when the service already holds the subject's
    row lock). Writers of other chains never wait. The unique (chain, seq) stays the backstop:
    a lost insert re-reads the head and retries. Taking the lock only after a first loss let
    fresh writers overtake a queued one again and again under load (seen in CI).
    Needs READ COMMITTED (Django's default) so a re-read sees the winner.
    """
    if not connection.in_atomic_block:  # the queue lock lives as long as a transaction
        with transaction.atomic():
            return record_audit(actor=actor, action=action, subject=subject, payload=payload)
    chain = chain_name(subject)
    stored = json.loads(canonical(_jsonable(payload or {})))
    payload_digest = digest_payload(stored)
    actor_label = actor.username if actor is not None else "system"
    _queue_on_chain(chain)
    for _attempt in range(APPEND_ATTEMPTS):
        last = AuditEntry.objects.filter(chain=chain).order_by("-seq").values("seq", "hash").first()
        seq = last["seq"] + 1 if last else 1
        prev_hash = last["hash"] if last else GENESIS
        created_at = timezone.now()
        digest = entry_hash(
            chain=chain,
            seq=seq,
            created_at=created_at.isoformat(),
            actor=actor_label,
            action=action,
            payload_digest=payload_digest,
            prev_hash=prev_hash,
        )
        try:
            with transaction.atomic():
                return AuditEntry.objects.create(
                    chain=chain,
                    seq=seq,
                    created_at=created_at,
                    actor=actor,
                    actor_label=actor_label,
                    action=action,
                    payload=stored,
                    payload_digest=payload_digest,
                    prev_hash=prev_hash,
                    hash=digest,
                )
        except IntegrityError:
            if not AuditEntry.objects.filter(chain=chain, seq=seq).exists():
                raise  # not a lost race on this link: a real error
    raise RuntimeError(f"could not append to audit chain {chain}")


def _queue_on_chain(chain: str) -> None:
    """Wait in line for this chain until our transaction ends. PostgreSQL only: SQLite
    serializes writers anyway."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"terang.audit:{chain}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )


def _settle() -> dt.timedelta:
    return dt.timedelta(seconds=settings.AUDIT_CHECKPOINT_SETTLE_SECONDS)


def checkpoint(*, settle: dt.timedelta | None = None) -> AuditCheckpoint | None:
    """Fold the head of every chain changed since the previous checkpoint into a new one.

    Only checkpoint writers serialize (on the last checkpoint's row, with the unique seq as the
    backstop); record_audit never waits on this. Returns None when no chain changed.

    Which chains changed: entries with id above a floor. Ids are not committed in order, so the
    floor is not the previous checkpoint's high-water id but that of the newest checkpoint taken
    at least `settle` before it: an entry still uncommitted when one checkpoint scanned is picked
    up by the next, as long as its transaction commits within `settle` of its created_at. Chains
    whose head a checkpoint since that floor already recorded are not folded again.
    """
    settle = _settle() if settle is None else settle
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _checkpoint_once(settle)
        except IntegrityError:
            continue  # another checkpoint writer took this seq: start again from its row
    raise RuntimeError("could not write an audit checkpoint")


def _checkpoint_once(settle: dt.timedelta) -> AuditCheckpoint | None:
    previous = AuditCheckpoint.objects.select_for_update().order_by("-seq").first()
    # Order matters for the settle argument: high-water id, then clock, then the scan.
    high_water_id = AuditEntry.objects.aggregate(top=Max("id"))["top"] or 0
    created_at = timezone.now()
    floor_seq, floor = 0, 0
    if previous is not None:
        floor_seq, floor = (
            AuditCheckpoint.objects.filter(created_at__lte=previous.created_at - settle)
            .order_by("-seq")
            .values_list("seq", "high_water_id")
            .first()
        ) or (0, 0)
    known = _known_heads(floor_seq)
    heads = {
        chain: [seq, digest]
        for chain, seq, digest in _heads_above(floor)
        if known.get(chain) != [seq, digest]
    }
    if not heads:
        return None
    seq = previous.seq + 1 if previous is not None else 1
    prev_hash = previous.hash if previous is not None else GENESIS
    return AuditCheckpoint.objects.create(
        seq=seq,
        created_at=created_at,
        high_water_id=high_water_id,
        heads=heads,
        prev_hash=prev_hash,
        hash=checkpoint_hash(
            seq=seq,
            created_at=created_at.isoformat(),
            high_water_id=high_water_id,
            heads_digest=digest_payload(heads),
            prev_hash=prev_hash,
        ),
    )


def _known_heads(floor_seq: int) -> dict[str, list[Any]]:
    """Heads already folded by the checkpoints whose scans overlap the next one (capped), so a
    rescan does not fold an unchanged chain again."""
    recent = AuditCheckpoint.objects.filter(seq__gt=floor_seq).order_by("-seq")
    known: dict[str, list[Any]] = {}
    for heads in list(recent.values_list("heads", flat=True)[:KNOWN_CHECKPOINTS])[::-1]:
        known.update(heads)
    return known


def _heads_above(floor: int) -> list[tuple[str, int, str]]:
    """(chain, head seq, head hash) of each chain with an entry above `floor`: one scan of that
    id range, then one index probe per chain, so a long chain costs no more than a short one."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    head = f"FROM {table} e WHERE e.chain = c.chain ORDER BY e.seq DESC LIMIT 1"
    # Only the model's own table name is interpolated; the floor is a parameter.
    sql = (
        f"SELECT c.chain, (SELECT e.seq {head}), (SELECT e.hash {head}) "  # noqa: S608
        f"FROM (SELECT DISTINCT chain FROM {table} WHERE id > %s) c"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [floor])
        return [(chain, seq, digest) for chain, seq, digest in cursor.fetchall()]


@dataclass(frozen=True)
class Problem:
    """One break in the log. `entry_id` is the entry where it shows (for a removal, the first
    surviving entry after the gap); None when nothing survives to show it (a chain's tail or a
    whole chain gone, caught by a checkpoint) or the break is in the checkpoint chain."""

    kind: Kind
    record: Literal["entry", "checkpoint"]
    seq: int
    detail: str
    chain: str = ""
    entry_id: int | None = None
    checkpoint_seq: int | None = None

    def sort_key(self) -> tuple[int, int, str, int]:
        """Entries by id first; what has no entry to point at follows, by checkpoint."""
        if self.entry_id is not None:
            return (0, self.entry_id, "", 0)
        return (1, self.checkpoint_seq or 0, self.chain, self.seq)

    def __str__(self) -> str:
        if self.record == "checkpoint":
            where = f"checkpoint seq={self.seq}"
        elif self.entry_id is None:
            where = f"entry chain={self.chain} seq={self.seq}"
        else:
            where = f"entry id={self.entry_id} chain={self.chain} seq={self.seq}"
        return f"{self.kind}: {where} ({self.detail})"


@dataclass
class VerifyResult:
    entries: int = 0
    chains: int = 0
    checkpoints: int = 0
    problems: int = 0
    first_problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.first_problem is None

    def note(self, problem: Problem) -> None:
        self.problems += 1
        if self.first_problem is None or problem.sort_key() < self.first_problem.sort_key():
            self.first_problem = problem


Digest = Callable[[Row, int], str]
Break = tuple[Kind, Row, int, str]


def _entry_digest(row: Row, seq: int) -> str:
    return entry_hash(
        chain=row["chain"],
        seq=seq,
        created_at=row["created_at"].isoformat(),
        actor=row["actor_label"],
        action=row["action"],
        payload_digest=row["payload_digest"],
        prev_hash=row["prev_hash"],
    )


def _checkpoint_digest(row: Row, seq: int) -> str:
    return checkpoint_hash(
        seq=seq,
        created_at=row["created_at"].isoformat(),
        high_water_id=row["high_water_id"],
        heads_digest=row["heads_digest"],
        prev_hash=row["prev_hash"],
    )


def _payload_intact(row: Row) -> bool:
    return digest_payload(row["payload"]) == row["payload_digest"]


def _heads_wellformed(row: Row) -> bool:
    heads = row["heads"]
    return isinstance(heads, dict) and all(
        isinstance(v, list) and len(v) == 2 and isinstance(v[0], int) and isinstance(v[1], str)
        for v in heads.values()
    )


def _first_break(
    row: Row, prev: Row | None, *, digest: Digest, content_ok: Callable[[Row], bool]
) -> Break | None:
    """How `row` fails to follow `prev` (None: `row` should open the chain), if it does.

    An entry whose hash only verifies under another seq is intact but moved: reordered. A link
    that verifies on its own but does not point at its predecessor means the predecessor was
    rewritten (with a recomputed hash), so the predecessor is the altered one.
    """
    if not content_ok(row):
        return "altered", row, row["seq"], "content does not match its digest"
    if digest(row, row["seq"]) != row["hash"]:
        low = max(1, row["seq"] - REORDER_SEARCH)
        for seq in range(low, row["seq"] + REORDER_SEARCH + 1):
            if seq != row["seq"] and digest(row, seq) == row["hash"]:
                return "reordered", row, row["seq"], f"written as seq {seq}"
        return "altered", row, row["seq"], "content does not match its hash"
    expected = prev["seq"] + 1 if prev is not None else 1
    if row["seq"] != expected:
        last = row["seq"] - 1
        gap = f"seq {expected}" if last == expected else f"seq {expected}-{last}"
        return "removed", row, expected, f"{gap} missing before seq {row['seq']}"
    if prev is None:
        if row["prev_hash"] != GENESIS:
            return "altered", row, row["seq"], "first link does not start from genesis"
    elif row["prev_hash"] != prev["hash"]:
        return "altered", prev, prev["seq"], "rewritten: the next link points at another hash"
    return None


def verify_audit_log(*, chunk_size: int = 2000) -> VerifyResult:
    """Recompute every digest, hash and link, and check every checkpointed head still exists.

    One streamed pass over entries in (chain, seq) order (the unique index's order, no sort), one
    over checkpoints, and one batched hash lookup per HEAD_BATCH recorded heads: O(n) time, memory
    bounded by the chunk size and the largest checkpoint. Within a chain the first break in seq
    order counts; across the log, the break whose entry has the lowest id is reported first.
    """
    result = VerifyResult()
    _verify_entries(result, chunk_size)
    _verify_checkpoints(result, chunk_size)
    return result


def _verify_entries(result: VerifyResult, chunk_size: int) -> None:
    rows = AuditEntry.objects.order_by("chain", "seq").values()
    chain: str | None = None
    prev: Row | None = None
    broken = False
    for row in rows.iterator(chunk_size=chunk_size):
        result.entries += 1
        if row["chain"] != chain:
            chain, prev, broken = row["chain"], None, False
            result.chains += 1
        if not broken:
            found = _first_break(row, prev, digest=_entry_digest, content_ok=_payload_intact)
            if found is not None:
                kind, culprit, seq, detail = found
                result.note(
                    Problem(kind, "entry", seq, detail, chain=row["chain"], entry_id=culprit["id"])
                )
                broken = True
        prev = row


def _verify_checkpoints(result: VerifyResult, chunk_size: int) -> None:
    rows = AuditCheckpoint.objects.order_by("seq").values()
    prev: Row | None = None
    broken = False
    for stored in rows.iterator(chunk_size=max(1, chunk_size // 100)):
        result.checkpoints += 1
        row: Row = {**stored, "heads_digest": digest_payload(stored["heads"])}  # once, not per seq
        if not broken:
            found = _first_break(row, prev, digest=_checkpoint_digest, content_ok=_heads_wellformed)
            if found is not None:
                kind, culprit, seq, detail = found
                result.note(Problem(kind, "checkpoint", seq, detail, checkpoint_seq=culprit["seq"]))
                broken = True  # heads of an untrusted checkpoint would only add noise
            else:
                _verify_heads(result, row)
        prev = row


def _verify_heads(result: VerifyResult, row: Row) -> None:
    heads = sorted(row["heads"].items())
    for start in range(0, len(heads), HEAD_BATCH):
        batch = heads[start : start + HEAD_BATCH]
        found = {
            digest: (pk, chain, seq)
            for digest, pk, chain, seq in AuditEntry.objects.filter(
                hash__in=[digest for _chain, (_seq, digest) in batch]
            ).values_list("hash", "id", "chain", "seq")
        }
        for chain, (seq, digest) in batch:
            hit = found.get(digest)
            if hit is None or hit[1:] != (chain, seq):
                result.note(_head_problem(chain, seq, hit, row["seq"]))


def _head_problem(
    chain: str, seq: int, hit: tuple[int, str, int] | None, checkpoint_seq: int
) -> Problem:
    recorded = f"checkpoint #{checkpoint_seq} recorded {chain}#{seq}"
    entry_id: int | None
    if hit is not None:  # the hash is still there, under another (chain, seq)
        entry_id, chain, seq = hit
        kind: Kind = "reordered"
        detail = f"{recorded} here"
    elif (entry_id := _entry_id(chain, seq)) is not None:
        kind, detail = "altered", f"{recorded} with another hash: rewritten at or before it"
    else:
        last = AuditEntry.objects.filter(chain=chain).aggregate(top=Max("seq"))["top"] or 0
        kind, seq = "removed", min(seq, last + 1)
        detail = f"{recorded}; " + (f"the chain ends at seq {last}" if last else "it is gone")
    return Problem(
        kind, "entry", seq, detail, chain=chain, entry_id=entry_id, checkpoint_seq=checkpoint_seq
    )


def _entry_id(chain: str, seq: int) -> int | None:
    return AuditEntry.objects.filter(chain=chain, seq=seq).values_list("id", flat=True).first()
