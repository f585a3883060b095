"""`terang reencrypt-fields`: rewrite every encrypted column with the current
FIELD_ENCRYPTION_KEY, the step of a key rotation after which FIELD_ENCRYPTION_OLD_KEYS can be
emptied (see `terang.core.crypto` and docs/deploy.md).

Rows are read in primary-key batches, one transaction per batch. Each value is written back only
if it is still the token that was read (a concurrent edit wins, and is already under the current
key), and values the current key already opens are left alone, so the command can be stopped
and run again at any time. Values no configured key opens are counted, logged (model, field,
primary key) and left untouched, and the command exits non-zero: those values stay lost until
the key that wrote them is found and added to FIELD_ENCRYPTION_OLD_KEYS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from terang.core import crypto


@dataclass
class Tally:
    reencrypted: int = 0
    current: int = 0
    unreadable: int = 0
    empty: int = 0


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the current FIELD_ENCRYPTION_KEY, in batches; "
        "afterwards FIELD_ENCRYPTION_OLD_KEYS can be emptied."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would change, write nothing"
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        unreadable = 0
        for model, fields in crypto.encrypted_columns():
            tallies = self._model(model, fields, batch_size=batch_size, dry_run=dry_run)
            for field in fields:
                tally = tallies[field]
                unreadable += tally.unreadable
                done = "to re-encrypt" if dry_run else "re-encrypted"
                self.stdout.write(
                    f"{model._meta.label}.{field}: {tally.reencrypted} {done}, "
                    f"{tally.current} already current, {tally.unreadable} unreadable, "
                    f"{tally.empty} empty"
                )
        if unreadable:
            raise CommandError(
                f"{unreadable} value(s) could not be decrypted with any configured key and were "
                "left unchanged (see the warnings for model, field and primary key)."
            )

    def _model(
        self, model: Any, fields: list[str], *, batch_size: int, dry_run: bool
    ) -> dict[str, Tally]:
        tallies = {field: Tally() for field in fields}
        last_pk: Any = None
        while True:
            with transaction.atomic():
                rows = model._default_manager.order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                batch = list(rows.only("pk", *fields)[:batch_size])
                if not batch:
                    return tallies
                for row in batch:
                    self._row(model, row, fields, tallies, dry_run=dry_run)
            last_pk = batch[-1].pk

    def _row(
        self, model: Any, row: Any, fields: list[str], tallies: dict[str, Tally], *, dry_run: bool
    ) -> None:
        read: dict[str, str] = {}
        written: dict[str, str] = {}
        for field in fields:
            token = getattr(row, field)
            tally = tallies[field]
            if not token:
                tally.empty += 1
                continue
            if crypto.is_current(token):
                tally.current += 1
                continue
            try:
                new = crypto.reencrypt(token)
            except crypto.UnreadableField:
                crypto.log_unreadable(row, field)
                tally.unreadable += 1
                continue
            tally.reencrypted += 1
            read[field], written[field] = token, new
        if written and not dry_run:
            # Only if nobody changed these values meanwhile: a fresh write is already current.
            if not model._default_manager.filter(pk=row.pk, **read).update(**written):
                for field in written:
                    tallies[field].reencrypted -= 1
                    tallies[field].current += 1
