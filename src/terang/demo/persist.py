"""Bulk writes of the simulated history: aspirations, events, audit chains, follows.

Audit entries use core.audit's own format functions (chain_name, entry_hash and the payload
digest), so `verify_audit_log` accepts them exactly as it accepts entries written by
`record_audit`; each payload is the one the aspiration services record for that event.

Events and audit entries (tens of thousands of small rows) are written with plain multi-row
INSERTs rather than bulk_create, whose per-instance cost dominated the seed. Event ids are
assigned up front, as `loaddata` does with fixtures, and the id sequence is reset afterwards;
the seed runs in one transaction on a demo database with no other writers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connections, router
from django.db.models import DateTimeField, Field, JSONField, Max, Model

from terang.aspirations.models import Aspiration, AspirationEvent, Follow
from terang.aspirations.services import refresh_public_copies
from terang.core import audit
from terang.core.models import AuditEntry

from .lifecycle import Event
from .reports import Item

BATCH = 1000
EVENT_FIELDS = (
    "id",
    "aspiration",
    "kind",
    "from_status",
    "to_status",
    "actor",
    "actor_role",
    "reason",
    "reason_code",
    "reason_params",
    "is_public",
    "from_agency",
    "to_agency",
    "created_at",
)
AUDIT_FIELDS = (
    "chain",
    "seq",
    "created_at",
    "actor",
    "actor_label",
    "action",
    "payload",
    "payload_digest",
    "prev_hash",
    "hash",
)


def _payload_digest() -> Callable[[Any], str]:
    digest = getattr(audit, "digest_payload", None)
    if digest is not None:
        return digest  # type: ignore[no-any-return]
    return lambda payload: hashlib.sha256(audit.canonical(payload).encode()).hexdigest()


def insert_rows(model: type[Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Plain multi-row INSERT without model instances. Datetime and JSON values are prepared by
    their model field for the backend; the rest are plain str, int, bool or None (foreign keys
    as ids), which every backend takes as they are."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns: list[Field[Any, Any]] = []
    for name in fields:
        column = model._meta.get_field(name)
        if not isinstance(column, Field) or not column.column:
            raise TypeError(f"{model.__name__}.{name} is not a concrete column")
        columns.append(column)
    preparers = [
        column.get_db_prep_save if isinstance(column, DateTimeField | JSONField) else None
        for column in columns
    ]
    # Only the model's own table and column names are interpolated; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(str(column.column)) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    tuple(
                        value if prepare is None else prepare(value, connection)
                        for prepare, value in zip(preparers, row, strict=True)
                    )
                    for row in rows[start : start + BATCH]
                ],
            )


def reset_sequence(model: type[Model]) -> None:
    connection = connections[router.db_for_write(model)]
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def write_history(items: Sequence[Item]) -> dict[str, int]:
    for item in items:
        refresh_public_copies(item.a)
    Aspiration.objects.bulk_create([item.a for item in items], batch_size=500)
    if any(item.a.pk is None for item in items):  # backends that cannot return ids
        ids = dict(
            Aspiration.objects.filter(code__in=[item.a.code for item in items]).values_list(
                "code", "pk"
            )
        )
        for item in items:
            item.a.pk = ids[item.a.code]

    merged = [item for item in items if item.merged_into is not None]
    for item in merged:
        assert item.merged_into is not None  # noqa: S101
        item.a.merged_into_id = item.merged_into.a.pk
    Aspiration.objects.bulk_update([item.a for item in merged], ["merged_into"], batch_size=500)

    next_id = (AspirationEvent.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    trail: list[tuple[Item, list[tuple[int, Event]]]] = []
    for item in items:
        numbered = list(enumerate(item.life.events, start=next_id))
        next_id += len(numbered)
        trail.append((item, numbered))
    insert_rows(
        AspirationEvent,
        EVENT_FIELDS,
        [
            (
                pk,
                item.a.pk,
                event.kind,
                event.from_status,
                event.to_status,
                event.actor.pk if event.actor else None,
                event.actor.role if event.actor else "",
                event.reason,
                event.reason_code,
                event.reason_params,
                event.is_public,
                event.from_agency_id,
                event.to_agency_id,
                event.at,
            )
            for item, numbered in trail
            for pk, event in numbered
        ],
    )
    reset_sequence(AspirationEvent)
    entries = audit_entries(trail)
    insert_rows(AuditEntry, AUDIT_FIELDS, entries)

    follows = [
        Follow(aspiration_id=item.a.pk, user_id=user_id)
        for item in items
        for user_id in sorted(item.followers)
    ]
    Follow.objects.bulk_create(follows, batch_size=BATCH)
    return {
        "aspirations": len(items),
        "events": sum(len(numbered) for _i, numbered in trail),
        "audit_entries": len(entries),
        "follows": len(follows),
    }


def audit_entries(trail: Sequence[tuple[Item, list[tuple[int, Event]]]]) -> list[tuple[Any, ...]]:
    """One chain per aspiration, one link per event, as `_common.add_event` records them
    (rows in AUDIT_FIELDS order)."""
    digest = _payload_digest()
    entries = []
    for item, numbered in trail:
        chain = audit.chain_name(item.a)
        prev_hash = audit.GENESIS
        for seq, (pk, event) in enumerate(numbered, start=1):
            action = f"aspiration.{event.kind}" + (f".{event.to_status}" if event.to_status else "")
            # JSON-native values only, so this is already what record_audit would store.
            payload = {
                "event": pk,
                "from": event.from_status,
                "to": event.to_status,
                "from_agency": event.from_agency_id,
                "to_agency": event.to_agency_id,
                "reason": event.reason,
                **(
                    {"reason_code": event.reason_code, "reason_params": event.reason_params}
                    if event.reason_code
                    else {}
                ),
            }
            payload_digest = digest(payload)
            actor_label = event.actor.username if event.actor is not None else "system"
            entry_hash = audit.entry_hash(
                chain=chain,
                seq=seq,
                created_at=event.at.isoformat(),
                actor=actor_label,
                action=action,
                payload_digest=payload_digest,
                prev_hash=prev_hash,
            )
            entries.append(
                (
                    chain,
                    seq,
                    event.at,
                    event.actor.pk if event.actor else None,
                    actor_label,
                    action,
                    payload,
                    payload_digest,
                    prev_hash,
                    entry_hash,
                )
            )
            prev_hash = entry_hash
    return entries
