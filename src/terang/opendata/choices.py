from django.db import models
from django.utils.translation import gettext_lazy as _


class DatasetState(models.TextChoices):
    """Perpres 39/2019: the producing agency (produsen data) drafts and submits; the walidata
    verifies, and only a verified dataset is published."""

    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan ke walidata")
    RETURNED = "returned", _("Dikembalikan untuk diperbaiki")
    PUBLISHED = "published", _("Terbit")
    WITHDRAWN = "withdrawn", _("Ditarik")


class UpdateFrequency(models.TextChoices):
    DAILY = "daily", _("Harian")
    WEEKLY = "weekly", _("Mingguan")
    MONTHLY = "monthly", _("Bulanan")
    QUARTERLY = "quarterly", _("Triwulanan")
    SEMIANNUAL = "semiannual", _("Semesteran")
    ANNUAL = "annual", _("Tahunan")
    IRREGULAR = "irregular", _("Tidak tentu")


class VersionStatus(models.TextChoices):
    """A new file waits for the walidata when its dataset is already published."""

    PENDING = "pending", _("Menunggu verifikasi")
    CURRENT = "current", _("Berlaku")
    SUPERSEDED = "superseded", _("Versi lama")
    REFUSED = "refused", _("Ditolak (berkas tidak valid)")
