"""Reads of platform data."""

from __future__ import annotations

from django.core.cache import cache

from .models import AdministrativeArea, CityProfile

_CITY_CACHE_KEY = "terang:city-profile"


def get_city() -> CityProfile | None:
    city = cache.get(_CITY_CACHE_KEY)
    if city is None:
        city = CityProfile.objects.first()
        if city is not None:
            cache.set(_CITY_CACHE_KEY, city, 300)
    return city


def forget_city() -> None:
    cache.delete(_CITY_CACHE_KEY)


def kelurahan_list() -> list[AdministrativeArea]:
    return list(AdministrativeArea.objects.filter(level="kelurahan").select_related("parent"))
