# ruff: noqa: F811 - fixtures imported from the aspirations conftest are used by name
"""The wall reads only the wall-source registry: a test-only app that registers a source in its
`ready()` shows on the page, the API and the brief without any other app being edited, and a
source that raises is logged and left out while the rest of the wall renders."""

from __future__ import annotations

import ast
import datetime as dt
import logging
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from terang.aspirations.services import submit_aspiration
from terang.controlroom.wall import brief
from terang.controlroom.wall import composer as wall
from terang.core.registry import registry
from terang.core.wall import register_wall_source, source_label, wall_sources
from tests.aspirations.conftest import GUEST_CONTACT, INSIDE_A, login_staff

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "terang"
PEERS = ("aspirations", "emergencies", "fleet", "markets", "ppid", "opendata", "budget", "demo")


@pytest.fixture(autouse=True)
def _restore_store():
    """Each test leaves the wall-source store as it found it."""
    saved = list(registry["wall_sources"])
    cache.clear()
    yield
    registry["wall_sources"][:] = saved
    cache.clear()


@pytest.fixture
def plugin_installed(settings):
    """`tests.plugin_app` in INSTALLED_APPS: Django populates the apps again and runs every
    `ready()`, the plugin's included."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.plugin_app"]


def _report(category):
    return submit_aspiration(
        title="Lampu jalan mati di Jl. Melati",
        text="Sudah tiga malam gelap.",
        category=category,
        location=INSIDE_A,
        reporter_name="Budi Santoso",
        reporter_contact=GUEST_CONTACT,
    )


def _broken(*args: object) -> list:
    raise RuntimeError("source database is down")


def test_every_domain_registers_its_source_once():
    names = [source.name for source in wall_sources()]
    assert names == ["aspirations", "controlroom", "emergencies", "markets", "fleet", "ppid"]
    assert source_label("sensors") == "Sensor" and source_label("alerts") == "Peringatan dini"
    assert source_label("unknown-code") == "unknown-code"


def test_registering_again_is_a_no_op_but_a_different_source_under_a_taken_name_fails():
    before = list(registry["wall_sources"])
    [aspirations] = [s for s in before if s.name == "aspirations"]
    again = register_wall_source(
        "aspirations",
        labels=dict(aspirations.labels),
        order=aspirations.order,
        counters=aspirations.counters,
        events=aspirations.events,
        map_points=aspirations.map_points,
        breaches=aspirations.breaches,
        ping_pong=aspirations.ping_pong,
        daily_figures=aspirations.daily_figures,
    )
    assert again is aspirations
    with pytest.raises(ValueError, match="already registered"):
        register_wall_source("aspirations", labels={}, counters=_broken)
    assert registry["wall_sources"] == before


def test_plugin_app_is_absent_until_installed(client, operator):
    login_staff(client, operator)
    body = client.get("/api/v1/wall").json()
    assert "plugin_probes" not in [counter["key"] for counter in body["counters"]]
    assert "plugin_app" not in [source.name for source in wall_sources()]


def test_plugin_app_source_shows_on_the_page_the_api_and_the_brief(
    plugin_installed, client, kelurahan, category, operator
):
    item = _report(category)
    login_staff(client, operator)

    body = client.get("/api/v1/wall").json()
    counters = {counter["key"]: counter for counter in body["counters"]}
    assert counters["plugin_probes"] == {
        "key": "plugin_probes",
        "label": "Probe plugin",
        "value": 7,
        "severity": "warning",
    }
    assert counters["aspirations_open"]["value"] == 1
    events = {event["key"]: event for event in body["events"]}
    assert events["plugin:probe:1"]["source_label"] == "Plugin uji"
    assert f"aspiration:{item.code}:new" in events
    assert "plugin:probe" in [point["key"] for point in body["map_points"]]

    html = client.get("/ruang-kendali/").content.decode()
    assert 'data-key="plugin_probes"' in html and "Probe plugin berbunyi" in html
    assert f"aspiration:{item.code}:new" in html

    lines = {line.key: line for line in brief.build_brief(dt.date(2026, 1, 5)).lines}
    assert lines["plugin_probes"].value == 3.0
    assert "aspirations_received" in lines


def test_a_failing_source_is_logged_and_skipped(client, kelurahan, category, operator, caplog):
    register_wall_source(
        "broken",
        labels={"broken": "Rusak"},
        counters=_broken,
        events=_broken,
        map_points=_broken,
        breaches=_broken,
        ping_pong=_broken,
        daily_figures=_broken,
    )
    item = _report(category)
    login_staff(client, operator)

    with caplog.at_level(logging.WARNING, logger="terang.controlroom.wall"):
        response = client.get("/api/v1/wall")
    assert response.status_code == 200
    body = response.json()
    assert [event["key"] for event in body["events"]] == [f"aspiration:{item.code}:new"]
    assert {counter["key"] for counter in body["counters"]} >= {"aspirations_open"}
    assert [point["key"] for point in body["map_points"]] == [f"aspiration:{item.code}"]
    failures = [r for r in caplog.records if "'broken'" in r.getMessage()]
    assert {r.levelno for r in failures} == {logging.WARNING}
    assert {r.getMessage().split(" failed in ")[1].split(";")[0] for r in failures} == {
        "events",
        "counters",
        "map_points",
        "breaches",
        "ping_pong",
    }
    assert all(r.exc_info and r.exc_info[0] is RuntimeError for r in failures)

    page = client.get("/ruang-kendali/")
    assert page.status_code == 200 and item.code in page.content.decode()

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="terang.controlroom.wall"):
        lines = brief.build_brief(dt.date(2026, 1, 5)).lines
    assert "aspirations_received" in [line.key for line in lines]
    assert any("'broken' failed in daily_figures" in r.getMessage() for r in caplog.records)


def _bad_query(now: dt.datetime) -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT missing_column FROM core_agency")
    return []


def test_a_source_whose_query_fails_does_not_abort_the_transaction_for_the_others(
    kelurahan, category, caplog
):
    """On PostgreSQL a failed query aborts the enclosing transaction: each source runs under a
    savepoint, so the sources after the broken one still read."""
    register_wall_source("bad-sql", labels={}, order=0, counters=_bad_query)
    _report(category)
    with caplog.at_level(logging.WARNING, logger="terang.controlroom.wall"):
        snap = wall.snapshot(fresh=True)
    assert {c.key: c.value for c in snap.counters}["aspirations_open"] == 1
    assert any("'bad-sql' failed in counters" in r.getMessage() for r in caplog.records)


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


WALL_MODULES = sorted(
    str(path.relative_to(SRC)) for path in (SRC / "controlroom" / "wall").rglob("*.py")
)


@pytest.mark.parametrize("module", [*WALL_MODULES, "controlroom/alerts/services.py"])
def test_the_wall_imports_no_domain_app(module):
    peers = {
        name
        for name in _imported_modules(SRC / module)
        if name.split(".")[:2] in [["terang", peer] for peer in PEERS]
    }
    assert peers == set()


@pytest.mark.parametrize("module", WALL_MODULES)
def test_the_wall_reads_none_of_the_control_rooms_own_sources(module):
    """The control room's sensors reach the wall through their registered source like any
    other app's: the wall package imports no sensor, air or alert module, nor the models."""
    own = {
        name
        for name in _imported_modules(SRC / module)
        if name.split(".")[:3]
        in [["terang", "controlroom", part] for part in ("sensors", "air", "alerts", "models")]
    }
    assert own == set()


def test_the_wall_package_is_not_empty():
    assert "controlroom/wall/composer.py" in WALL_MODULES
    assert len(WALL_MODULES) >= 8


def test_no_app_imports_the_wall_contract_from_a_peer():
    offenders = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "terang.controlroom.wall_types" in _imported_modules(path)
    )
    assert offenders == []
    assert not (SRC / "controlroom" / "wall_types.py").exists()
