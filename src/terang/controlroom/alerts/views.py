"""Staff pages for sensor alerts: the list of active alerts (with filters) and recently resolved
ones, and an alert's page with its audit trail and the acknowledge / resolve forms.

Reads go through the scoped selectors (an officer sees only the alerts of the agency's stations,
others get the same 404 as an unknown id); each POST calls exactly one service in
`controlroom.alerts.services`, which allows only operators and administrators. A refused action
re-renders the page with the service's message and HTTP status (403, 409) and nothing changes.
No JavaScript: plain forms with CSRF tokens, post/redirect/get."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from terang.controlroom.alerts import selectors, services
from terang.controlroom.choices import AlertStatus, Severity
from terang.controlroom.models import Alert
from terang.controlroom.permissions import can_manage_alerts
from terang.core.alerts import ALERT_SOURCES, AlertRow
from terang.core.errors import DomainError, NotFound
from terang.core.models import User
from terang.core.views.access import staff_required

TEMPLATES = "controlroom/alerts/"
LEVEL_ORDER: dict[str, int] = {Severity.DANGER: 0, Severity.WARNING: 1, Severity.INFO: 2}
TRAIL_LABELS = {
    "alert.raised": _("Dibuka"),
    "alert.repeated": _("Terulang"),
    "alert.acknowledged": _("Ditangani"),
    "alert.resolved": _("Diselesaikan"),
    "alert.subscribers_notified": _("Pelanggan wilayah dikabari"),
}


SENSOR_KIND = "sensor"


class AlertFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis peringatan"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Semua yang aktif")),
            (AlertStatus.OPEN, AlertStatus.OPEN.label),
            (AlertStatus.ACKNOWLEDGED, AlertStatus.ACKNOWLEDGED.label),
        ],
    )
    severity = forms.ChoiceField(
        label=_("Tingkat"), required=False, choices=[("", _("Semua")), *Severity.choices]
    )
    station = forms.ChoiceField(label=_("Stasiun"), required=False)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        stations = selectors.alert_filter_stations(user).values_list("code", "name")
        field = self.fields["station"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared just above
        field.choices = [("", _("Semua")), *stations]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)  # noqa: S101 - declared just above
        kind.choices = [
            ("", _("Semua")),
            (SENSOR_KIND, _("Sensor")),
            *((source.kind, source.label) for source in ALERT_SOURCES),
        ]


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan penyelesaian"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang dilakukan dan mengapa peringatan ini dianggap selesai."),
    )


def _alert_or_404(user: User, alert_id: int) -> Alert:
    try:
        return selectors.get_alert_for_staff(user=user, alert_id=alert_id)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _staff(request: HttpRequest) -> User:
    """The signed-in staff member (every view here is behind `staff_required`)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_required let only accounts through
    return user


@staff_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = AlertFilterForm(request.GET or None, user=user)
    filters = selectors.AlertFilters()
    kind = ""
    status = 200
    if form.is_bound:
        if form.is_valid():
            cleaned = dict(form.cleaned_data)
            kind = cleaned.pop("kind")
            filters = selectors.AlertFilters(**cleaned)
        else:
            status = 422
    sensors = status == 200 and kind in ("", SENSOR_KIND)
    context = {
        "form": form,
        "kind": kind,
        "show_sensors": kind in ("", SENSOR_KIND),
        "active": selectors.active_alerts_for(user, filters) if sensors else [],
        "resolved": (
            selectors.recently_resolved_alerts_for(user, filters, now=timezone.now())
            if sensors
            else []
        ),
        "other_alerts": _other_alerts(user, filters, kind) if status == 200 else [],
        "show_other": kind != SENSOR_KIND,
        "resolved_days": selectors.RESOLVED_RECENT_DAYS,
        "can_manage": can_manage_alerts(user),
    }
    return render(request, TEMPLATES + "list.html", context, status=status)


def _other_alerts(user: User, filters: selectors.AlertFilters, kind: str) -> list[AlertRow]:
    """Active alerts of the other registered kinds (prices, fleet, ...), most severe first,
    under the same status and level filters; a station filter concerns sensors only."""
    if filters.station:
        return []
    rows = [
        row
        for source in ALERT_SOURCES
        if kind in ("", source.kind)
        for row in source.rows(user)
        if (filters.status in ("", "active") or row.status == filters.status)
        and (not filters.severity or row.level == filters.severity)
    ]
    rows.sort(key=lambda row: row.seen_at, reverse=True)
    rows.sort(key=lambda row: LEVEL_ORDER.get(row.level, len(LEVEL_ORDER)))
    return rows


def render_detail(
    request: HttpRequest,
    alert: Alert,
    *,
    resolve_form: ResolveForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    manage = can_manage_alerts(_staff(request))
    context = {
        "alert": alert,
        "trail": [
            (entry, TRAIL_LABELS.get(entry.action, entry.action))
            for entry in selectors.alert_trail(alert)
        ],
        "can_manage": manage,
        "can_acknowledge": manage and alert.status == AlertStatus.OPEN,
        "can_resolve": manage and alert.status != AlertStatus.RESOLVED,
        "resolve_form": resolve_form or ResolveForm(),
        "action_error": error,
    }
    return render(request, TEMPLATES + "detail.html", context, status=status)


@staff_required
@require_GET
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    return render_detail(request, _alert_or_404(_staff(request), alert_id))


@staff_required
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _staff(request)
    alert = _alert_or_404(user, alert_id)
    try:
        services.acknowledge_alert(actor=user, alert=alert)
    except DomainError as exc:
        return render_detail(request, alert, error=str(exc.message), status=exc.status)
    messages.success(request, gettext("Peringatan ditandai sedang ditangani."))
    return redirect("controlroom:alert_detail", alert_id=alert.pk)


@staff_required
@require_POST
def alert_resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _staff(request)
    alert = _alert_or_404(user, alert_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return render_detail(
            request,
            alert,
            resolve_form=form,
            error=gettext("Periksa kembali isian formulir."),
            status=422,
        )
    try:
        services.resolve_alert(actor=user, alert=alert, note=form.cleaned_data["note"])
    except DomainError as exc:
        return render_detail(
            request, alert, resolve_form=form, error=str(exc.message), status=exc.status
        )
    messages.success(request, gettext("Peringatan diselesaikan."))
    return redirect("controlroom:alert_detail", alert_id=alert.pk)
