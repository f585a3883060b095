"""Staple-food prices: markets (pasar tradisional), commodities, one price per market, commodity
and day, the record of CSV imports, and week-over-week rise alerts.

Prices are whole rupiah per unit (Rp/kg, Rp/liter), as the national panels (PIHPS, SP2KP)
publish them. Every write goes through `terang.markets.services`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terang.core.alerts import AbstractAlert
from terang.core.models import AdministrativeArea, Agency

from .choices import PriceAlertSeverity, PriceAlertStatus, PriceSource, Unit

DEFAULT_RISE_SHARE = Decimal("0.1000")


class MarketSettings(models.Model):
    """The city's price-monitoring policy, one row (pk 1), edited by administrators.

    `agency` is the agency responsible for the price panel (usually the Dinas Perdagangan); its
    officers handle city-wide alerts. `alert_rise_share` is the week-over-week rise that raises
    an alert (0.10 = 10 %)."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("OPD penanggung jawab"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    alert_rise_share = models.DecimalField(
        _("ambang kenaikan mingguan (proporsi)"),
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_RISE_SHARE,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
        help_text=_("0,10 berarti peringatan muncul bila harga naik 10 % atau lebih."),
    )
    alert_min_days = models.PositiveSmallIntegerField(
        _("minimal hari berdata per pekan"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text=_("Kenaikan hanya dihitung bila kedua pekan punya sekurangnya sekian hari."),
    )

    class Meta:
        verbose_name = _("pengaturan harga pasar")
        verbose_name_plural = _("pengaturan harga pasar")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="markets_settings_singleton"),
            models.CheckConstraint(
                condition=Q(alert_rise_share__gt=0) & Q(alert_rise_share__lte=1),
                name="markets_settings_share_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Pengaturan harga pasar"))


class Market(models.Model):
    """A traditional market (pasar tradisional) whose prices the city surveys. Officers of
    `agency` record its prices."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    area = models.ForeignKey(
        AdministrativeArea,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="markets"
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pasar")
        verbose_name_plural = _("pasar")

    def __str__(self) -> str:
        return self.name


class Commodity(models.Model):
    """A staple whose price is surveyed, in the unit the price is quoted per."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    unit = models.CharField(_("satuan"), max_length=10, choices=Unit.choices, default=Unit.KG)
    is_active = models.BooleanField(_("aktif"), default=True)
    display_order = models.PositiveSmallIntegerField(_("urutan tampil"), default=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("komoditas")
        verbose_name_plural = _("komoditas")

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """The record of one accepted CSV import (rejected files save nothing, this included)."""

    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_digest = models.CharField(_("SHA-256 berkas"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    row_count = models.PositiveIntegerField(_("jumlah baris"))
    created_count = models.PositiveIntegerField(_("harga baru"), default=0)
    updated_count = models.PositiveIntegerField(_("harga dikoreksi"), default=0)
    unchanged_count = models.PositiveIntegerField(_("harga tidak berubah"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor harga")
        verbose_name_plural = _("impor harga")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.row_count})"


class DailyPrice(models.Model):
    """The price of one commodity at one market on one market day (city date)."""

    market = models.ForeignKey(
        Market, verbose_name=_("pasar"), on_delete=models.PROTECT, related_name="prices"
    )
    commodity = models.ForeignKey(
        Commodity, verbose_name=_("komoditas"), on_delete=models.PROTECT, related_name="prices"
    )
    date = models.DateField(_("tanggal"))
    price = models.PositiveIntegerField(_("harga (Rp)"))
    source = models.CharField(
        _("sumber"), max_length=10, choices=PriceSource.choices, default=PriceSource.MANUAL
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="prices"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "market", "commodity"]
        verbose_name = _("harga harian")
        verbose_name_plural = _("harga harian")
        constraints = [
            models.UniqueConstraint(
                fields=["market", "commodity", "date"], name="markets_one_price_per_day"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="markets_price_positive"),
        ]
        indexes = [models.Index(fields=["commodity", "date"], name="markets_price_comm_date")]

    def __str__(self) -> str:
        return f"{self.market_id}/{self.commodity_id} {self.date}: {self.price}"


class PriceAlert(AbstractAlert):
    """A week-over-week rise of one commodity at one market, or of the city average (market
    empty): open -> acknowledged -> resolved. A repeat updates the active alert; two partial
    unique constraints keep one active alert per (commodity, market) and per city-wide
    commodity (NULLs never collide in a plain unique constraint)."""

    commodity = models.ForeignKey(
        Commodity, verbose_name=_("komoditas"), on_delete=models.PROTECT, related_name="alerts"
    )
    market = models.ForeignKey(
        Market,
        verbose_name=_("pasar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PriceAlertStatus.choices,
        default=PriceAlertStatus.OPEN,
    )
    severity = models.CharField(_("tingkat"), max_length=10, choices=PriceAlertSeverity.choices)
    rise_share = models.DecimalField(_("kenaikan (proporsi)"), max_digits=8, decimal_places=4)
    threshold_share = models.DecimalField(_("ambang (proporsi)"), max_digits=5, decimal_places=4)
    current_average = models.DecimalField(
        _("rata-rata 7 hari terakhir"), max_digits=12, decimal_places=2
    )
    previous_average = models.DecimalField(
        _("rata-rata 7 hari sebelumnya"), max_digits=12, decimal_places=2
    )
    window_end = models.DateField(_("akhir pekan hitung"))
    first_raised_at = models.DateTimeField(_("pertama muncul"))
    last_raised_at = models.DateTimeField(_("terakhir diperbarui"))

    class Meta:
        ordering = ["-last_raised_at", "-id"]
        verbose_name = _("peringatan harga")
        verbose_name_plural = _("peringatan harga")
        constraints = [
            models.UniqueConstraint(
                fields=["commodity", "market"],
                condition=Q(status__in=["open", "acknowledged"], market__isnull=False),
                name="markets_one_active_alert_market",
            ),
            models.UniqueConstraint(
                fields=["commodity"],
                condition=Q(status__in=["open", "acknowledged"], market__isnull=True),
                name="markets_one_active_alert_city",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "last_raised_at"], name="markets_alert_status_seen"),
            models.Index(fields=["last_raised_at"], name="markets_alert_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.commodity_id}@{self.market_id or 'kota'}: {self.status}"

    @property
    def rise_percent(self) -> Decimal:
        return (self.rise_share * 100).quantize(Decimal("0.1"))
