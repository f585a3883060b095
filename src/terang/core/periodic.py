"""Periodic jobs: each app registers its jobs in `AppConfig.ready()`, and both schedulers read
the registry (`registry["periodic_jobs"]`, see `core.registry`).

- Celery beat gets its `beat_schedule` from `beat_schedule()` (`terang.celery` fills it once the
  apps are ready), so settings list no job.
- `terang run-scheduler` runs the same jobs in process, one after another on one thread, for
  the embedded deployment (`make demo`, SQLite, no broker); `terang run-periodic` runs each job
  (or one) once, for cron.

A job names a Celery task by its dotted name; the in-process runners call that task directly.
On SQLite a job that meets "database is locked" (another process held the write lock past the
busy timeout) is retried once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, TypeAlias

from celery.schedules import crontab
from celery.schedules import schedule as interval_schedule
from django.db import OperationalError, close_old_connections, connections

from .registry import registry

logger = logging.getLogger(__name__)

Schedule: TypeAlias = float | int | dt.timedelta | crontab
LOCKED_RETRY_PAUSE = 2.0  # seconds before the one retry of a job that met "database is locked"


@dataclass(frozen=True)
class PeriodicJob:
    """One periodic job: a Celery task (dotted name) and when to run it."""

    name: str
    task: str
    schedule: Schedule
    description: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def interval(self) -> dt.timedelta | None:
        """The period of an interval job; None for a crontab job."""
        if isinstance(self.schedule, crontab):
            return None
        if isinstance(self.schedule, dt.timedelta):
            return self.schedule
        return dt.timedelta(seconds=float(self.schedule))

    def celery_schedule(self) -> crontab | interval_schedule:
        return (
            self.schedule
            if isinstance(self.schedule, crontab)
            else interval_schedule(self.interval)
        )


def register_job(
    name: str,
    *,
    task: str,
    schedule: Schedule,
    description: str = "",
    options: dict[str, Any] | None = None,
) -> PeriodicJob:
    """Add a job to the registry (call from `AppConfig.ready()`). A name is registered once:
    a second registration with another task or schedule is a mistake, not an override."""
    if not isinstance(schedule, crontab | dt.timedelta | int | float) or isinstance(schedule, bool):
        raise TypeError(f"periodic job {name!r}: schedule must be seconds or a crontab")
    job = PeriodicJob(name, task, schedule, description, dict(options or {}))
    if job.interval is not None and job.interval.total_seconds() <= 0:
        raise ValueError(f"periodic job {name!r}: the interval must be positive")
    jobs_by_name: dict[str, PeriodicJob] = registry["periodic_jobs"]
    existing = jobs_by_name.get(name)
    if existing is not None:
        if existing == job:
            return existing
        raise ValueError(f"periodic job {name!r} is already registered with {existing.task!r}")
    jobs_by_name[name] = job
    return job


def jobs() -> list[PeriodicJob]:
    """Every registered job, in registration order."""
    return list(registry["periodic_jobs"].values())


def get_job(name: str) -> PeriodicJob:
    try:
        return registry["periodic_jobs"][name]
    except KeyError:
        raise KeyError(f"no periodic job named {name!r}") from None


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The registry as Celery's `beat_schedule`."""
    schedule: dict[str, dict[str, Any]] = {}
    for job in jobs():
        entry: dict[str, Any] = {"task": job.task, "schedule": job.celery_schedule()}
        if job.options:
            entry["options"] = dict(job.options)
        schedule[job.name] = entry
    return schedule


def resolve_task(name: str) -> Any:
    """The Celery task registered under `name`, importing its module first (the in-process
    runners do not rely on Celery's autodiscovery having run)."""
    from terang.celery import app

    module, _dot, _attr = name.rpartition(".")
    import_module(module)
    try:
        return app.tasks[name]
    except KeyError:
        raise LookupError(f"{name!r} is not a registered Celery task") from None


def is_database_locked(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


@dataclass
class JobRun:
    job: str
    ok: bool
    seconds: float
    result: Any = None
    error: str = ""
    attempts: int = 1


def _fresh_connections() -> None:
    """Drop connections that broke or outlived CONN_MAX_AGE between runs, as Django does
    between requests; never inside a transaction (a caller's, or a test's)."""
    if not any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        close_old_connections()


def run_job(job: PeriodicJob) -> JobRun:
    """Run one job now, in this process; retry once when SQLite says "database is locked".
    Never raises for the job's own failure: the run records it, so one broken job cannot stop
    the others."""
    start = time.monotonic()
    attempts = 0
    while True:
        attempts += 1
        _fresh_connections()
        try:
            result = resolve_task(job.task)()
        except Exception as exc:
            if attempts == 1 and is_database_locked(exc):
                logger.warning("periodic job %s: database is locked, retrying once", job.name)
                time.sleep(LOCKED_RETRY_PAUSE)
                continue
            logger.exception("periodic job %s failed", job.name)
            return JobRun(
                job.name, False, time.monotonic() - start, error=repr(exc), attempts=attempts
            )
        finally:
            _fresh_connections()
        return JobRun(job.name, True, time.monotonic() - start, result=result, attempts=attempts)


def describe(run: JobRun) -> str:
    outcome = f"ok: {run.result!r}" if run.ok else f"FAILED: {run.error}"
    retried = " (after a retry)" if run.attempts > 1 else ""
    return f"periodic job {run.job} ran in {run.seconds:.2f} s{retried}, {outcome}"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Scheduler:
    """Runs registered jobs when due, sequentially on the calling thread.

    Interval jobs are due when the scheduler starts, then every interval after each run began;
    crontab jobs at their next matching minute. A run that takes longer than the interval is not
    made up for: the next one starts when it ends."""

    def __init__(
        self,
        selected: list[PeriodicJob] | None = None,
        *,
        report: Callable[[JobRun], None] = lambda _run: None,
        now: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.jobs = list(jobs() if selected is None else selected)
        self.report = report
        self.now = now
        start = now()
        self.next_run: dict[str, dt.datetime] = {
            job.name: start if job.interval is not None else self._next_cron(job, start)
            for job in self.jobs
        }

    @staticmethod
    def _next_cron(job: PeriodicJob, after: dt.datetime) -> dt.datetime:
        assert isinstance(job.schedule, crontab)  # noqa: S101 - interval jobs never get here
        remaining = job.schedule.remaining_delta(after, tz=dt.UTC)
        # remaining_delta answers (last run, next run - last run, now) in its own terms.
        last, delta, _now = remaining
        return (last + delta).astimezone(dt.UTC)

    def due(self) -> list[PeriodicJob]:
        now = self.now()
        return [job for job in self.jobs if self.next_run[job.name] <= now]

    def run_pending(self) -> list[JobRun]:
        """Run every job due now, in registration order; return their runs."""
        runs = []
        for job in self.due():
            started = self.now()
            run = run_job(job)
            interval = job.interval
            self.next_run[job.name] = (
                started + interval if interval is not None else self._next_cron(job, self.now())
            )
            self.report(run)
            runs.append(run)
        return runs

    def seconds_to_next(self) -> float:
        if not self.jobs:
            return 60.0
        soonest = min(self.next_run.values())
        return max(0.0, (soonest - self.now()).total_seconds())

    def run_forever(self, stop: threading.Event | None = None, max_sleep: float = 30.0) -> None:
        stop = stop or threading.Event()
        while not stop.is_set():
            self.run_pending()
            stop.wait(min(max_sleep, self.seconds_to_next()))
