"""`terang run-periodic [--job NAME]`: run every registered periodic job (or the named ones)
once, in this process, one after another; for cron where no Celery beat runs. Exits 1 when a
job failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from terang.core.periodic import describe, get_job, jobs, run_job


class Command(BaseCommand):
    help = "Run every registered periodic job (or --job NAME) once, in process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--job", action="append", default=[], help="Only this job (repeatable)."
        )
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            selected = [get_job(name) for name in options["job"]] or jobs()
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        if options["list"]:
            for job in selected:
                self.stdout.write(f"{job.name}\t{job.task}\t{job.schedule}")
            return
        failed = []
        for job in selected:
            run = run_job(job)
            line = describe(run)
            self.stdout.write(line if run.ok else self.style.ERROR(line))
            if not run.ok:
                failed.append(job.name)
        if failed:
            raise CommandError(f"periodic jobs failed: {', '.join(failed)}")
