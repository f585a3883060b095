"""Shapes of the /api/v1/markets endpoints. Prices are whole rupiah per the commodity's unit;
shares are fractions (0.1 = 10 %)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class CommodityOut(Schema):
    code: str
    name: str
    unit: str = Field(..., description="Satuan harga: kg, liter, butir, ikat.")


class MarketOut(Schema):
    code: str
    name: str
    kelurahan: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class LatestPriceOut(Schema):
    commodity: CommodityOut
    date: dt.date | None = Field(None, description="Hari harga terakhir.")
    average: int | None = Field(None, description="Rata-rata kota (atau harga di pasar itu).")
    minimum: int | None = None
    minimum_markets: list[str] = []
    maximum: int | None = None
    maximum_markets: list[str] = []
    markets_reporting: int = 0
    previous_date: dt.date | None = Field(None, description="Hari pembanding, 7-13 hari sebelum.")
    previous_average: int | None = None
    change_share: Decimal | None = Field(None, description="(harga - pembanding) / pembanding.")
    direction: str = Field("", description="up, down, flat, atau kosong tanpa pembanding.")


class LatestPricesOut(Schema):
    market: MarketOut | None = Field(None, description="Kosong untuk rata-rata kota.")
    items: list[LatestPriceOut]


class SeriesFilters(Schema):
    days: int = Field(30, ge=1, le=366, description="Panjang rentang dalam hari (1-366).")
    market: str | None = Field(None, description="Kode pasar; kosong untuk rata-rata kota.")


class LatestFilters(Schema):
    market: str | None = Field(None, description="Kode pasar; kosong untuk rata-rata kota.")


class SeriesPointOut(Schema):
    date: dt.date
    average: int
    minimum: int
    maximum: int
    markets: int


class SeriesOut(Schema):
    commodity: CommodityOut
    market: MarketOut | None = None
    start: dt.date
    end: dt.date
    days: int
    points: list[SeriesPointOut]


class PriceIn(Schema):
    market: str = Field(..., description="Kode pasar.")
    commodity: str = Field(..., description="Kode komoditas.")
    date: dt.date
    price: int = Field(..., description="Rupiah bulat per satuan.")


class PriceOut(Schema):
    market: str
    commodity: str
    date: dt.date
    price: int
    source: str


class ImportBatchOut(Schema):
    id: int
    file_name: str
    row_count: int
    created_count: int
    updated_count: int
    unchanged_count: int
    alerts: int = Field(..., description="Peringatan harga yang dibuka atau diperbarui.")


class PriceAlertOut(Schema):
    id: int
    commodity: CommodityOut
    market: MarketOut | None = None
    status: str
    severity: str
    rise_share: Decimal
    threshold_share: Decimal
    current_average: Decimal
    previous_average: Decimal
    window_end: dt.date
    first_raised_at: dt.datetime
    last_raised_at: dt.datetime
    occurrences: int
    resolution_note: str = ""


class AlertFilters(Schema):
    status: str | None = Field(
        None, description="active, open, acknowledged, resolved; kosong untuk semua."
    )


class ResolveIn(Schema):
    note: str = Field("", max_length=2000)
