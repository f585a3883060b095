"""Alerts and early warning of the control room.

`evaluate_new_readings` runs the active rules over a batch of freshly stored readings (ingest
calls it inside the batch's transaction, see `sensors.services.ingest_messages`);
`check_silent_stations` is the periodic check for stations that stopped sending. Both end in
`raise_alert`, which keeps at most one active alert per (rule, station): a repeat updates it
(occurrences, last value).

Rule kinds:

* **threshold**: the value (or, with `use_ispu`, the ISPU of the value) compared with
  `threshold` by `comparison`. The ISPU here is that of the single reading (readings are in
  µg/m³ already); publishing the ISPU over the regulation's rolling averages is a later step.
* **rate_of_change**: (value - previous value) / hours between them, compared with
  `rate_per_hour` by `comparison` (>= 30 for a rising river, <= -30 for a falling one).
* **anomaly**: the robust z-score 0.6745 · (x - median) / MAD over the station's readings of
  the same parameter at the same hour of day in the 28 days before the reading; needs at least
  7 of them. |z| >= `z_limit` raises. Asia/Jakarta has no daylight saving, so the hour of day
  is taken in the project's time zone.
* **silent**: no data from the station for `silent_minutes` (see `check_silent_stations`).

Every change of an alert (raised, repeated, acknowledged, resolved) is appended to the alert's
audit chain. A new alert of severity danger whose rule has `notify_subscribers` queues one
message through the notification outbox to every subscriber of the station's kelurahan.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from terang.controlroom.air import ispu
from terang.controlroom.choices import (
    AlertKind,
    Comparison,
    Severity,
)
from terang.controlroom.models import Alert, AlertRule, Reading, Station
from terang.controlroom.permissions import require_alert_manager
from terang.core import alerts
from terang.core.alerts import open_or_repeat_alert
from terang.core.audit import record_audit
from terang.core.geo import kelurahan_at
from terang.core.models import User
from terang.core.notifications import notify_user
from terang.core.selectors import area_subscribers

ANOMALY_WINDOW = dt.timedelta(days=28)
ANOMALY_MIN_SAMPLES = 7
#: 0.6745 is the 0.75 quantile of the standard normal: it scales the MAD to a sigma.
MAD_SCALE = 0.6745
#: With a MAD of zero the mean absolute deviation is used instead (scaled the same way).
MEAN_AD_SCALE = 0.7979


def _breaches(value: float, comparison: str, limit: float) -> bool:
    return value >= limit if comparison == Comparison.GTE else value <= limit


def _rules_by_parameter() -> dict[int, list[AlertRule]]:
    rules: dict[int, list[AlertRule]] = defaultdict(list)
    active = AlertRule.objects.filter(is_active=True, parameter__isnull=False)
    for rule in active.exclude(kind=AlertKind.SILENT).select_related("parameter").order_by("pk"):
        if rule.parameter_id is not None:
            rules[rule.parameter_id].append(rule)
    return rules


def evaluate_new_readings(readings: Iterable[Reading]) -> list[Alert]:
    """Run the active rules over newly stored readings; returns the alerts raised or updated.

    Call it after the readings are stored, in the same transaction: the readings are then part
    of the history the next batch compares with, and a rolled-back batch raises nothing."""
    rules = _rules_by_parameter()
    if not rules:
        return []
    groups: dict[tuple[int, int], list[Reading]] = defaultdict(list)
    for reading in readings:
        if reading.parameter_id in rules:
            groups[(reading.station_id, reading.parameter_id)].append(reading)
    touched: dict[int, Alert] = {}
    # A fixed order of (station, parameter) and rule keeps the alert row locks of concurrent
    # ingest workers in the same order, so they queue instead of deadlocking.
    for (station_id, parameter_id), group in sorted(groups.items(), key=lambda kv: kv[0]):
        group.sort(key=lambda r: r.ts)
        for rule in rules[parameter_id]:
            if rule.station_id is not None and rule.station_id != station_id:
                continue
            for alert in _evaluate_rule(rule, station_id, group):
                touched[alert.pk] = alert
    return list(touched.values())


def _evaluate_rule(rule: AlertRule, station_id: int, group: list[Reading]) -> list[Alert]:
    station = group[0].station
    parameter_id = group[0].parameter_id
    hits: list[tuple[Reading, float, str]] = []
    if rule.kind == AlertKind.THRESHOLD:
        hits = _threshold_hits(rule, group)
    elif rule.kind == AlertKind.RATE_OF_CHANGE:
        hits = _rate_hits(rule, station_id, parameter_id, group)
    elif rule.kind == AlertKind.ANOMALY:
        hits = _anomaly_hits(rule, station_id, parameter_id, group)
    return [
        raise_alert(rule=rule, station=station, value=value, at=reading.ts, message=message)
        for reading, value, message in hits
    ]


def _label(rule: AlertRule) -> str:
    return rule.parameter.code if rule.parameter is not None else ""


def _threshold_hits(rule: AlertRule, group: list[Reading]) -> list[tuple[Reading, float, str]]:
    if rule.threshold is None:  # the kind's check constraint rules this out
        return []
    hits = []
    for reading in group:
        value = reading.value
        measure = "value"
        if rule.use_ispu:
            try:
                value = float(ispu.ispu_for(_label(rule), reading.value))
            except ValueError:
                continue  # not an ISPU parameter, or a negative value: the rule cannot apply
            measure = "ISPU"
        if _breaches(value, rule.comparison, rule.threshold):
            message = gettext("%(parameter)s: %(measure)s %(value)s melewati ambang %(limit)s") % {
                "parameter": _label(rule),
                "measure": measure,
                "value": f"{value:g}",
                "limit": f"{rule.threshold:g}",
            }
            hits.append((reading, value, message))
    return hits


def _rate_hits(
    rule: AlertRule, station_id: int, parameter_id: int, group: list[Reading]
) -> list[tuple[Reading, float, str]]:
    if rule.rate_per_hour is None:
        return []
    previous = (
        Reading.objects.filter(station_id=station_id, parameter_id=parameter_id, ts__lt=group[0].ts)
        .order_by("-ts")
        .values_list("ts", "value")
        .first()
    )
    hits = []
    for reading in group:
        if previous is not None:
            hours = (reading.ts - previous[0]).total_seconds() / 3600
            if hours > 0:
                rate = (reading.value - previous[1]) / hours
                if _breaches(rate, rule.comparison, rule.rate_per_hour):
                    message = gettext("%(parameter)s berubah %(rate)s per jam") % {
                        "parameter": _label(rule),
                        "rate": f"{rate:+.2f}",
                    }
                    hits.append((reading, reading.value, message))
        previous = (reading.ts, reading.value)
    return hits


def robust_z(value: float, history: list[float]) -> float:
    """The robust z-score of `value` against `history` (median and MAD, which one outlier in the
    history cannot drag). A flat history with MAD 0 falls back to the mean absolute deviation;
    if that is 0 too, any different value is infinitely far."""
    median = statistics.median(history)
    deviation = value - median
    mad = statistics.median(abs(x - median) for x in history)
    if mad > 0:
        return MAD_SCALE * deviation / mad
    mean_ad = statistics.fmean(abs(x - median) for x in history)
    if mean_ad > 0:
        return MEAN_AD_SCALE * deviation / mean_ad
    return 0.0 if deviation == 0 else math.copysign(math.inf, deviation)


def _anomaly_hits(
    rule: AlertRule, station_id: int, parameter_id: int, group: list[Reading]
) -> list[tuple[Reading, float, str]]:
    if rule.z_limit is None:
        return []
    tz = timezone.get_current_timezone()
    by_hour: dict[int, list[tuple[dt.datetime, float]]] = {}
    for hour in sorted({r.ts.astimezone(tz).hour for r in group}):
        # one read per hour of day covering the whole batch (its own readings included)
        by_hour[hour] = list(
            Reading.objects.filter(
                station_id=station_id,
                parameter_id=parameter_id,
                ts__gte=group[0].ts - ANOMALY_WINDOW,
                ts__lt=group[-1].ts,
                ts__hour=hour,
            ).values_list("ts", "value")
        )
    hits = []
    for reading in group:
        start = reading.ts - ANOMALY_WINDOW
        history = [
            value
            for ts, value in by_hour[reading.ts.astimezone(tz).hour]
            if start <= ts < reading.ts
        ]
        if len(history) < ANOMALY_MIN_SAMPLES:
            continue
        z = robust_z(reading.value, history)
        if abs(z) >= rule.z_limit:
            message = gettext("%(parameter)s tidak wajar untuk jam ini (skor z %(z)s)") % {
                "parameter": _label(rule),
                "z": f"{z:+.1f}",
            }
            hits.append((reading, reading.value, message))
    return hits


def raise_alert(
    *, rule: AlertRule, station: Station, value: float | None, at: dt.datetime, message: str
) -> Alert:
    """Open an alert for (rule, station), or update the active one if there is one.

    The row lock serialises repeats; two workers opening the same alert at once collide on the
    partial unique constraint, and the loser updates the winner's alert instead."""

    def repeat(alert: Alert) -> list[str]:
        alert.last_seen_at = max(alert.last_seen_at, at)
        alert.value = value
        alert.message = message[:500]
        return ["last_seen_at", "value", "message"]

    return open_or_repeat_alert(
        model=Alert,
        key={"rule": rule, "station": station},
        values={
            "severity": rule.severity,
            "first_seen_at": at,
            "last_seen_at": at,
            "value": value,
            "message": message[:500],
        },
        repeat=repeat,
        action_prefix="alert",
        payload=_payload,
        on_open=lambda alert: _notify_subscribers(alert, rule, station),
        find_active=lambda: _active_alert(rule, station),
    )


def _active_alert(rule: AlertRule, station: Station) -> Alert | None:
    return alerts.active_alert(Alert, {"rule": rule, "station": station})


def _payload(alert: Alert, **extra: Any) -> dict[str, Any]:
    return {
        "rule": alert.rule_id,
        "station": alert.station_id,
        "status": alert.status,
        "severity": alert.severity,
        "value": alert.value,
        "occurrences": alert.occurrences,
        "last_seen_at": alert.last_seen_at.isoformat(),
        **extra,
    }


def _notify_subscribers(alert: Alert, rule: AlertRule, station: Station) -> None:
    """Early warning: once per alert (on opening), only for danger and opted-in rules."""
    if alert.severity != Severity.DANGER or not rule.notify_subscribers:
        return
    area = kelurahan_at(lat=station.latitude, lon=station.longitude)
    if area is None:
        return
    subject = gettext("Peringatan dini: %(station)s") % {"station": station.name}
    body = gettext(
        "Ruang kendali kota mendeteksi kondisi berbahaya di stasiun %(station)s "
        "(%(area)s): %(message)s. Ikuti arahan petugas setempat."
    ) % {"station": station.name, "area": area.name, "message": alert.message}
    sent = 0
    for subscriber in area_subscribers(area):
        if notify_user(user=subscriber, subject=subject, body=body) is not None:
            sent += 1
    alert.notified_at = timezone.now()
    alert.save(update_fields=["notified_at"])
    record_audit(
        actor=None,
        action="alert.subscribers_notified",
        subject=alert,
        payload={"area": area.code, "recipients": sent},
    )


def acknowledge_alert(*, actor: User, alert: Alert) -> Alert:
    """An operator takes an open alert in hand (who and when are kept)."""
    require_alert_manager(actor)
    return alerts.acknowledge_alert(
        model=Alert, alert=alert, actor=actor, action="alert.acknowledged", payload=_payload
    )


def resolve_alert(*, actor: User, alert: Alert, note: str = "") -> Alert:
    """An operator closes an active alert; the next breach opens a new one."""
    require_alert_manager(actor)
    return alerts.resolve_alert(
        model=Alert, alert=alert, actor=actor, action="alert.resolved", payload=_payload, note=note
    )


def check_silent_stations(*, now: dt.datetime | None = None) -> list[Alert]:
    """Raise (or repeat) a device alert for every station silent longer than a silent rule
    allows. A station that never sent counts from its creation."""
    now = now or timezone.now()
    touched: list[Alert] = []
    for rule in AlertRule.objects.filter(is_active=True, kind=AlertKind.SILENT):
        if not rule.silent_minutes:
            continue
        stations = Station.objects.filter(is_active=True)
        if rule.station_id is not None:
            stations = stations.filter(pk=rule.station_id)
        if rule.parameter_id is not None:
            stations = stations.filter(parameters=rule.parameter_id)
        cutoff = now - dt.timedelta(minutes=rule.silent_minutes)
        silent = stations.filter(
            Q(last_seen_at__lte=cutoff) | Q(last_seen_at__isnull=True, created_at__lte=cutoff)
        ).distinct()
        for station in silent:
            since = station.last_seen_at or station.created_at
            minutes = int((now - since).total_seconds() // 60)
            message = gettext(
                "Stasiun %(station)s tidak mengirim data selama %(minutes)s menit"
            ) % {"station": station.code, "minutes": minutes}
            touched.append(
                raise_alert(rule=rule, station=station, value=None, at=now, message=message)
            )
    return touched
