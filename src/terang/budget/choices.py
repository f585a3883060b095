"""Choices of the budget app. Level names are the Permendagri 90/2019 legal terms (see codes.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class YearStatus(models.TextChoices):
    """`open`: imports accepted (realisation still running); `closed`: the books are closed
    (tutup buku) and the last version is final, so imports are refused until reopened."""

    OPEN = "open", _("Berjalan")
    CLOSED = "closed", _("Ditutup")


class VersionKind(models.TextChoices):
    """APBD murni: the budget as first enacted; APBD-P (perubahan): the mid-year amendment."""

    ORIGINAL = "murni", _("APBD murni")
    AMENDED = "perubahan", _("APBD perubahan (APBD-P)")


class Scheme(models.TextChoices):
    PROGRAM = "program", _("Program")
    ACCOUNT = "account", _("Rekening")


class Level(models.TextChoices):
    """Both code hierarchies, each from the top down."""

    URUSAN = "urusan", _("Urusan")
    BIDANG = "bidang", _("Bidang urusan")
    PROGRAM = "program", _("Program")
    KEGIATAN = "kegiatan", _("Kegiatan")
    SUB_KEGIATAN = "sub_kegiatan", _("Sub kegiatan")
    AKUN = "akun", _("Akun")
    KELOMPOK = "kelompok", _("Kelompok")
    JENIS = "jenis", _("Jenis")
    OBJEK = "objek", _("Objek")
    RINCIAN = "rincian", _("Rincian objek")
