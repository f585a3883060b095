"""The fleet's permission predicates (`terang.fleet.permissions`), one row per role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from terang.core.choices import Role
from terang.fleet import permissions
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "with_agency", "views", "whole_fleet"),
    [
        (Role.ADMIN, False, True, True),
        (Role.OPERATOR, False, True, True),
        (Role.OFFICER, True, True, False),
        (Role.AGENCY_HEAD, True, True, False),
        (Role.OFFICER, False, False, False),
        (Role.INSPECTORATE, False, False, False),
        (Role.CITIZEN, False, False, False),
    ],
)
def test_who_views_the_fleet_and_who_sees_all_of_it(role, with_agency, views, whole_fleet):
    user = make_staff(role, with_device=False)
    if not with_agency:
        user.agency = None

    assert permissions.can_view_fleet(user) is views
    assert permissions.sees_whole_fleet(user) is whole_fleet


def test_an_inactive_operator_views_nothing():
    user = make_staff(Role.OPERATOR, with_device=False, is_active=False)

    assert permissions.can_view_fleet(user) is False


def test_anonymous_views_nothing():
    assert permissions.can_view_fleet(AnonymousUser()) is False
