"""Sensor stations, their parameters, readings (partitioned by month on PostgreSQL), the latest
value per station and parameter, the quarantine of rejected messages, alerts, and the hourly
ISPU publication that the public air-quality pages and API read."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.controlroom.air import ispu
from terang.controlroom.choices import (
    AlertKind,
    AlertStatus,
    Comparison,
    QuarantineReason,
    Severity,
    StationKind,
)
from terang.core.alerts import AbstractAlert
from terang.core.ingest.quarantine import QuarantineRecord


class Parameter(models.Model):
    """A measured quantity with its canonical unit and the plausible range of its values."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    unit = models.CharField(_("satuan"), max_length=20)
    min_value = models.FloatField(_("nilai minimum wajar"))
    max_value = models.FloatField(_("nilai maksimum wajar"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("parameter")
        verbose_name_plural = _("parameter")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_value__lte=models.F("max_value")),
                name="ctrl_parameter_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.unit})"


class Station(models.Model):
    """A sensor station. Only a keyed digest of its ingest token is stored."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=StationKind.choices)
    latitude = models.FloatField(_("lintang"))
    longitude = models.FloatField(_("bujur"))
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stations",
    )
    parameters = models.ManyToManyField(
        Parameter, through="StationParameter", related_name="stations", blank=True
    )
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    last_seen_at = models.DateTimeField(_("terakhir mengirim"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("stasiun")
        verbose_name_plural = _("stasiun")

    def __str__(self) -> str:
        return self.code


class StationParameter(models.Model):
    """Which parameters a station measures; readings for other parameters are quarantined."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE)
    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["station", "parameter"], name="ctrl_station_parameter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.parameter_id}"


class Reading(models.Model):
    """One measured value. On PostgreSQL the table is range-partitioned by month on `ts` and its
    primary key is (id, ts) (see migration 0002); Django only relies on `id` being unique."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, db_index=False)
    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, db_index=False)
    ts = models.DateTimeField()
    value = models.FloatField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["station", "parameter", "ts"], name="ctrl_reading_station_param_ts"
            )
        ]
        indexes = [models.Index(fields=["parameter", "ts"], name="ctrl_reading_param_ts")]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.parameter_id}@{self.ts:%Y-%m-%dT%H:%M:%SZ}={self.value}"


class LatestReading(models.Model):
    """The newest reading per station and parameter, upserted on ingest so the wall and
    'latest value' reads never touch the history table."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, db_index=False)
    parameter = models.ForeignKey(Parameter, on_delete=models.CASCADE)
    ts = models.DateTimeField()
    value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "parameter"], name="ctrl_latest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.parameter_id}={self.value}"


class QuarantinedMessage(QuarantineRecord):
    """A message that could not be stored, kept with the reason for operators to inspect."""

    station_code = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=20, choices=QuarantineReason.choices)

    class Meta(QuarantineRecord.Meta):
        indexes = [models.Index(fields=["reason", "received_at"], name="ctrl_quarantine_reason")]
        verbose_name = _("pesan karantina")
        verbose_name_plural = _("pesan karantina")

    def __str__(self) -> str:
        return f"{self.reason}: {self.topic}"


class AlertRule(models.Model):
    """When to raise an alert: a threshold, a rate of change, an anomaly against the station's
    own history at the same hour of day, or a station that stopped sending (silent).

    A rule without a station applies to every active station measuring its parameter (or, for
    silent rules without a parameter, to every active station)."""

    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=AlertKind.choices)
    parameter = models.ForeignKey(
        Parameter,
        verbose_name=_("parameter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alert_rules",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("stasiun"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_rules",
    )
    comparison = models.CharField(
        _("perbandingan"), max_length=3, choices=Comparison.choices, default=Comparison.GTE
    )
    threshold = models.FloatField(_("nilai ambang"), null=True, blank=True)
    use_ispu = models.BooleanField(
        _("bandingkan ISPU"),
        default=False,
        help_text=_("Bandingkan ISPU dari nilai bacaan, bukan nilainya (parameter udara)."),
    )
    rate_per_hour = models.FloatField(_("laju per jam"), null=True, blank=True)
    z_limit = models.FloatField(_("batas skor z"), null=True, blank=True)
    silent_minutes = models.PositiveIntegerField(_("menit tanpa data"), null=True, blank=True)
    severity = models.CharField(
        _("tingkat"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    notify_subscribers = models.BooleanField(_("kabari pelanggan wilayah"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aturan peringatan")
        verbose_name_plural = _("aturan peringatan")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="threshold", threshold__isnull=False, parameter__isnull=False)
                    | models.Q(
                        kind="rate_of_change", rate_per_hour__isnull=False, parameter__isnull=False
                    )
                    | models.Q(
                        kind="anomaly",
                        z_limit__isnull=False,
                        z_limit__gt=0,
                        parameter__isnull=False,
                    )
                    | models.Q(kind="silent", silent_minutes__isnull=False, silent_minutes__gt=0)
                ),
                name="ctrl_alertrule_kind_fields",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Alert(AbstractAlert):
    """One alert of a rule at a station: open -> acknowledged -> resolved. Repeats of the same
    condition update the active alert; the partial unique constraint keeps one active alert per
    (rule, station) even under concurrent ingest workers."""

    rule = models.ForeignKey(
        AlertRule, verbose_name=_("aturan"), on_delete=models.PROTECT, related_name="alerts"
    )
    station = models.ForeignKey(
        Station, verbose_name=_("stasiun"), on_delete=models.PROTECT, related_name="alerts"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices)
    first_seen_at = models.DateTimeField(_("pertama terlihat"))
    last_seen_at = models.DateTimeField(_("terakhir terlihat"))
    value = models.FloatField(_("nilai"), null=True, blank=True)
    message = models.CharField(_("pesan"), max_length=500)
    notified_at = models.DateTimeField(_("pelanggan dikabari pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dicatat pada"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = _("peringatan")
        verbose_name_plural = _("peringatan")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "station"],
                condition=models.Q(status__in=["open", "acknowledged"]),
                name="ctrl_alert_one_active_per_rule_station",
            )
        ]
        indexes = [
            models.Index(fields=["status", "last_seen_at"], name="ctrl_alert_status_seen"),
            # The wall asks "what changed since t": one indexed range per kind of change.
            models.Index(fields=["created_at"], name="ctrl_alert_created"),
            models.Index(fields=["acknowledged_at"], name="ctrl_alert_acknowledged"),
            models.Index(fields=["resolved_at"], name="ctrl_alert_resolved"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}@{self.station_id}: {self.status}"


ISPU_PARAMETER_CHOICES = [(spec.parameter.value, spec.label) for spec in ispu.PARAMETERS.values()]
ISPU_CATEGORY_CHOICES = [(category.code, category.name) for category in ispu.CATEGORIES]


class IspuHourly(models.Model):
    """One parameter's ISPU as published for a station and an hour.

    `hour_end` is the end of the hour (UTC, on the hour): the average runs over the parameter's
    window `(hour_end - averaging_hours, hour_end]`, the convention of `ispu.rolling_average`
    (a reading is stamped at the end of the period it covers). So the row of 10:00 UTC
    (17.00 WIB) holds PM2.5 averaged over 10:00 UTC the day before to 10:00 UTC. A window with
    too few hours of data has no row at all: nothing is published for it."""

    station = models.ForeignKey(
        Station,
        verbose_name=_("stasiun"),
        on_delete=models.PROTECT,
        related_name="ispu_values",
        db_index=False,
    )
    hour_end = models.DateTimeField(_("akhir jam"))
    parameter = models.CharField(_("parameter"), max_length=10, choices=ISPU_PARAMETER_CHOICES)
    concentration = models.FloatField(_("konsentrasi rata-rata (µg/m³)"))
    averaging_hours = models.PositiveSmallIntegerField(_("periode rata-rata (jam)"))
    hours_with_data = models.PositiveSmallIntegerField(_("jam berisi data"))
    ispu = models.PositiveIntegerField(_("ISPU"))
    category = models.CharField(_("kategori"), max_length=20, choices=ISPU_CATEGORY_CHOICES)
    published_at = models.DateTimeField(_("diterbitkan pada"))

    class Meta:
        ordering = ["station", "-hour_end", "parameter"]
        verbose_name = _("ISPU per parameter per jam")
        verbose_name_plural = _("ISPU per parameter per jam")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "hour_end", "parameter"], name="ctrl_ispu_hourly_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.parameter}@{self.hour_end:%Y-%m-%dT%H:%MZ}={self.ispu}"


class IspuStationHourly(models.Model):
    """A station's published ISPU for an hour: the highest of its parameters' ISPU values and
    that parameter (parameter kritis, the dominant pollutant). It exists exactly when at least
    one `IspuHourly` row exists for the same station and hour; `hour_end` as there."""

    station = models.ForeignKey(
        Station,
        verbose_name=_("stasiun"),
        on_delete=models.PROTECT,
        related_name="ispu_hours",
        db_index=False,
    )
    hour_end = models.DateTimeField(_("akhir jam"))
    ispu = models.PositiveIntegerField(_("ISPU"))
    category = models.CharField(_("kategori"), max_length=20, choices=ISPU_CATEGORY_CHOICES)
    critical_parameter = models.CharField(
        _("parameter kritis"), max_length=10, choices=ISPU_PARAMETER_CHOICES
    )
    published_at = models.DateTimeField(_("diterbitkan pada"))

    class Meta:
        ordering = ["station", "-hour_end"]
        verbose_name = _("ISPU stasiun per jam")
        verbose_name_plural = _("ISPU stasiun per jam")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "hour_end"], name="ctrl_ispu_station_hour_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id}@{self.hour_end:%Y-%m-%dT%H:%MZ}={self.ispu}"
