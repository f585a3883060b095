"""`terang remask-public-text`: recompute the masked public copies of every report.

Run it after the masking rules in `core.privacy` change (a new pattern, a fixed regex); the
copies of new and edited reports are masked when written. Works in batches and is idempotent:
a second run reports 0 updated.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from terang.aspirations.services import remask_public_copies


class Command(BaseCommand):
    help = "Recompute the masked public title, text and address of every aspiration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Reports read and written per transaction (default 500).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = remask_public_copies(batch_size=max(1, options["batch_size"]))
        self.stdout.write(f"checked {result.checked}, updated {result.updated}")
