"""Reads of platform data."""

from __future__ import annotations

from .models import AdministrativeArea, AreaSubscription, CityProfile, User
from .policy_cache import cached_policy, forget_policy

_CITY_CACHE_KEY = "terang:city-profile"


def get_city() -> CityProfile | None:
    city: CityProfile | None = cached_policy(_CITY_CACHE_KEY, CityProfile.objects.first)
    return city


def forget_city() -> None:
    forget_policy(_CITY_CACHE_KEY)


def kelurahan_list() -> list[AdministrativeArea]:
    return list(AdministrativeArea.objects.filter(level="kelurahan").select_related("parent"))


_KELURAHAN_SHAPES_KEY = "terang:kelurahan-shapes"


def kelurahan_shapes() -> list[AdministrativeArea]:
    """Every kelurahan with its polygon, for placing points: a few hundred rows at most, read
    once per process window (see policy_cache) instead of once per submission."""
    shapes: list[AdministrativeArea] = cached_policy(
        _KELURAHAN_SHAPES_KEY,
        lambda: list(
            AdministrativeArea.objects.filter(level="kelurahan").only(
                "id", "code", "name", "boundary", "min_lat", "max_lat", "min_lon", "max_lon"
            )
        ),
    )
    return shapes


def forget_areas() -> None:
    """Call after administrative areas change."""
    forget_policy(_KELURAHAN_SHAPES_KEY)


def area_subscribers(area: AdministrativeArea) -> list[User]:
    """Active people subscribed to a kelurahan: who an app messages about that area."""
    subscriptions = AreaSubscription.objects.filter(area=area, user__is_active=True)
    return [subscription.user for subscription in subscriptions.select_related("user")]
