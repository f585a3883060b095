"""Rows of the demo city: profile, days off, agencies (OPD), categories and areas."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from terang.aspirations.models import Category
from terang.core.calendar import forget_city_days_off
from terang.core.choices import AreaLevel
from terang.core.geo import bounding_box
from terang.core.models import AdministrativeArea, Agency, CityDayOff, CityProfile
from terang.core.selectors import forget_areas, forget_city

from . import catalog
from .geometry import CityShape, Kelurahan, build_shape


@dataclass
class Place:
    """A kelurahan with what the history generator needs to put reports in it."""

    area: AdministrativeArea
    kecamatan: AdministrativeArea
    shape: Kelurahan


@dataclass
class City:
    profile: CityProfile
    shape: CityShape
    agencies: dict[str, Agency]
    categories: list[tuple[Category, dict[str, Any]]]
    places: list[Place]
    days_off: list[CityDayOff] = field(default_factory=list)


def _bbox(area: Any, geometry: dict[str, Any]) -> None:
    area.min_lat, area.max_lat, area.min_lon, area.max_lon = bounding_box(geometry)


def days_off_within(today: dt.date) -> list[tuple[dt.date, str]]:
    """Each city day off at its latest date before `today` (so inside the history year)."""
    found = []
    for month, day, reason in catalog.CITY_DAYS_OFF:
        date = dt.date(today.year, month, day)
        if date >= today:
            date = dt.date(today.year - 1, month, day)
        found.append((date, reason))
    return found


def build_city(rng: random.Random, today: dt.date) -> City:
    shape = build_shape(rng, catalog.names(), catalog.REGION_CODE)
    profile = CityProfile(
        name=catalog.CITY_NAME,
        slug=catalog.CITY_SLUG,
        timezone=catalog.CITY_TIMEZONE,
        boundary=shape.boundary,
        contact_email=catalog.CITY_CONTACT_EMAIL,
    )
    _bbox(profile, shape.boundary)
    profile.save()
    forget_city()
    forget_areas()

    days_off = []
    for date, reason in days_off_within(today):
        day_off, _created = CityDayOff.objects.get_or_create(date=date, defaults={"reason": reason})
        days_off.append(day_off)
    forget_city_days_off()

    agencies: dict[str, Agency] = {}
    for row in catalog.agencies():
        agencies[row["code"]] = Agency.objects.create(
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            parent=agencies[row["parent"]] if row.get("parent") else None,
        )

    categories = []
    for row in catalog.categories():
        category = Category(
            code=row["code"],
            name=row["name"],
            name_en=row["name_en"],
            description=row.get("description")
            or f"{row['name']}. Ditangani {agencies[row['agency']].name}.",
            group=row["group"],
            keywords=row.get("keywords", ""),
            agency=agencies[row["agency"]],
            verify_working_days=3,
            response_working_days=5,
            resolution_working_days=14,
            needs_investigation=row.get("needs_investigation", False),
            is_emergency=row.get("is_emergency", False),
            emergency_response_minutes=row.get("emergency_response_minutes", 15),
            requires_resolution_check=row.get("requires_resolution_check", False),
        )
        categories.append((category, row))
    Category.objects.bulk_create([category for category, _row in categories])

    places = []
    for kec_shape in shape.kecamatan:
        kecamatan = AdministrativeArea(
            code=kec_shape.code,
            name=kec_shape.name,
            level=AreaLevel.KECAMATAN,
            boundary=kec_shape.boundary,
        )
        _bbox(kecamatan, kec_shape.boundary)
        kecamatan.save()
        kelurahan = []
        for kel_shape in kec_shape.kelurahan:
            area = AdministrativeArea(
                code=kel_shape.code,
                name=kel_shape.name,
                level=AreaLevel.KELURAHAN,
                parent=kecamatan,
                boundary=kel_shape.boundary,
            )
            _bbox(area, kel_shape.boundary)
            kelurahan.append(area)
        AdministrativeArea.objects.bulk_create(kelurahan)
        places += [
            Place(area=area, kecamatan=kecamatan, shape=kel_shape)
            for area, kel_shape in zip(kelurahan, kec_shape.kelurahan, strict=True)
        ]
    return City(
        profile=profile,
        shape=shape,
        agencies=agencies,
        categories=categories,
        places=places,
        days_off=days_off,
    )
