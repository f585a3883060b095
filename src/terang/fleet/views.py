"""Staff pages of the fleet: overview, one vehicle's day, route coverage, all usable without
JavaScript (every map is inline SVG with a table beside it), and the two POST actions on an
idle alert (acknowledge, resolve) that the control room's all-alerts page links to.

Operators and administrators see every vehicle; officers and agency heads their own agency's
(another agency's vehicle, route or idle alert is a 404, as for aspirations); other roles get
403."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from terang.core.calendar import city_timezone
from terang.core.errors import DomainError, NotFound, PermissionDenied
from terang.core.models import User
from terang.core.views.access import staff_required
from terang.fleet import permissions, selectors, services
from terang.fleet.choices import VehicleState
from terang.fleet.forms import DayForm, IdleAlertResolveForm
from terang.fleet.models import IdlePeriod, Route, Vehicle
from terang.fleet.svg import thin, trail_map

TRAIL_TABLE_LIMIT = 300


def _day(request: HttpRequest) -> tuple[dt.date, DayForm]:
    form = DayForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["tanggal"]:
        return form.cleaned_data["tanggal"], form
    today = selectors.city_day()
    if not form.is_bound:
        form = DayForm(initial={"tanggal": today})
    return today, form


def _vehicle_or_404(request: HttpRequest, code: str) -> Vehicle:
    try:
        return selectors.get_vehicle_for_staff(user=request.user, code=code)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _route_or_404(request: HttpRequest, code: str) -> Route:
    try:
        return selectors.get_route_for_staff(user=request.user, code=code)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


@staff_required(roles=permissions.VIEW_ROLES)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Every vehicle I may follow: last position, its age, state and today's route coverage."""
    now = timezone.now()
    day = selectors.city_day(now)
    rows = selectors.last_positions(
        selectors.vehicles_visible_to(request.user),  # type: ignore[arg-type]
        now=now,
    )
    routes = selectors.routes_visible_to(request.user).filter(is_active=True)  # type: ignore[arg-type]
    coverages = [selectors.route_coverage(route=route, day=day) for route in routes]
    by_vehicle: dict[int, list[selectors.RouteCoverage]] = defaultdict(list)
    for coverage in coverages:
        if coverage.route.vehicle_id is not None:
            by_vehicle[coverage.route.vehicle_id].append(coverage)
    counts = Counter(row.state for row in rows)
    return render(
        request,
        "fleet/overview.html",
        {
            "fleet_page": "overview",
            "city_tz": city_timezone(),
            "now": now,
            "day": day,
            "rows": [(row, by_vehicle.get(row.vehicle.pk, [])) for row in rows],
            "state_counts": [
                (label, counts.get(value, 0)) for value, label in VehicleState.choices
            ],
            "coverages": coverages,
        },
    )


@staff_required(roles=permissions.VIEW_ROLES)
@require_GET
def vehicle_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One vehicle's city day: its trail drawn and tabulated, stops, idle periods, coverage."""
    vehicle = _vehicle_or_404(request, code)
    day, form = _day(request)
    now = timezone.now()
    [current] = selectors.last_positions(Vehicle.objects.filter(pk=vehicle.pk), now=now)
    trail = selectors.trail_of_day(vehicle=vehicle, day=day)
    idle = selectors.idle_periods(vehicle=vehicle, day=day, trail=trail)
    coverages = [
        selectors.route_coverage(route=route, day=day)
        for route in vehicle.routes.filter(is_active=True).order_by("code")
    ]
    depots = selectors.active_depots()
    route_points = [
        (point[0], point[1], covered, f"{coverage.route.name} #{index}")
        for coverage in coverages
        for index, (point, covered) in enumerate(
            zip(coverage.route.points, coverage.covered, strict=True), start=1
        )
    ]
    sketch = trail_map(
        trail=[(p.latitude, p.longitude) for p in trail],
        route_points=route_points,
        depots=[(d.latitude, d.longitude, d.name) for d in depots],
        idle=[
            (s.lat, s.lon, _("Diam sejak %(time)s") % {"time": _clock(s.started_at)}) for s in idle
        ],
        start_label=_("Posisi pertama hari itu"),
        end_label=_("Posisi terakhir hari itu"),
    )
    table = thin(trail, TRAIL_TABLE_LIMIT)
    return render(
        request,
        "fleet/vehicle.html",
        {
            "fleet_page": "overview",
            "city_tz": city_timezone(),
            "vehicle": vehicle,
            "current": current,
            "now": now,
            "day": day,
            "form": form,
            "trail_count": len(trail),
            "table": table,
            "table_is_thinned": len(table) < len(trail),
            "idle": idle,
            "coverages": coverages,
            "sketch": sketch,
        },
    )


@staff_required(roles=permissions.VIEW_ROLES)
@require_GET
def routes(request: HttpRequest) -> HttpResponse:
    """Coverage of every route I may follow on one city day."""
    day, form = _day(request)
    found = selectors.routes_visible_to(request.user).filter(is_active=True)  # type: ignore[arg-type]
    return render(
        request,
        "fleet/routes.html",
        {
            "fleet_page": "routes",
            "city_tz": city_timezone(),
            "day": day,
            "form": form,
            "coverages": [selectors.route_coverage(route=route, day=day) for route in found],
        },
    )


@staff_required(roles=permissions.VIEW_ROLES)
@require_GET
def route_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One route's points on one city day: which were passed within 50 m."""
    route = _route_or_404(request, code)
    day, form = _day(request)
    coverage = selectors.route_coverage(route=route, day=day)
    points = [
        (index, point[0], point[1], covered)
        for index, (point, covered) in enumerate(
            zip(route.points, coverage.covered, strict=True), start=1
        )
    ]
    sketch = trail_map(
        trail=[(lat, lon) for _index, lat, lon, _covered in points],
        route_points=[(lat, lon, covered, f"#{index}") for index, lat, lon, covered in points],
        depots=[(d.latitude, d.longitude, d.name) for d in selectors.active_depots()],
    )
    return render(
        request,
        "fleet/route.html",
        {
            "fleet_page": "routes",
            "city_tz": city_timezone(),
            "route": route,
            "day": day,
            "form": form,
            "coverage": coverage,
            "points": points,
            "sketch": sketch,
        },
    )


def _idle_alert_or_404(request: HttpRequest, pk: int) -> IdlePeriod:
    try:
        return selectors.get_idle_alert_for_staff(user=request.user, pk=pk)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _back(request: HttpRequest, period: IdlePeriod) -> HttpResponse:
    """Post/redirect/get to the page the action was posted from (the all-alerts page sends it
    as Referer: same-origin policy, and Django's CSRF check needs it over HTTPS), else to the
    vehicle's page. Only a URL of this site is followed."""
    referer = request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(referer)
    return redirect(reverse("fleet:vehicle", args=[period.vehicle.code]))


def _act_on_idle_alert(request: HttpRequest, pk: int, *, resolve: bool) -> HttpResponse:
    period = _idle_alert_or_404(request, pk)
    actor = request.user
    assert isinstance(actor, User)  # noqa: S101 - staff_required let only accounts through
    try:
        if resolve:
            form = IdleAlertResolveForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Periksa kembali isian formulir."))
                return _back(request, period)
            services.resolve_idle_alert(actor=actor, alert=period, note=form.cleaned_data["note"])
            messages.success(request, _("Peringatan ditandai selesai."))
        else:
            services.acknowledge_idle_alert(actor=actor, alert=period)
            messages.success(request, _("Peringatan ditandai sedang ditangani."))
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return _back(request, period)


@staff_required(roles=permissions.VIEW_ROLES)
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an open idle alert in hand."""
    return _act_on_idle_alert(request, pk, resolve=False)


@staff_required(roles=permissions.VIEW_ROLES)
@require_POST
def alert_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an active idle alert, with an optional note."""
    return _act_on_idle_alert(request, pk, resolve=True)


def _clock(moment: dt.datetime) -> str:
    return moment.astimezone(city_timezone()).strftime("%H:%M")
