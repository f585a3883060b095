from django.db import models
from django.utils.translation import gettext_lazy as _


class StationKind(models.TextChoices):
    AIR_QUALITY = "air_quality", _("Kualitas udara")
    WATER_LEVEL = "water_level", _("Tinggi muka air")
    RAINFALL = "rainfall", _("Curah hujan")
    NOISE = "noise", _("Kebisingan")


class QuarantineReason(models.TextChoices):
    """Why an incoming message was not stored as a reading. Codes are stable (counted, filtered)."""

    MALFORMED_JSON = "malformed_json", _("JSON tidak valid")
    MISSING_FIELD = "missing_field", _("Kolom wajib tidak ada")
    BAD_TIMESTAMP = "bad_timestamp", _("Waktu tidak valid")
    BAD_TOPIC = "bad_topic", _("Topik tidak dikenal")
    UNKNOWN_STATION = "unknown_station", _("Stasiun tidak dikenal")
    UNKNOWN_PARAMETER = "unknown_parameter", _("Parameter tidak dikenal")
    WRONG_UNIT = "wrong_unit", _("Satuan tidak sesuai")
    OUT_OF_RANGE = "out_of_range", _("Nilai di luar rentang wajar")
    NOT_A_NUMBER = "not_a_number", _("Nilai bukan angka")


class AlertKind(models.TextChoices):
    THRESHOLD = "threshold", _("Ambang batas")
    RATE_OF_CHANGE = "rate_of_change", _("Laju perubahan")
    ANOMALY = "anomaly", _("Anomali")
    SILENT = "silent", _("Stasiun tidak mengirim data")


class Comparison(models.TextChoices):
    GTE = "gte", ">="
    LTE = "lte", "<="


class Severity(models.TextChoices):
    INFO = "info", _("Informasi")
    WARNING = "warning", _("Waspada")
    DANGER = "danger", _("Bahaya")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    ACKNOWLEDGED = "acknowledged", _("Ditangani")
    RESOLVED = "resolved", _("Selesai")


#: Statuses of an alert that is still active; at most one per (rule, station).
ACTIVE_ALERT_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


# code, name, canonical unit, plausible minimum, plausible maximum
STANDARD_PARAMETERS: list[tuple[str, str, str, float, float]] = [
    ("pm25", "PM2.5", "ug/m3", 0, 1000),
    ("pm10", "PM10", "ug/m3", 0, 2000),
    ("so2", "Sulfur dioksida (SO2)", "ug/m3", 0, 3000),
    ("co", "Karbon monoksida (CO)", "ug/m3", 0, 60000),
    ("o3", "Ozon (O3)", "ug/m3", 0, 2000),
    ("no2", "Nitrogen dioksida (NO2)", "ug/m3", 0, 3000),
    ("hc", "Hidrokarbon (HC)", "ug/m3", 0, 10000),
    ("water_level", "Tinggi muka air", "cm", -500, 3000),
    ("rainfall", "Curah hujan", "mm", 0, 500),
    ("noise", "Kebisingan", "dB", 0, 160),
]
