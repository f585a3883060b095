"""Public price pages (no login): the latest price per commodity and one commodity's trend,
each with a CSV download of exactly the rows shown."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from terang.core.errors import NotFound
from terang.core.exports import safe_csv_writer

from .. import selectors
from ..charts import line_chart
from ..forms import PublicFilterForm

LATEST_FIELDS = [
    "tanggal",
    "pasar",
    "komoditas_kode",
    "komoditas",
    "satuan",
    "harga_rata_rata",
    "harga_terendah",
    "harga_tertinggi",
    "jumlah_pasar",
    "tanggal_pembanding",
    "harga_pembanding",
    "perubahan_persen",
]
SERIES_FIELDS = [
    "tanggal",
    "pasar",
    "komoditas_kode",
    "satuan",
    "harga_rata_rata",
    "harga_terendah",
    "harga_tertinggi",
    "jumlah_pasar",
]


def _filters(request: HttpRequest) -> PublicFilterForm:
    return PublicFilterForm(request.GET or None, markets=selectors.active_markets())


@require_GET
def prices(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    market = form.market()
    summaries = selectors.latest_prices(market=market)
    return render(
        request,
        "markets/public/prices.html",
        {
            "form": form,
            "market": market,
            "summaries": summaries,
            "has_data": any(s.date for s in summaries),
            "query": request.GET.urlencode(),
        },
        status=200 if not form.is_bound or form.is_valid() else 422,
    )


@require_GET
def prices_csv(request: HttpRequest) -> HttpResponse:
    """Open data: one row per commodity, plain integers (rupiah) and dot decimals, UTF-8."""
    form = _filters(request)
    market = form.market()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="harga-pasar-terkini.csv"'
    writer = safe_csv_writer(response)
    writer.writerow(LATEST_FIELDS)
    for s in selectors.latest_prices(market=market):
        writer.writerow(
            [
                s.date.isoformat() if s.date else "",
                market.code if market else "",
                s.commodity.code,
                s.commodity.name,
                s.commodity.unit,
                "" if s.average is None else s.average,
                "" if s.minimum is None else s.minimum,
                "" if s.maximum is None else s.maximum,
                s.markets_reporting,
                s.previous_date.isoformat() if s.previous_date else "",
                "" if s.previous_average is None else s.previous_average,
                "" if s.change_percent is None else s.change_percent,
            ]
        )
    return response


def _series(request: HttpRequest, code: str) -> tuple[PublicFilterForm, selectors.PriceSeries]:
    commodity = selectors.get_commodity(code)
    form = _filters(request)
    series = selectors.price_series(commodity=commodity, days=form.days(), market=form.market())
    return form, series


@require_GET
def commodity(request: HttpRequest, code: str) -> HttpResponse:
    try:
        form, series = _series(request, code)
    except NotFound as exc:
        return render(
            request, "markets/public/not_found.html", {"message": exc.message}, status=404
        )
    return render(
        request,
        "markets/public/commodity.html",
        {
            "form": form,
            "series": series,
            "commodity": series.commodity,
            "market": series.market,
            "chart": line_chart(series),
            "points": list(reversed(series.points)),
            "query": request.GET.urlencode(),
        },
        status=200 if not form.is_bound or form.is_valid() else 422,
    )


@require_GET
def commodity_csv(request: HttpRequest, code: str) -> HttpResponse:
    try:
        _form, series = _series(request, code)
    except NotFound as exc:
        return HttpResponse(str(exc.message), status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="harga-{series.commodity.code}-{series.days}-hari.csv"'
    )
    writer = safe_csv_writer(response)
    writer.writerow(SERIES_FIELDS)
    for point in series.points:
        writer.writerow(
            [
                point.date.isoformat(),
                series.market.code if series.market else "",
                series.commodity.code,
                series.commodity.unit,
                point.average,
                point.minimum,
                point.maximum,
                point.markets,
            ]
        )
    return response
