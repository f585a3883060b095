"""The periodic-job registry feeds Celery beat and the in-process runners (`run-scheduler`,
`run-periodic`): every registered job is in beat's schedule and nothing else is, each names a
real Celery task, due jobs run one after another, and "database is locked" is retried once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from celery import shared_task
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError

from terang.celery import app as celery_app
from terang.core import periodic
from terang.core.periodic import PeriodicJob, Scheduler, register_job, run_job
from terang.core.registry import registry

CALLS: list[str] = []
FAILURES: list[Exception] = []
PROBE = f"{__name__}.probe"


@shared_task
def probe() -> str:
    """A test task: fails with the next queued exception, if any, else records a call."""
    if FAILURES:
        raise FAILURES.pop(0)
    CALLS.append("probe")
    return "done"


@pytest.fixture
def probe_job(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[PeriodicJob]:
    monkeypatch.setattr(periodic, "LOCKED_RETRY_PAUSE", 0.0)
    CALLS.clear()
    FAILURES.clear()
    job = register_job("test-probe", task=PROBE, schedule=60)
    yield job
    registry["periodic_jobs"].pop("test-probe", None)


def test_settings_no_longer_list_the_jobs() -> None:
    assert not hasattr(settings, "CELERY_BEAT_SCHEDULE")


def test_every_app_registers_its_jobs() -> None:
    names = {job.name for job in periodic.jobs()}
    assert {
        "sla-sweep",
        "auto-close",
        "audit-checkpoint",
        "deliver-pending",
        "reading-partitions",
        "silent-stations",
        "budget-datasets",
        "ppid-sweep",
        "publish-ispu",
        "purge-idempotency",
    } <= names
    assert periodic.get_job("sla-sweep").interval == dt.timedelta(minutes=10)
    assert periodic.get_job("publish-ispu").schedule == crontab(minute=5)


def test_every_job_names_a_registered_celery_task() -> None:
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    for job in periodic.jobs():
        assert job.task in celery_app.tasks, job.name
        assert periodic.resolve_task(job.task) is celery_app.tasks[job.task]


def test_celery_beat_schedule_is_exactly_the_registry(tmp_path: Path) -> None:
    """In a fresh process, loaded as `celery beat` loads it (init_worker, then finalize)."""
    script = (
        "from terang.celery import app\n"
        "app.loader.init_worker()\n"
        "app.finalize()\n"
        "from terang.core.periodic import jobs\n"
        "beat = app.conf.beat_schedule\n"
        "registered = {job.name: job for job in jobs()}\n"
        "assert set(beat) == set(registered), (sorted(beat), sorted(registered))\n"
        "for name, entry in beat.items():\n"
        "    assert entry['task'] == registered[name].task, name\n"
        "    assert entry['task'] in app.tasks, name\n"
        "print(len(beat))\n"
    )
    env = {**os.environ, "TERANG_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "terang.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) == len(periodic.jobs()) >= 10


def test_beat_schedule_carries_intervals_and_crontabs() -> None:
    schedule = periodic.beat_schedule()
    assert set(schedule) == {job.name for job in periodic.jobs()}
    assert schedule["sla-sweep"]["task"] == "terang.aspirations.tasks.sweep_deadlines"
    assert schedule["sla-sweep"]["schedule"].run_every == dt.timedelta(seconds=600)
    assert schedule["publish-ispu"]["schedule"] == crontab(minute=5)


def test_a_name_is_registered_once(probe_job: PeriodicJob) -> None:
    assert register_job("test-probe", task=PROBE, schedule=60) == probe_job
    with pytest.raises(ValueError, match="already registered"):
        register_job("test-probe", task="terang.core.tasks.checkpoint_audit_chain", schedule=60)
    assert periodic.get_job("test-probe") == probe_job
    with pytest.raises(TypeError):
        register_job("test-bad", task=PROBE, schedule="hourly")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive"):
        register_job("test-bad", task=PROBE, schedule=0)
    assert "test-bad" not in registry["periodic_jobs"]


def test_a_registered_job_reaches_beat_and_both_runners(probe_job: PeriodicJob) -> None:
    assert periodic.beat_schedule()["test-probe"]["task"] == PROBE
    out = StringIO()
    call_command("run-periodic", "--job", "test-probe", stdout=out)
    assert CALLS == ["probe"]
    assert "periodic job test-probe ran in" in out.getvalue()
    assert "ok: 'done'" in out.getvalue()


def test_database_locked_is_retried_once(probe_job: PeriodicJob) -> None:
    FAILURES.append(OperationalError("database is locked"))
    run = run_job(probe_job)
    assert (run.ok, run.attempts, run.result) == (True, 2, "done")
    assert CALLS == ["probe"]


def test_a_second_lock_or_another_error_fails_the_run_without_raising(
    probe_job: PeriodicJob,
) -> None:
    FAILURES.extend([OperationalError("database is locked")] * 2)
    run = run_job(probe_job)
    assert (run.ok, run.attempts) == (False, 2)
    assert "database is locked" in run.error
    FAILURES.append(OperationalError("no such table: x"))
    run = run_job(probe_job)
    assert (run.ok, run.attempts) == (False, 1)
    assert CALLS == []


def test_run_periodic_fails_when_a_job_fails_and_names_unknown_jobs(
    probe_job: PeriodicJob,
) -> None:
    FAILURES.append(RuntimeError("boom"))
    with pytest.raises(CommandError, match="test-probe"):
        call_command("run-periodic", "--job", "test-probe", stdout=StringIO())
    with pytest.raises(CommandError, match="no periodic job named 'nope'"):
        call_command("run-periodic", "--job", "nope", stdout=StringIO())
    assert CALLS == []


def test_scheduler_runs_interval_jobs_at_start_then_every_interval(
    probe_job: PeriodicJob,
) -> None:
    clock = [dt.datetime(2026, 3, 2, 10, 0, 30, tzinfo=dt.UTC)]
    hourly = PeriodicJob("test-cron", PROBE, crontab(minute=5))
    runs: list[str] = []
    scheduler = Scheduler(
        [probe_job, hourly], report=lambda run: runs.append(run.job), now=lambda: clock[0]
    )
    assert [run.job for run in scheduler.run_pending()] == ["test-probe"]
    assert scheduler.run_pending() == []
    assert scheduler.seconds_to_next() == 60.0
    clock[0] += dt.timedelta(seconds=60)
    assert [run.job for run in scheduler.run_pending()] == ["test-probe"]
    clock[0] = dt.datetime(2026, 3, 2, 10, 5, 0, tzinfo=dt.UTC)
    assert [run.job for run in scheduler.run_pending()] == ["test-probe", "test-cron"]
    assert scheduler.next_run["test-cron"] == dt.datetime(2026, 3, 2, 11, 5, tzinfo=dt.UTC)
    assert runs == ["test-probe", "test-probe", "test-probe", "test-cron"]
    assert CALLS == ["probe"] * 4


@pytest.mark.django_db
def test_run_periodic_runs_every_registered_job() -> None:
    out = StringIO()
    call_command("run-periodic", stdout=out)
    for job in periodic.jobs():
        assert f"periodic job {job.name} ran in" in out.getvalue()
    assert "FAILED" not in out.getvalue()
