"""Staff pages under /staf/harga-pasar/: the daily entry grid, the CSV import, and the price
alert list. Officers work only on their own agency's markets; the services enforce it too."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from terang.core.errors import DomainError, NotFound
from terang.core.models import User
from terang.core.views.access import staff_required

from .. import selectors, services
from ..choices import PriceAlertStatus
from ..forms import EntryGridForm, EntryTargetForm, ImportForm, ResolveForm, price_field_name
from ..permissions import ALERT_ROLES, ENTRY_ROLES, can_handle_alerts, markets_for_entry

ALERT_FILTERS = ("active", PriceAlertStatus.OPEN, PriceAlertStatus.ACKNOWLEDGED, "resolved", "all")


def _alert_summary(alerts: list) -> str:  # type: ignore[type-arg]
    if not alerts:
        return ""
    return ngettext(
        "%(n)s peringatan harga dibuka atau diperbarui.",
        "%(n)s peringatan harga dibuka atau diperbarui.",
        len(alerts),
    ) % {"n": len(alerts)}


@staff_required(roles=ENTRY_ROLES)
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest) -> HttpResponse:
    """The grid: every active commodity for one market and one day."""
    markets = markets_for_entry(request.user)
    if not markets.exists():
        raise DjangoPermissionDenied
    today = services.city_today()
    source = request.POST if request.method == "POST" else request.GET
    first = markets.first()
    target = EntryTargetForm(
        {
            "pasar": source.get("pasar") or (first.code if first else ""),
            "tanggal": source.get("tanggal") or today.isoformat(),
        },
        markets=markets,
    )
    status = 200
    grid = None
    if target.is_valid():
        market, day = target.cleaned_data["pasar"], target.cleaned_data["tanggal"]
        initial_prices = selectors.entered_prices(market=market, date=day)
        commodities = selectors.active_commodities()
        if request.method == "POST":
            grid = EntryGridForm(
                request.POST, commodities=commodities, initial_prices=initial_prices
            )
            status = 422
            if grid.is_valid():
                try:
                    result = services.record_prices(
                        actor=cast(User, request.user),
                        market=market,
                        date=day,
                        prices=grid.prices(),
                    )
                except DomainError as exc:
                    for name, message in exc.details.items():
                        field = next(
                            (price_field_name(c) for c in grid.commodities if c.code == name),
                            None,
                        )
                        grid.add_error(field, str(message))
                    if not exc.details:
                        grid.add_error(None, str(exc.message))
                    status = exc.status
                else:
                    messages.success(
                        request,
                        _(
                            "Tersimpan: %(created)s harga baru, %(updated)s dikoreksi, "
                            "%(unchanged)s tidak berubah."
                        )
                        % {
                            "created": result.created,
                            "updated": result.updated,
                            "unchanged": result.unchanged,
                        },
                    )
                    if summary := _alert_summary(result.alerts):
                        messages.warning(request, summary)
                    query = urlencode({"pasar": market.code, "tanggal": day.isoformat()})
                    return redirect(f"{reverse('markets:staff_entry')}?{query}")
        else:
            grid = EntryGridForm(commodities=commodities, initial_prices=initial_prices)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "markets/staff/entry.html",
        {"target": target, "grid": grid, "staff_page": "entry", "today": today},
        status=status,
    )


@staff_required(roles=ENTRY_ROLES)
@require_http_methods(["GET", "POST"])
def import_prices(request: HttpRequest) -> HttpResponse:
    """Upload a CSV; on refusal the line-numbered report, on success a summary."""
    if not markets_for_entry(request.user).exists():
        raise DjangoPermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"staff_page": "import", "form": form}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["berkas"]
            try:
                result = services.import_prices_csv(
                    file=upload, file_name=upload.name, actor=cast(User, request.user)
                )
            except services.PriceImportRejected as exc:
                context.update(problems=exc.problems, problem_total=exc.total)
                context["rejected_message"] = exc.message
            except DomainError as exc:
                form.add_error("berkas", str(exc.message))
                status = exc.status
            else:
                context.update(batch=result.batch, alerts=result.alerts, form=ImportForm())
                status = 200
    context["recent"] = selectors.recent_imports(user=request.user)
    return render(request, "markets/staff/import.html", context, status=status)


@staff_required(roles=ALERT_ROLES)
@require_http_methods(["GET"])
def alerts(request: HttpRequest) -> HttpResponse:
    if not can_handle_alerts(request.user):
        raise DjangoPermissionDenied
    chosen = request.GET.get("status", "active")
    if chosen not in ALERT_FILTERS:
        chosen = "active"
    status = {"all": None, "resolved": PriceAlertStatus.RESOLVED}.get(chosen, chosen)
    rows = selectors.alerts_visible_to(request.user, status=status)[:200]
    return render(
        request,
        "markets/staff/alerts.html",
        {
            "alerts": rows,
            "chosen": chosen,
            "filters": [
                ("active", _("Aktif")),
                (PriceAlertStatus.OPEN, _("Terbuka")),
                (PriceAlertStatus.ACKNOWLEDGED, _("Ditangani")),
                ("resolved", _("Selesai")),
                ("all", _("Semua")),
            ],
            "staff_page": "alerts",
        },
    )


def _alert_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        alert = selectors.get_alert_for_staff(user=request.user, pk=pk)
        if action == "acknowledge":
            services.acknowledge_price_alert(actor=cast(User, request.user), alert=alert)
            messages.success(request, _("Peringatan ditandai sedang ditangani."))
        else:
            form = ResolveForm(request.POST)
            note = form.cleaned_data["catatan"] if form.is_valid() else ""
            services.resolve_price_alert(actor=cast(User, request.user), alert=alert, note=note)
            messages.success(request, _("Peringatan ditandai selesai."))
    except NotFound:
        raise DjangoPermissionDenied from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("markets:staff_alerts")


@staff_required(roles=ALERT_ROLES)
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _alert_action(request, pk, "acknowledge")


@staff_required(roles=ALERT_ROLES)
@require_POST
def alert_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _alert_action(request, pk, "resolve")
