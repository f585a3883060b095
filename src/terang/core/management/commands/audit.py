"""`terang audit verify` and `terang audit checkpoint`: the audit chain from the console."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from terang.core.audit import checkpoint, verify_audit_log


class Command(BaseCommand):
    help = "Verify the hash-chained audit log, or fold changed chains into a checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="recompute every hash; exit 1 on the first break")
        verify.add_argument("--chunk-size", type=int, default=2000)
        sub.add_parser("checkpoint", help="fold the heads of changed chains into a checkpoint")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "checkpoint":
            self._checkpoint()
        else:
            self._verify(options["chunk_size"])

    def _verify(self, chunk_size: int) -> None:
        result = verify_audit_log(chunk_size=chunk_size)
        if result.first_problem is not None:
            raise CommandError(
                f"FAILED: {result.first_problem} [{result.problems} problem(s) in "
                f"{result.entries} entries, {result.chains} chains, "
                f"{result.checkpoints} checkpoints]"
            )
        self.stdout.write(
            f"OK: {result.entries} entries in {result.chains} chains, "
            f"{result.checkpoints} checkpoints"
        )

    def _checkpoint(self) -> None:
        made = checkpoint()
        if made is None:
            self.stdout.write("No chain changed since the last checkpoint.")
            return
        # Publishing this hash elsewhere anchors everything before it.
        self.stdout.write(f"Checkpoint #{made.seq}: {len(made.heads)} chains, hash {made.hash}")
