"""Reference data and the public accountability table: categories, agencies, kelurahan and
agency performance. Anonymous reads."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from terang.core.schemas import errors
from terang.core.selectors import kelurahan_list

from .. import selectors
from ..schemas import AgencyOut, AgencyPerformanceOut, AreaOut, CategoryOut, PerformanceFilters
from ._common import agency_ref

router = Router()


@router.get(
    "/categories",
    response={200: list[CategoryOut], **errors()},
    tags=["reference"],
    summary="Daftar kategori aktif",
    description="Kategori aspirasi dengan OPD penanggung jawab dan tenggatnya.",
)
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    categories = selectors.active_categories().select_related("agency")
    return [
        {
            "code": c.code,
            "name": c.name,
            "name_en": c.name_en,
            "group": c.group,
            "description": c.description,
            "agency": agency_ref(c.agency),
            "deadlines": {
                "verify_working_days": c.verify_working_days,
                "response_working_days": c.response_working_days,
                "resolution_working_days": c.resolution_working_days,
                "needs_investigation": c.needs_investigation,
                "is_emergency": c.is_emergency,
                "emergency_response_minutes": (
                    c.emergency_response_minutes if c.is_emergency else None
                ),
            },
        }
        for c in categories
    ]


@router.get(
    "/agencies",
    response={200: list[AgencyOut], **errors()},
    tags=["reference"],
    summary="Daftar OPD aktif",
    description="Perangkat daerah yang menangani aspirasi.",
)
def list_agencies(request: HttpRequest) -> list[dict[str, Any]]:
    agencies = selectors.active_agencies().select_related("parent")
    return [
        {**(agency_ref(a) or {}), "parent": a.parent.code if a.parent else None} for a in agencies
    ]


@router.get(
    "/areas",
    response={200: list[AreaOut], **errors()},
    tags=["reference"],
    summary="Daftar kelurahan",
    description="Kelurahan dengan kode resmi, kecamatan induk, dan kotak batasnya.",
)
def list_areas(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": area.code,
            "name": area.name,
            "level": area.level,
            "parent_code": area.parent.code if area.parent else None,
            "parent_name": area.parent.name if area.parent else None,
            "bbox": [area.min_lon, area.min_lat, area.max_lon, area.max_lat],
        }
        for area in kelurahan_list()
    ]


@router.get(
    "/performance",
    response={200: list[AgencyPerformanceOut], **errors(422)},
    tags=["reference"],
    summary="Kinerja OPD",
    description="Tabel akuntabilitas publik per OPD: diterima, selesai, median waktu "
    "tanggapan dan penyelesaian, ketepatan tenggat, nilai, dibuka kembali, ping-pong.",
)
def performance(request: HttpRequest, filters: Query[PerformanceFilters]) -> list[Any]:
    return selectors.agency_performance(since=filters.since, until=filters.until)
