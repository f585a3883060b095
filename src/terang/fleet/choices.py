from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VehicleKind(models.TextChoices):
    GARBAGE_TRUCK = "garbage_truck", _("Truk sampah")
    STREET_SWEEPER = "street_sweeper", _("Penyapu jalan")
    WATER_TANKER = "water_tanker", _("Truk tangki air")
    PATROL = "patrol", _("Kendaraan patroli")
    PICKUP = "pickup", _("Mobil operasional")


class FleetQuarantineReason(models.TextChoices):
    """Why a position message was not stored. Codes are stable (counted, filtered) and match the
    sensors' codes where the meaning is the same."""

    MALFORMED_JSON = "malformed_json", _("JSON tidak valid")
    MISSING_FIELD = "missing_field", _("Kolom wajib tidak ada")
    BAD_TIMESTAMP = "bad_timestamp", _("Waktu tidak valid")
    BAD_TOPIC = "bad_topic", _("Topik tidak dikenal")
    UNKNOWN_VEHICLE = "unknown_vehicle", _("Kendaraan tidak dikenal")
    NOT_A_NUMBER = "not_a_number", _("Nilai bukan angka")
    OUT_OF_RANGE = "out_of_range", _("Nilai di luar rentang wajar")


class VehicleState(models.TextChoices):
    """What the latest positions say about a vehicle now (derived, never stored)."""

    MOVING = "moving", _("Bergerak")
    STOPPED = "stopped", pgettext_lazy("vehicle state", "Berhenti")
    IN_DEPOT = "in_depot", _("Di pool")
    IDLE = "idle", _("Diam terlalu lama")
    SILENT = "silent", _("Tidak mengirim posisi")
    NEVER = "never", _("Belum pernah mengirim")


class IdleAlertStatus(models.TextChoices):
    """The alert lifecycle of an idle period (the values are core.alerts' statuses)."""

    OPEN = "open", _("Terbuka")
    ACKNOWLEDGED = "acknowledged", _("Ditangani")
    RESOLVED = "resolved", _("Selesai")
