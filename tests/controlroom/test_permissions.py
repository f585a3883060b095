"""The control room's named permission predicates, by role, and the rule that keeps them in one
place: no other module of the app reads a user's role."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from terang.controlroom import permissions
from terang.core.errors import PermissionDenied
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

APP = Path(__file__).resolve().parents[2] / "src" / "terang" / "controlroom"
ROLES = ["anonymous", "citizen", "officer", "agency_head", "inspectorate", "operator", "admin"]


@pytest.fixture
def person(request, agency):  # type: ignore[no-untyped-def]
    role = request.param
    if role == "anonymous":
        return AnonymousUser()
    return make_user(f"user_{role}", role, agency if role in ("officer", "agency_head") else None)


def _cases(allowed: set[str]) -> list[tuple[str, bool]]:
    return [(role, role in allowed) for role in ROLES]


@pytest.mark.parametrize(
    ("person", "expected"),
    _cases({"inspectorate", "operator", "admin"}),
    indirect=["person"],
)
def test_who_sees_the_wall_and_every_alert(person, expected) -> None:  # type: ignore[no-untyped-def]
    assert permissions.can_view_wall(person) is expected
    assert permissions.can_read_all_alerts(person) is expected


@pytest.mark.parametrize(("person", "expected"), _cases({"operator", "admin"}), indirect=["person"])
def test_who_acts_on_alerts_and_dead_letters(person, expected) -> None:  # type: ignore[no-untyped-def]
    assert permissions.can_manage_alerts(person) is expected
    assert permissions.can_replay_dead_letters(person) is expected


@pytest.mark.parametrize(
    ("person", "expected"), _cases({"officer", "agency_head"}), indirect=["person"]
)
def test_officers_and_heads_read_their_agencys_alerts(person, expected, agency) -> None:  # type: ignore[no-untyped-def]
    assert permissions.alert_agency_of(person) == (agency.pk if expected else None)


def test_none_is_nobody() -> None:
    assert permissions.can_view_wall(None) is False
    assert permissions.alert_agency_of(None) is None


def test_the_brief_adds_agency_heads_to_the_wall_roles() -> None:
    assert permissions.BRIEF_ROLES - permissions.WALL_ROLES == {"agency_head"}


def test_an_inactive_operator_may_not_handle_alerts(operator) -> None:  # type: ignore[no-untyped-def]
    assert permissions.require_alert_manager(operator) is operator
    operator.is_active = False
    with pytest.raises(PermissionDenied):
        permissions.require_alert_manager(operator)


def _reads_a_role(path: Path) -> bool:
    return any(
        isinstance(node, ast.Attribute) and node.attr == "role"
        for node in ast.walk(ast.parse(path.read_text()))
    )


def test_only_the_permissions_module_reads_a_role() -> None:
    readers = sorted(
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts and _reads_a_role(path)
    )
    assert readers == ["permissions.py"]
