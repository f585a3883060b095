"""`make demo` on SQLite: the seeded city has a report past its deadline that no sweep has
marked yet, and the embedded scheduler, started beside a simulator pass, marks it late within
the first minute, with no "database is locked" in either process.

That whole run (migrate, seed and two processes on one SQLite file, about a minute) is `slow`:
`make test-slow` runs it. `make test` proves the scheduler's part in process: its first pass
over the package's seeded city runs every job due at start and marks the late report."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from terang.aspirations.choices import Status
from terang.aspirations.models import Aspiration
from terang.core.periodic import Scheduler, describe

BOUND = 60.0  # seconds from starting the scheduler; the done-when allows two minutes


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MQTT_URL")}
    env.update(
        TERANG_HOME=str(home), TERANG_ENV="development", DJANGO_SETTINGS_MODULE="terang.settings"
    )
    return env


def _terang(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "terang.cli", *args],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def _run(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "terang.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def _late_unmarked(db: Path) -> list[tuple[str, int]]:
    """(code, breached) of reports waiting for verification past their deadline."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(db, timeout=20) as con:
        return con.execute(
            "SELECT code, breached FROM aspirations_aspiration "
            "WHERE status = 'submitted' AND verify_due_at < ? ORDER BY code",
            (now,),
        ).fetchall()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_city")
@pytest.mark.xdist_group("demo-city")
def test_the_first_scheduler_pass_marks_the_seeded_late_reports() -> None:
    waiting = Aspiration.objects.filter(
        status=Status.SUBMITTED, verify_due_at__lt=timezone.now(), breached=False
    )
    late = list(waiting.values_list("code", flat=True))
    assert late, "the seed leaves a report past its deadline, not marked yet"

    lines: list[str] = []
    runs = Scheduler(report=lambda run: lines.append(describe(run))).run_pending()

    assert "sla-sweep" in [run.job for run in runs], lines
    assert all(run.ok for run in runs), lines
    assert not Aspiration.objects.filter(code__in=late, breached=False).exists()


@pytest.mark.slow
def test_demo_scheduler_marks_the_seeded_late_report_without_locking(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _run("migrate", "--noinput", env=env)
    _run("seed-demo", "--size", "small", env=env)
    db = tmp_path / "var" / "terang.sqlite3"
    waiting = _late_unmarked(db)
    assert waiting, "the seed leaves a report past its deadline"
    unmarked = [code for code, breached in waiting if not breached]
    assert unmarked, "the seed's late report is not marked yet"

    scheduler_log, simulator_log = tmp_path / "scheduler.log", tmp_path / "simulator.log"
    started = time.monotonic()
    scheduler = _terang("run-scheduler", "--max-sleep", "2", env=env, log=scheduler_log)
    simulator = _terang(
        "simulate-sensors",
        "--url",
        "",
        "--minutes",
        "10",
        "--speed",
        "600",
        env=env,
        log=simulator_log,
    )
    try:
        marked = False
        while time.monotonic() - started < BOUND and not marked:
            time.sleep(1)
            marked = all(breached for code, breached in _late_unmarked(db) if code in unmarked)
        elapsed = time.monotonic() - started
        assert simulator.wait(timeout=120) == 0, simulator_log.read_text()
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)
        if simulator.poll() is None:
            simulator.kill()
    logs = scheduler_log.read_text() + simulator_log.read_text()
    assert marked, f"not marked late within {BOUND} s:\n{logs}"
    assert elapsed < BOUND
    assert "periodic job sla-sweep ran in" in logs
    assert "database is locked" not in logs
    assert "FAILED" not in logs
    assert "stored" in simulator_log.read_text()
