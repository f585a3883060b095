"""City vehicles and where they have been: depots, vehicles, planned routes, GPS positions, the
latest position per vehicle, idle periods seen live, and the quarantine of rejected messages."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terang.core.alerts import AbstractAlert
from terang.core.ingest.quarantine import QuarantineRecord
from terang.fleet.choices import FleetQuarantineReason, IdleAlertStatus, VehicleKind

DEFAULT_IDLE_MINUTES = 15
DEFAULT_SILENT_MINUTES = 10

_LATITUDE_OK = Q(latitude__gte=-90) & Q(latitude__lte=90)
_LONGITUDE_OK = Q(longitude__gte=-180) & Q(longitude__lte=180)


class FleetPolicy(models.Model):
    """The city's tracking policy, edited by administrators. The first row counts; without a row
    the defaults apply (see `selectors.fleet_policy`)."""

    idle_minutes = models.PositiveSmallIntegerField(
        _("batas diam (menit)"),
        default=DEFAULT_IDLE_MINUTES,
        help_text=_("Kendaraan yang berhenti lebih lama dari ini di luar pool dianggap diam."),
    )
    silent_minutes = models.PositiveSmallIntegerField(
        _("batas tanpa kabar (menit)"),
        default=DEFAULT_SILENT_MINUTES,
        help_text=_(
            "Kendaraan tanpa posisi baru selama ini dianggap tidak mengirim; jeda sepanjang ini "
            "juga memutus masa berhenti."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kebijakan armada")
        verbose_name_plural = _("kebijakan armada")
        constraints = [
            models.CheckConstraint(
                condition=Q(idle_minutes__gt=0) & Q(silent_minutes__gt=0),
                name="fleet_policy_positive",
            )
        ]

    def __str__(self) -> str:
        return f"idle {self.idle_minutes} min, silent {self.silent_minutes} min"


class Depot(models.Model):
    """A pool or garage: stopping inside its radius is parking, not idling."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="depots",
    )
    latitude = models.FloatField(_("lintang"))
    longitude = models.FloatField(_("bujur"))
    radius_m = models.PositiveIntegerField(_("radius (m)"), default=150)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pool kendaraan")
        verbose_name_plural = _("pool kendaraan")
        constraints = [
            models.CheckConstraint(
                condition=_LATITUDE_OK & _LONGITUDE_OK & Q(radius_m__gt=0),
                name="fleet_depot_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Vehicle(models.Model):
    """A city vehicle with a GPS tracker. Only a keyed digest of its ingest token is stored."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    plate = models.CharField(_("nomor polisi"), max_length=20, blank=True)
    name = models.CharField(_("nama"), max_length=200, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=VehicleKind.choices)
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
    )
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["agency", "code"], name="fleet_vehicle_agency")]
        verbose_name = _("kendaraan")
        verbose_name_plural = _("kendaraan")

    def __str__(self) -> str:
        return self.code


class Route(models.Model):
    """A planned route: an ordered list of points to pass (e.g. garbage collection points).

    The points are one JSON list of [lat, lon] pairs, not a row per point: a route is always
    read and replaced whole (coverage needs every point, in order), no query ever selects a
    single point, and the order is the list order with no sequence column to keep consistent.
    The bounding box is stored beside it so coverage can pre-filter positions in SQL."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routes",
    )
    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("kendaraan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="routes",
    )
    points = models.JSONField(_("titik rute"), default=list)
    min_lat = models.FloatField(default=0)
    max_lat = models.FloatField(default=0)
    min_lon = models.FloatField(default=0)
    max_lon = models.FloatField(default=0)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("rute")
        verbose_name_plural = _("rute")

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """One GPS fix. The unique (vehicle, ts) stores a resent or redelivered fix once and is the
    index every trail and coverage read uses."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, db_index=False)
    ts = models.DateTimeField()
    latitude = models.FloatField()
    longitude = models.FloatField()
    speed_kmh = models.FloatField(null=True, blank=True)
    heading_deg = models.FloatField(null=True, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "ts"], name="fleet_position_vehicle_ts")
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id}@{self.ts:%Y-%m-%dT%H:%M:%SZ}"


class IdlePeriod(AbstractAlert):
    """A stop outside every depot that lasted longer than the idle limit, as the ingest saw it
    happen. `detected_at` is the server time it was recorded (the wall's event cursor);
    `ended_at` stays empty while the vehicle is still standing there.

    Each period is also an alert with core's lifecycle (open -> acknowledged -> resolved, see
    `services.alerts`): the unique (vehicle, started_at) is its key, so one stop is one alert."""

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, related_name="idle_periods", db_index=False
    )
    started_at = models.DateTimeField(_("mulai berhenti"))
    idle_at = models.DateTimeField(_("mulai diam terlalu lama"))
    last_seen_at = models.DateTimeField(_("posisi diam terakhir"))
    ended_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    detected_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IdleAlertStatus.choices,
        default=IdleAlertStatus.OPEN,
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "started_at"], name="fleet_idle_vehicle_started"
            )
        ]
        indexes = [
            models.Index(fields=["ended_at"], name="fleet_idle_ended"),
            models.Index(fields=["status", "idle_at"], name="fleet_idle_status"),
        ]
        verbose_name = _("masa diam")
        verbose_name_plural = _("masa diam")

    def __str__(self) -> str:
        return f"{self.vehicle_id} idle since {self.started_at:%Y-%m-%dT%H:%M:%SZ}"


class LatestPosition(models.Model):
    """The newest fix per vehicle plus the stop it is in, upserted on ingest so 'last known
    position', 'idle now' and the wall never scan the positions history."""

    vehicle = models.OneToOneField(
        Vehicle, on_delete=models.CASCADE, primary_key=True, related_name="latest"
    )
    ts = models.DateTimeField(db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    speed_kmh = models.FloatField(null=True, blank=True)
    heading_deg = models.FloatField(null=True, blank=True)
    stop_started_at = models.DateTimeField(null=True, blank=True)
    stop_latitude = models.FloatField(null=True, blank=True)
    stop_longitude = models.FloatField(null=True, blank=True)
    in_depot = models.BooleanField(default=False)
    open_idle = models.ForeignKey(
        IdlePeriod, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.vehicle_id}@{self.ts:%Y-%m-%dT%H:%M:%SZ}"


class QuarantinedPosition(QuarantineRecord):
    """A position message that could not be stored, kept with the reason for operators.

    Its own table rather than the sensors' quarantine: that one's reasons and columns name
    stations, parameters and units, and its counts are the sensor network's health."""

    vehicle_code = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=20, choices=FleetQuarantineReason.choices)

    class Meta(QuarantineRecord.Meta):
        indexes = [models.Index(fields=["reason", "received_at"], name="fleet_quarantine_reason")]
        verbose_name = _("posisi karantina")
        verbose_name_plural = _("posisi karantina")

    def __str__(self) -> str:
        return f"{self.reason}: {self.vehicle_code}"
