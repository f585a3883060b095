"""`terang run-scheduler`: the embedded scheduler. Runs every registered periodic job in this
process when it is due (interval jobs at start, then every interval; crontab jobs at their
minute), one after another on one thread, and prints each run. For deployments without Celery
beat, e.g. `make demo` beside the server on SQLite."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from terang.core.periodic import JobRun, Scheduler, describe, get_job, jobs


class Command(BaseCommand):
    help = (
        "Run the registered periodic jobs in process when they are due, one at a time "
        "(the embedded alternative to Celery beat and workers)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--job", action="append", default=[], help="Only this job (repeatable)."
        )
        parser.add_argument(
            "--max-sleep",
            type=float,
            default=30.0,
            help="Longest pause between checks for due jobs, in seconds (default 30).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            selected = [get_job(name) for name in options["job"]] or jobs()
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        names = ", ".join(job.name for job in selected)
        self.stdout.write(f"scheduler: {len(selected)} periodic jobs ({names})")
        scheduler = Scheduler(selected, report=self._report)
        scheduler.run_forever(stop, max_sleep=options["max_sleep"])
        self.stdout.write("scheduler stopped")

    def _report(self, run: JobRun) -> None:
        line = describe(run)
        self.stdout.write(line if run.ok else self.style.ERROR(line))
        self.stdout.flush()
