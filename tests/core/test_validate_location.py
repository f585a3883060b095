"""One location check for every intake (aspirations, emergencies): the shared rules in core,
each caller's own wording for a missing location and a point outside the city."""

from __future__ import annotations

import pytest

from terang.core.errors import ValidationFailed
from terang.core.geo import Location, validate_location

pytestmark = pytest.mark.django_db

MESSAGES = {"missing_message": "tidak ada lokasi", "outside_message": "di luar kota"}


def test_a_lone_latitude_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_location(Location(latitude=-6.2), required=False, **MESSAGES)
    assert caught.value.details == {"field": "location"}


def test_an_address_is_enough_and_nothing_is_needed_when_optional() -> None:
    assert validate_location(Location(address="Jl. Merdeka 1"), required=True, **MESSAGES) is None
    assert validate_location(Location(), required=False, **MESSAGES) is None


def test_a_missing_required_location_uses_the_callers_message() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_location(Location(address="  "), required=True, **MESSAGES)
    assert str(caught.value.message) == "tidak ada lokasi"


def test_coordinates_out_of_range_are_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_location(Location(latitude=91.0, longitude=0.0), required=True, **MESSAGES)
    assert caught.value.details == {"field": "location"}
