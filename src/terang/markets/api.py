"""JSON API of the markets app, mounted under /api/v1/markets.

Public (anonymous) reads: markets, commodities, the latest prices and a commodity's series,
from the same selectors as the public page. Staff writes (session with two-factor, CSRF):
recording a price, importing a CSV, handling price alerts, through the same services as the
staff pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Status, UploadedFile

from terang.core.api_auth import require_staff, session_auth
from terang.core.schemas import errors

from . import selectors, services
from .models import Commodity, Market, PriceAlert
from .schemas import (
    AlertFilters,
    CommodityOut,
    ImportBatchOut,
    LatestFilters,
    LatestPricesOut,
    MarketOut,
    PriceAlertOut,
    PriceIn,
    PriceOut,
    ResolveIn,
    SeriesFilters,
    SeriesOut,
)

router = Router(tags=["markets"])


def commodity_ref(commodity: Commodity) -> dict[str, Any]:
    return {"code": commodity.code, "name": commodity.name, "unit": commodity.unit}


def market_ref(market: Market | None) -> dict[str, Any] | None:
    if market is None:
        return None
    return {
        "code": market.code,
        "name": market.name,
        "kelurahan": market.area.name if market.area_id and market.area else None,
        "latitude": market.latitude,
        "longitude": market.longitude,
    }


def _market(code: str | None) -> Market | None:
    return selectors.get_market(code) if code else None


@router.get(
    "",
    response={200: list[MarketOut], **errors()},
    summary="Daftar pasar",
    description="Pasar tradisional aktif yang harganya dipantau, dengan lokasinya.",
)
def list_markets(request: HttpRequest) -> list[dict[str, Any]]:
    return [market_ref(m) for m in selectors.active_markets()]  # type: ignore[misc]


@router.get(
    "/commodities",
    response={200: list[CommodityOut], **errors()},
    summary="Daftar komoditas",
    description="Komoditas aktif beserta satuan harganya, dalam urutan tampil.",
)
def list_commodities(request: HttpRequest) -> list[dict[str, Any]]:
    return [commodity_ref(c) for c in selectors.active_commodities()]


@router.get(
    "/prices",
    response={200: LatestPricesOut, **errors(404, 422)},
    summary="Harga terkini",
    description="Harga terakhir tiap komoditas: rata-rata kota dengan harga terendah dan "
    "tertinggi antarpasar, atau harga satu pasar (`market`), dan perubahannya dibanding "
    "sekitar sepekan sebelumnya.",
)
def latest(request: HttpRequest, filters: Query[LatestFilters]) -> dict[str, Any]:
    market = _market(filters.market)
    return {
        "market": market_ref(market),
        "items": [
            {
                "commodity": commodity_ref(s.commodity),
                "date": s.date,
                "average": s.average,
                "minimum": s.minimum,
                "minimum_markets": list(s.minimum_markets),
                "maximum": s.maximum,
                "maximum_markets": list(s.maximum_markets),
                "markets_reporting": s.markets_reporting,
                "previous_date": s.previous_date,
                "previous_average": s.previous_average,
                "change_share": s.change_share,
                "direction": s.direction,
            }
            for s in selectors.latest_prices(market=market)
        ],
    }


@router.get(
    "/prices/{commodity}",
    response={200: SeriesOut, **errors(404, 422)},
    summary="Deret harga harian",
    description="Harga harian satu komoditas selama `days` hari sampai hari harga terakhirnya: "
    "rata-rata kota dengan terendah dan tertinggi, atau harga satu pasar. Hari tanpa data "
    "tidak dicantumkan.",
)
def series(request: HttpRequest, commodity: str, filters: Query[SeriesFilters]) -> dict[str, Any]:
    found = selectors.get_commodity(commodity)
    market = _market(filters.market)
    data = selectors.price_series(commodity=found, days=filters.days, market=market)
    return {
        "commodity": commodity_ref(found),
        "market": market_ref(market),
        "start": data.start,
        "end": data.end,
        "days": data.days,
        "points": [
            {
                "date": p.date,
                "average": p.average,
                "minimum": p.minimum,
                "maximum": p.maximum,
                "markets": p.markets,
            }
            for p in data.points
        ],
    }


@router.post(
    "/prices",
    auth=session_auth,
    tags=["staff"],
    response={200: PriceOut, **errors(401, 403, 404, 422)},
    summary="Catat satu harga",
    description="Petugas OPD pasar itu (atau administrator) mencatat atau mengoreksi harga "
    "satu komoditas pada satu hari.",
)
def record(request: HttpRequest, payload: PriceIn) -> dict[str, Any]:
    user = require_staff(request)
    market = selectors.get_market(payload.market)
    commodity = selectors.get_commodity(payload.commodity)
    price = services.record_price(
        actor=user, market=market, commodity=commodity, date=payload.date, price=payload.price
    )
    return {
        "market": market.code,
        "commodity": commodity.code,
        "date": price.date,
        "price": price.price,
        "source": price.source,
    }


@router.post(
    "/imports",
    auth=session_auth,
    tags=["staff"],
    response={201: ImportBatchOut, **errors(401, 403, 413, 422)},
    summary="Impor harga dari CSV",
    description="Berkas CSV `tanggal,pasar,komoditas,harga`, semua atau tidak sama sekali. "
    "Bila ditolak, `details.errors` berisi setiap masalah dengan nomor baris (judul = baris 1) "
    "dan kolomnya.",
)
def import_csv(request: HttpRequest, file: File[UploadedFile]) -> Status:
    user = require_staff(request)
    result = services.import_prices_csv(file=file, file_name=file.name or "", actor=user)
    batch = result.batch
    body = {
        "id": batch.pk,
        "file_name": batch.file_name,
        "row_count": batch.row_count,
        "created_count": batch.created_count,
        "updated_count": batch.updated_count,
        "unchanged_count": batch.unchanged_count,
        "alerts": len(result.alerts),
    }
    return Status(201, body)


def _alert(alert: PriceAlert) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "commodity": commodity_ref(alert.commodity),
        "market": market_ref(alert.market),
        "status": alert.status,
        "severity": alert.severity,
        "rise_share": alert.rise_share,
        "threshold_share": alert.threshold_share,
        "current_average": alert.current_average,
        "previous_average": alert.previous_average,
        "window_end": alert.window_end,
        "first_raised_at": alert.first_raised_at,
        "last_raised_at": alert.last_raised_at,
        "occurrences": alert.occurrences,
        "resolution_note": alert.resolution_note,
    }


@router.get(
    "/alerts",
    auth=session_auth,
    tags=["staff"],
    response={200: list[PriceAlertOut], **errors(401, 403)},
    summary="Peringatan harga",
    description="Peringatan kenaikan harga yang boleh dilihat pemanggil (200 terbaru).",
)
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]) -> list[dict[str, Any]]:
    user = require_staff(request)
    rows = selectors.alerts_visible_to(user, status=filters.status or None)
    return [_alert(a) for a in rows[:200]]


@router.post(
    "/alerts/{alert_id}/acknowledge",
    auth=session_auth,
    tags=["staff"],
    response={200: PriceAlertOut, **errors(401, 403, 404, 409)},
    summary="Tangani peringatan harga",
    description="Menandai peringatan terbuka sedang ditangani.",
)
def acknowledge(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    user = require_staff(request)
    alert = selectors.get_alert_for_staff(user=user, pk=alert_id)
    return _alert(services.acknowledge_price_alert(actor=user, alert=alert))


@router.post(
    "/alerts/{alert_id}/resolve",
    auth=session_auth,
    tags=["staff"],
    response={200: PriceAlertOut, **errors(401, 403, 404, 409, 422)},
    summary="Selesaikan peringatan harga",
    description="Menutup peringatan aktif dengan catatan; kenaikan berikutnya membuka yang baru.",
)
def resolve(request: HttpRequest, alert_id: int, payload: ResolveIn) -> dict[str, Any]:
    user = require_staff(request)
    alert = selectors.get_alert_for_staff(user=user, pk=alert_id)
    return _alert(services.resolve_price_alert(actor=user, alert=alert, note=payload.note))
