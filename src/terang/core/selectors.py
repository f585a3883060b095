"""Reads of platform data."""

from __future__ import annotations

from .models import AdministrativeArea, CityProfile
from .policy_cache import cached_policy, forget_policy

_CITY_CACHE_KEY = "terang:city-profile"


def get_city() -> CityProfile | None:
    city: CityProfile | None = cached_policy(_CITY_CACHE_KEY, CityProfile.objects.first)
    return city


def forget_city() -> None:
    forget_policy(_CITY_CACHE_KEY)


def kelurahan_list() -> list[AdministrativeArea]:
    return list(AdministrativeArea.objects.filter(level="kelurahan").select_related("parent"))
