"""The regional budget (APBD): budget years, imported versions, and their lines.

A version is an immutable snapshot of one import (plan and realisation as the file gave them).
Re-importing never changes a version: it adds a new one and marks it current for its kind, so
the APBD murni stays intact when the APBD-P arrives, and every earlier snapshot stays
readable. Amounts are whole rupiah.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from terang.core.models import Agency

from .choices import Level, Scheme, VersionKind, YearStatus

MONTHS = range(1, 13)
MONTH_FIELDS = tuple(f"realised_{month:02d}" for month in MONTHS)


class BudgetSettings(models.Model):
    """The city's budget policy, one row (pk 1), edited by administrators.

    `import_agency` is the finance agency (BPKAD, or Bappeda for the plan) whose officers and
    head may import budget files, besides administrators."""

    import_agency = models.ForeignKey(
        Agency,
        verbose_name=_("OPD pengelola keuangan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Petugas dan kepala OPD ini boleh mengimpor APBD, selain administrator."),
    )

    class Meta:
        verbose_name = _("pengaturan APBD")
        verbose_name_plural = _("pengaturan APBD")

    def __str__(self) -> str:
        return str(_("Pengaturan APBD"))


class BudgetYear(models.Model):
    """One fiscal year (tahun anggaran, January to December)."""

    year = models.PositiveSmallIntegerField(_("tahun anggaran"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=YearStatus.choices, default=YearStatus.OPEN
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("tahun anggaran")
        verbose_name_plural = _("tahun anggaran")

    def __str__(self) -> str:
        return str(self.year)


class BudgetVersion(models.Model):
    """One accepted import of a year's budget file."""

    budget_year = models.ForeignKey(
        BudgetYear, verbose_name=_("tahun"), on_delete=models.PROTECT, related_name="versions"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=VersionKind.choices)
    number = models.PositiveSmallIntegerField(_("nomor impor"))
    is_current = models.BooleanField(_("terkini untuk jenisnya"), default=True)
    imported_at = models.DateTimeField(_("waktu impor"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 berkas"), max_length=64)
    line_count = models.PositiveIntegerField(_("jumlah baris"))
    realised_through = models.PositiveSmallIntegerField(
        _("realisasi s.d. bulan"), default=0, help_text=_("0 bila belum ada realisasi.")
    )

    class Meta:
        ordering = ["budget_year", "number"]
        verbose_name = _("versi APBD")
        verbose_name_plural = _("versi APBD")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "number"], name="budget_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["budget_year", "kind"],
                condition=Q(is_current=True),
                name="budget_one_current_version_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(realised_through__lte=12), name="budget_version_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_year_id} #{self.number} {self.kind}"


class BudgetCode(models.Model):
    """The name of a program-side or account code as a version's file gave it (or as the
    nearest earlier import or the reference list named it). Names are per version because
    the nomenclature is revised by Kepmendagri from year to year."""

    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="codes")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    level = models.CharField(max_length=14, choices=Level.choices)
    code = models.CharField(max_length=24)
    name = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("kode anggaran")
        verbose_name_plural = _("kode anggaran")
        constraints = [
            models.UniqueConstraint(fields=["version", "scheme", "code"], name="budget_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetLine(models.Model):
    """One appropriation: an agency's sub kegiatan (spending only) and rincian objek account,
    with the plan (pagu) and the realisation of each month. The parent codes are stored beside
    the full codes so the explorer groups by any level with a plain GROUP BY."""

    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="lines")
    agency = models.ForeignKey(
        Agency, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+"
    )
    source_line = models.PositiveIntegerField(_("baris di berkas"))
    program_code = models.CharField(max_length=8, blank=True)
    kegiatan_code = models.CharField(max_length=13, blank=True)
    sub_kegiatan_code = models.CharField(max_length=18, blank=True)
    akun_code = models.CharField(max_length=1)
    kelompok_code = models.CharField(max_length=3)
    jenis_code = models.CharField(max_length=6)
    objek_code = models.CharField(max_length=9)
    account_code = models.CharField(_("rincian objek"), max_length=12)
    planned = models.PositiveBigIntegerField(_("pagu"))
    realised = models.PositiveBigIntegerField(_("realisasi"))
    realised_01 = models.PositiveBigIntegerField(default=0)
    realised_02 = models.PositiveBigIntegerField(default=0)
    realised_03 = models.PositiveBigIntegerField(default=0)
    realised_04 = models.PositiveBigIntegerField(default=0)
    realised_05 = models.PositiveBigIntegerField(default=0)
    realised_06 = models.PositiveBigIntegerField(default=0)
    realised_07 = models.PositiveBigIntegerField(default=0)
    realised_08 = models.PositiveBigIntegerField(default=0)
    realised_09 = models.PositiveBigIntegerField(default=0)
    realised_10 = models.PositiveBigIntegerField(default=0)
    realised_11 = models.PositiveBigIntegerField(default=0)
    realised_12 = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["version", "source_line"]
        verbose_name = _("baris APBD")
        verbose_name_plural = _("baris APBD")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "agency", "sub_kegiatan_code", "account_code"],
                name="budget_line_unique",
            ),
            models.CheckConstraint(
                condition=Q(
                    realised=F("realised_01")
                    + F("realised_02")
                    + F("realised_03")
                    + F("realised_04")
                    + F("realised_05")
                    + F("realised_06")
                    + F("realised_07")
                    + F("realised_08")
                    + F("realised_09")
                    + F("realised_10")
                    + F("realised_11")
                    + F("realised_12")
                ),
                name="budget_line_realised_is_sum_of_months",
            ),
        ]
        indexes = [
            models.Index(fields=["version", "agency"], name="budget_line_version_agency"),
            models.Index(fields=["version", "kelompok_code"], name="budget_line_version_group"),
        ]

    def __str__(self) -> str:
        return f"{self.sub_kegiatan_code or '-'} {self.account_code}"

    def months(self) -> list[int]:
        return [getattr(self, name) for name in MONTH_FIELDS]
