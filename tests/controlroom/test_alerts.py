"""Alert rules, the alert lifecycle and early warning to area subscribers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from terang.controlroom.alerts import services as alerts
from terang.controlroom.alerts.services import (
    acknowledge_alert,
    check_silent_stations,
    raise_alert,
    resolve_alert,
    robust_z,
)
from terang.controlroom.choices import AlertKind, AlertStatus, Comparison, Severity, StationKind
from terang.controlroom.models import Alert, AlertRule, Parameter, Reading, Station
from terang.controlroom.sensors.services import ingest_readings
from terang.core.audit import chain_name
from terang.core.choices import Role
from terang.core.errors import InvalidTransition, PermissionDenied
from terang.core.models import AreaSubscription, AuditEntry, Notification
from terang.core.selectors import forget_areas
from tests.factories import KelurahanFactory, UserFactory, make_staff

from .ingest_fixtures import BASE_TS, as_json, make_station, pm25, reading

pytestmark = pytest.mark.django_db


def send(station: Station, *items: dict[str, Any], parameter: str = "pm25") -> None:
    payload = as_json(list(items))
    result = ingest_readings(station=station, parameter_code=parameter, payload=payload)
    assert result.quarantined == 0, result.rejected


def threshold_rule(**extra: Any) -> AlertRule:
    fields: dict[str, Any] = {
        "name": "PM2.5 tinggi",
        "kind": AlertKind.THRESHOLD,
        "parameter": pm25(),
        "threshold": 150.0,
        "comparison": Comparison.GTE,
        "severity": Severity.WARNING,
    }
    fields.update(extra)
    return AlertRule.objects.create(**fields)


def audit_actions(alert: Alert) -> list[str]:
    return list(
        AuditEntry.objects.filter(chain=chain_name(alert))
        .order_by("seq")
        .values_list("action", flat=True)
    )


# --- threshold, repeats, lifecycle ------------------------------------------------------------


def test_threshold_breach_opens_one_alert_and_repeats_update_it() -> None:
    station = make_station()
    rule = threshold_rule()
    send(station, reading(0, 100.0))
    assert not Alert.objects.exists()

    send(station, reading(1, 160.0))
    alert = Alert.objects.get()
    assert (alert.rule, alert.station, alert.status, alert.severity) == (
        rule,
        station,
        AlertStatus.OPEN,
        Severity.WARNING,
    )
    assert (alert.occurrences, alert.value) == (1, 160.0)
    assert alert.first_seen_at == alert.last_seen_at == BASE_TS + dt.timedelta(minutes=1)

    send(station, reading(2, 170.0), reading(3, 90.0), reading(4, 180.0))
    alert = Alert.objects.get()
    assert (alert.occurrences, alert.value) == (3, 180.0)
    assert alert.first_seen_at == BASE_TS + dt.timedelta(minutes=1)
    assert alert.last_seen_at == BASE_TS + dt.timedelta(minutes=4)
    assert audit_actions(alert) == ["alert.raised", "alert.repeated", "alert.repeated"]


def test_a_duplicate_resend_does_not_count_again() -> None:
    station = make_station()
    threshold_rule()
    send(station, reading(1, 160.0))
    send(station, reading(1, 160.0))
    assert Alert.objects.get().occurrences == 1


def test_resolved_alert_is_not_reopened_a_new_breach_opens_a_new_one() -> None:
    station = make_station()
    threshold_rule()
    operator = make_staff(Role.OPERATOR)
    send(station, reading(1, 160.0))
    first = Alert.objects.get()
    resolve_alert(actor=operator, alert=first, note="  Sensor dibersihkan ")
    first.refresh_from_db()
    assert (first.status, first.resolved_by, first.resolution_note) == (
        AlertStatus.RESOLVED,
        operator,
        "Sensor dibersihkan",
    )
    assert first.resolved_at is not None

    send(station, reading(2, 165.0))
    assert Alert.objects.count() == 2
    second = Alert.objects.exclude(pk=first.pk).get()
    assert (second.status, second.occurrences, second.value) == (AlertStatus.OPEN, 1, 165.0)
    first.refresh_from_db()
    assert (first.status, first.occurrences) == (AlertStatus.RESOLVED, 1)


def test_rule_scope_station_and_inactive_rules() -> None:
    here = make_station("aqms-01")
    there = make_station("aqms-02")
    threshold_rule(station=here)
    threshold_rule(name="mati", is_active=False)
    send(there, reading(1, 300.0))
    assert not Alert.objects.exists()
    send(here, reading(1, 300.0))
    assert list(Alert.objects.values_list("station__code", flat=True)) == ["aqms-01"]


def test_lower_bound_comparison() -> None:
    station = make_station("awlr-01", kind=StationKind.WATER_LEVEL)
    water = Parameter.objects.get(code="water_level")
    AlertRule.objects.create(
        name="Air surut", kind=AlertKind.THRESHOLD, parameter=water, threshold=20.0,
        comparison=Comparison.LTE,
    )  # fmt: skip
    send(station, reading(0, 25.0, unit="cm"), parameter="water_level")
    assert not Alert.objects.exists()
    send(station, reading(1, 20.0, unit="cm"), parameter="water_level")
    assert Alert.objects.get().value == 20.0


def test_ispu_threshold_uses_the_index_of_the_reading() -> None:
    station = make_station()
    threshold_rule(threshold=101.0, use_ispu=True)
    send(station, reading(0, 55.4))  # ISPU 100: Sedang
    assert not Alert.objects.exists()
    send(station, reading(1, 56.0))  # ISPU 101: Tidak Sehat
    alert = Alert.objects.get()
    assert alert.value == 101.0
    assert "ISPU 101" in alert.message


def test_the_constraint_allows_one_active_alert_per_rule_and_station() -> None:
    station = make_station()
    rule = threshold_rule()
    raise_alert(rule=rule, station=station, value=1.0, at=BASE_TS, message="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            rule=rule, station=station, severity=rule.severity, first_seen_at=BASE_TS,
            last_seen_at=BASE_TS, message="duplikat",
        )  # fmt: skip


def test_raise_after_losing_the_create_race_updates_the_winner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    station = make_station()
    rule = threshold_rule()
    winner = raise_alert(rule=rule, station=station, value=1.0, at=BASE_TS, message="a")
    calls = {"n": 0}
    real = alerts._active_alert

    def blind_first(rule: AlertRule, station: Station) -> Alert | None:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(rule, station)

    monkeypatch.setattr(alerts, "_active_alert", blind_first)
    later = BASE_TS + dt.timedelta(minutes=5)
    again = raise_alert(rule=rule, station=station, value=2.0, at=later, message="b")
    assert again.pk == winner.pk
    winner.refresh_from_db()
    assert (winner.occurrences, winner.value, winner.last_seen_at) == (2, 2.0, later)
    assert Alert.objects.count() == 1


# --- rate of change -----------------------------------------------------------------------------


def test_rate_of_change_compares_with_the_previous_reading() -> None:
    station = make_station("awlr-01", kind=StationKind.WATER_LEVEL)
    water = Parameter.objects.get(code="water_level")
    AlertRule.objects.create(
        name="Air naik cepat", kind=AlertKind.RATE_OF_CHANGE, parameter=water, rate_per_hour=30.0,
    )  # fmt: skip
    send(station, reading(0, 100.0, unit="cm"), parameter="water_level")
    # +5 cm in 30 min = 10 cm/h, then +10 cm in 10 min = 60 cm/h (previous within the batch)
    send(
        station, reading(30, 105.0, unit="cm"), reading(40, 115.0, unit="cm"),
        parameter="water_level",
    )  # fmt: skip
    alert = Alert.objects.get()
    assert alert.value == 115.0
    assert alert.last_seen_at == BASE_TS + dt.timedelta(minutes=40)
    assert "+60.00" in alert.message
    # a fall is not a rise
    send(station, reading(50, 50.0, unit="cm"), parameter="water_level")
    assert Alert.objects.get().occurrences == 1


# --- anomaly --------------------------------------------------------------------------------------


def test_robust_z_ignores_an_outlier_in_the_history() -> None:
    history = [10.0, 11.0, 9.0, 10.0, 12.0, 8.0, 10.0, 500.0]
    assert robust_z(10.0, history) == 0.0
    assert robust_z(20.0, history) == pytest.approx(0.6745 * 10 / 1.0)
    assert robust_z(10.0, [10.0] * 7) == 0.0
    assert robust_z(11.0, [10.0] * 7) == float("inf")


def anomaly_history(station: Station, values: list[float], hour_ts: dt.datetime) -> None:
    Reading.objects.bulk_create(
        Reading(
            station=station,
            parameter=pm25(),
            ts=hour_ts - dt.timedelta(days=day + 1),
            value=value,
            received_at=hour_ts,
        )  # fmt: skip
        for day, value in enumerate(values)
    )


def test_anomaly_against_the_same_hour_of_day() -> None:
    station = make_station()
    AlertRule.objects.create(
        name="PM2.5 tidak wajar", kind=AlertKind.ANOMALY, parameter=pm25(), z_limit=3.5
    )
    at = BASE_TS
    anomaly_history(station, [30.0, 32.0, 28.0, 31.0, 29.0, 30.0, 33.0], at)
    # other hours and readings older than 28 days do not count
    Reading.objects.bulk_create(
        [
            Reading(station=station, parameter=pm25(), ts=at - dt.timedelta(hours=3),
                    value=400.0, received_at=at),
            Reading(station=station, parameter=pm25(), ts=at - dt.timedelta(days=29),
                    value=400.0, received_at=at),
        ]
    )  # fmt: skip
    send(station, reading(0, 34.0))  # median 30, MAD 1 -> z 2.7
    assert not Alert.objects.exists()
    send(station, reading(24 * 60, 36.0))  # next day, same hour: z 0.6745 * 6 / 1.5 = 2.7
    assert not Alert.objects.exists()
    send(station, reading(2 * 24 * 60, 60.0))
    alert = Alert.objects.get()
    assert alert.value == 60.0
    assert "skor z" in alert.message


def test_anomaly_needs_seven_samples() -> None:
    station = make_station()
    AlertRule.objects.create(name="z", kind=AlertKind.ANOMALY, parameter=pm25(), z_limit=3.5)
    anomaly_history(station, [30.0, 32.0, 28.0, 31.0, 29.0, 30.0], BASE_TS)
    send(station, reading(0, 900.0))
    assert not Alert.objects.exists()


def test_anomaly_history_includes_earlier_readings_of_the_same_batch() -> None:
    station = make_station()
    AlertRule.objects.create(name="z", kind=AlertKind.ANOMALY, parameter=pm25(), z_limit=3.5)
    anomaly_history(station, [30.0, 32.0, 28.0, 31.0, 29.0, 30.0], BASE_TS)
    send(station, reading(0, 30.0), reading(24 * 60, 90.0))  # 6 samples, then 7
    alert = Alert.objects.get()
    assert (alert.value, alert.last_seen_at) == (90.0, BASE_TS + dt.timedelta(days=1))


# --- silent stations ----------------------------------------------------------------------------


def test_silent_station_raises_a_device_alert_then_repeats() -> None:
    quiet = make_station("aqms-01")
    busy = make_station("aqms-02")
    rule = AlertRule.objects.create(
        name="Stasiun diam", kind=AlertKind.SILENT, silent_minutes=30, severity=Severity.WARNING
    )
    now = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)
    Station.objects.filter(pk=quiet.pk).update(last_seen_at=now - dt.timedelta(minutes=45))
    Station.objects.filter(pk=busy.pk).update(last_seen_at=now - dt.timedelta(minutes=5))

    assert check_silent_stations(now=now - dt.timedelta(minutes=20)) == []
    raised = check_silent_stations(now=now)
    assert [a.station for a in raised] == [quiet]
    alert = Alert.objects.get()
    assert (alert.rule, alert.value, alert.first_seen_at) == (rule, None, now)
    assert "45 menit" in alert.message

    later = now + dt.timedelta(minutes=1)
    check_silent_stations(now=later)
    alert.refresh_from_db()
    assert (alert.occurrences, alert.last_seen_at) == (2, later)
    assert "46 menit" in alert.message


def test_station_that_never_sent_counts_from_creation() -> None:
    station = make_station()
    AlertRule.objects.create(name="diam", kind=AlertKind.SILENT, silent_minutes=10)
    assert check_silent_stations(now=station.created_at + dt.timedelta(minutes=5)) == []
    assert len(check_silent_stations(now=station.created_at + dt.timedelta(minutes=11))) == 1


def test_silent_task_uses_the_clock_and_is_scheduled() -> None:
    from terang.controlroom import tasks
    from terang.core.periodic import beat_schedule

    beat = beat_schedule()["silent-stations"]
    assert beat["task"] == "terang.controlroom.tasks.check_silent_stations"

    station = make_station()
    Station.objects.filter(pk=station.pk).update(last_seen_at=BASE_TS)
    AlertRule.objects.create(name="diam", kind=AlertKind.SILENT, silent_minutes=10)
    assert tasks.check_silent_stations() == 1  # BASE_TS is long ago
    assert tasks.check_silent_stations() == 1
    assert Alert.objects.get().occurrences == 2


# --- acknowledge / resolve permissions ------------------------------------------------------------


@pytest.fixture
def open_alert() -> Alert:
    station = make_station()
    rule = threshold_rule()
    return raise_alert(rule=rule, station=station, value=200.0, at=BASE_TS, message="tinggi")


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.ADMIN])
def test_operator_and_admin_acknowledge_then_resolve(open_alert: Alert, role: str) -> None:
    actor = make_staff(role)
    acknowledge_alert(actor=actor, alert=open_alert)
    open_alert.refresh_from_db()
    assert (open_alert.status, open_alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, actor)
    assert open_alert.acknowledged_at is not None

    with pytest.raises(InvalidTransition):
        acknowledge_alert(actor=actor, alert=open_alert)

    resolve_alert(actor=actor, alert=open_alert, note="Selesai")
    open_alert.refresh_from_db()
    assert open_alert.status == AlertStatus.RESOLVED
    with pytest.raises(InvalidTransition):
        resolve_alert(actor=actor, alert=open_alert, note="lagi")
    with pytest.raises(InvalidTransition):
        acknowledge_alert(actor=actor, alert=open_alert)

    entries = AuditEntry.objects.filter(chain=chain_name(open_alert)).order_by("seq")
    assert [(e.action, e.actor) for e in entries] == [
        ("alert.raised", None),
        ("alert.acknowledged", actor),
        ("alert.resolved", actor),
    ]
    assert entries.last().payload["note"] == "Selesai"  # type: ignore[union-attr]


def test_repeat_after_acknowledge_keeps_the_alert_acknowledged(open_alert: Alert) -> None:
    acknowledge_alert(actor=make_staff(Role.OPERATOR), alert=open_alert)
    again = raise_alert(
        rule=open_alert.rule, station=open_alert.station, value=210.0, at=BASE_TS, message="x"
    )
    assert again.pk == open_alert.pk
    assert (again.status, again.occurrences) == (AlertStatus.ACKNOWLEDGED, 2)


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.OFFICER, Role.AGENCY_HEAD, Role.INSPECTORATE])
def test_others_cannot_acknowledge_or_resolve(open_alert: Alert, role: str) -> None:
    actor = make_staff(role) if role != Role.CITIZEN else UserFactory()
    before = audit_actions(open_alert)
    with pytest.raises(PermissionDenied):
        acknowledge_alert(actor=actor, alert=open_alert)
    with pytest.raises(PermissionDenied):
        resolve_alert(actor=actor, alert=open_alert, note="x")
    open_alert.refresh_from_db()
    assert (open_alert.status, open_alert.acknowledged_by, open_alert.resolved_at) == (
        AlertStatus.OPEN,
        None,
        None,
    )
    assert audit_actions(open_alert) == before


# --- early warning --------------------------------------------------------------------------------


@pytest.fixture
def subscribers() -> list[Any]:
    kelurahan = KelurahanFactory()
    forget_areas()
    elsewhere = KelurahanFactory(min_lat=10, max_lat=11, min_lon=10, max_lon=11)
    forget_areas()
    users = [UserFactory(), UserFactory(email="", phone="+6281234567890")]
    for user in users:
        AreaSubscription.objects.create(area=kelurahan, user=user)
    AreaSubscription.objects.create(area=elsewhere, user=UserFactory())
    inactive = UserFactory(is_active=False)
    AreaSubscription.objects.create(area=kelurahan, user=inactive)
    return users


def test_danger_alert_notifies_subscribers_once(subscribers: list[Any]) -> None:
    station = make_station()  # at -6.2, 106.6: inside the kelurahan
    threshold_rule(severity=Severity.DANGER, notify_subscribers=True)
    send(station, reading(1, 300.0))
    send(station, reading(2, 310.0))
    alert = Alert.objects.get()
    assert alert.occurrences == 2
    assert alert.notified_at is not None
    notes = Notification.objects.order_by("id")
    assert [n.recipient for n in notes] == subscribers
    assert [n.channel for n in notes] == ["email", "sms"]
    assert all(station.name in n.subject for n in notes)
    assert "alert.subscribers_notified" in audit_actions(alert)


@pytest.mark.parametrize(
    "extra",
    [
        {"severity": Severity.WARNING, "notify_subscribers": True},
        {"severity": Severity.DANGER, "notify_subscribers": False},
    ],
)
def test_no_message_below_danger_or_without_opt_in(
    subscribers: list[Any], extra: dict[str, Any]
) -> None:
    station = make_station()
    threshold_rule(**extra)
    send(station, reading(1, 300.0))
    assert Alert.objects.get().notified_at is None
    assert not Notification.objects.exists()


def test_station_outside_every_kelurahan_notifies_nobody(subscribers: list[Any]) -> None:
    station = make_station(latitude=-7.5, longitude=110.0)
    threshold_rule(severity=Severity.DANGER, notify_subscribers=True)
    send(station, reading(1, 300.0))
    assert Alert.objects.exists()
    assert not Notification.objects.exists()


def test_rule_check_constraint_requires_the_kind_fields() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertRule.objects.create(name="x", kind=AlertKind.THRESHOLD, parameter=pm25())
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertRule.objects.create(name="x", kind=AlertKind.SILENT)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_raises_leave_one_alert(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both workers see no active alert, both insert: the constraint makes the loser wait for
    the winner's commit, fail, and update the winner's alert instead."""
    import threading

    from django.db import connection

    station = make_station()
    rule = threshold_rule()
    real = alerts._active_alert
    barrier = threading.Barrier(2, timeout=10)
    local = threading.local()

    def racing(rule: AlertRule, station: Station) -> Alert | None:
        if not getattr(local, "waited", False):
            local.waited = True
            found = real(rule, station)
            barrier.wait()
            return found
        return real(rule, station)

    monkeypatch.setattr(alerts, "_active_alert", racing)
    errors: list[BaseException] = []

    def worker(value: float) -> None:
        try:
            raise_alert(rule=rule, station=station, value=value, at=BASE_TS, message="x")
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(v,)) for v in (1.0, 2.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    alert = Alert.objects.get()
    assert alert.occurrences == 2
