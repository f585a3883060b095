from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """Units of the national price panels (PIHPS, SP2KP): nearly everything per kilogram, eggs
    included; cooking oil per litre."""

    KG = "kg", _("kg")
    LITER = "liter", _("liter")
    PIECE = "butir", _("butir")
    BUNCH = "ikat", _("ikat")


class PriceSource(models.TextChoices):
    MANUAL = "manual", _("Input petugas")
    IMPORT = "import", _("Impor CSV")


class PriceAlertStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    ACKNOWLEDGED = "acknowledged", _("Ditangani")
    RESOLVED = "resolved", _("Selesai")


#: Statuses of a price alert still in force; at most one per (commodity, market or city).
ACTIVE_ALERT_STATUSES = (PriceAlertStatus.OPEN, PriceAlertStatus.ACKNOWLEDGED)


class PriceAlertSeverity(models.TextChoices):
    WARNING = "warning", _("Waspada")
    DANGER = "danger", _("Bahaya")
