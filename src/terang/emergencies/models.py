"""112 emergency calls: the responding units, the incidents call-takers record, the units sent
to each incident, and the city's minute targets per incident type."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terang.core.models import AdministrativeArea, Agency

from .choices import EventKind, IncidentStatus, IncidentType, UnitKind


class ResponseUnit(models.Model):
    """A vehicle or team that can be sent to an incident (a fire engine, an ambulance, a police
    patrol, a BPBD rescue team). Police units belong to no city agency, hence the null agency."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response_units",
    )
    base_name = models.CharField(_("pos / markas"), max_length=200, blank=True)
    base_latitude = models.FloatField(_("lintang markas"), null=True, blank=True)
    base_longitude = models.FloatField(_("bujur markas"), null=True, blank=True)
    is_available = models.BooleanField(
        _("siap operasi"),
        default=True,
        help_text=_("Matikan bila unit sedang perawatan atau tidak bertugas."),
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("unit respons")
        verbose_name_plural = _("unit respons")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class ResponseTarget(models.Model):
    """The city's targets for one incident type, in minutes from the call's receipt. Each new
    incident copies them into its due times, so a later change never rewrites past breaches."""

    incident_type = models.CharField(
        _("jenis kejadian"), max_length=20, choices=IncidentType.choices, unique=True
    )
    dispatch_minutes = models.PositiveSmallIntegerField(
        _("target pengerahan (menit)"),
        help_text=_("Menit sejak panggilan diterima sampai unit pertama dikerahkan."),
    )
    arrival_minutes = models.PositiveSmallIntegerField(
        _("target tiba di lokasi (menit)"),
        help_text=_("Menit sejak panggilan diterima sampai unit pertama tiba di lokasi."),
    )

    class Meta:
        ordering = ["incident_type"]
        verbose_name = _("target waktu respons")
        verbose_name_plural = _("target waktu respons")
        constraints = [
            models.CheckConstraint(
                condition=Q(dispatch_minutes__gte=1) & Q(arrival_minutes__gte=1),
                name="emergency_target_positive",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_incident_type_display())


class ReferenceCounter(models.Model):
    """Last reference number handed out per year, so references run 112-2026-000001, ...
    without gaps from concurrent calls (the row is locked while a number is taken)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Incident(models.Model):
    """One 112 call and its handling. The caller's phone number is personal data: stored
    encrypted, with a keyed digest to spot repeat callers, and shown on staff pages only."""

    reference = models.CharField(_("nomor referensi"), max_length=20, unique=True)
    incident_type = models.CharField(
        _("jenis kejadian"), max_length=20, choices=IncidentType.choices
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=IncidentStatus.choices,
        default=IncidentStatus.RECEIVED,
    )
    caller_name = models.CharField(_("nama penelepon"), max_length=150, blank=True)
    caller_phone_encrypted = models.TextField(blank=True)
    caller_phone_digest = models.CharField(max_length=64, blank=True, db_index=True)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    address = models.CharField(_("alamat / patokan"), max_length=300, blank=True)
    kelurahan = models.ForeignKey(
        AdministrativeArea,
        verbose_name=_("kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    description = models.TextField(_("uraian"), max_length=4000)
    received_at = models.DateTimeField(_("diterima"))
    dispatched_at = models.DateTimeField(_("dikerahkan"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("tiba di lokasi"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    dispatch_due_at = models.DateTimeField(_("batas pengerahan"))
    arrival_due_at = models.DateTimeField(_("batas tiba"))
    closing_note = models.TextField(_("catatan penutupan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima panggilan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("kejadian 112")
        verbose_name_plural = _("kejadian 112")
        indexes = [
            models.Index(fields=["status", "received_at"], name="emerg_status_received"),
            models.Index(fields=["status", "dispatch_due_at"], name="emerg_status_dispatch_due"),
            models.Index(fields=["status", "arrival_due_at"], name="emerg_status_arrival_due"),
            models.Index(fields=["received_at"], name="emerg_received"),
            models.Index(fields=["closed_at"], name="emerg_closed"),
            models.Index(fields=["dispatched_at"], name="emerg_dispatched"),
            models.Index(fields=["on_scene_at"], name="emerg_on_scene"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def caller_phone(self) -> str:
        """For staff pages and the API: "tidak terbaca" (logged) when it cannot be decrypted."""
        from terang.core.crypto import decrypt_or_placeholder

        return decrypt_or_placeholder(self, "caller_phone_encrypted")


class Dispatch(models.Model):
    """One unit sent to one incident. A unit is busy from `dispatched_at` until `released_at`
    (set when the incident closes or is cancelled); the database allows one busy row per unit."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="dispatches")
    unit = models.ForeignKey(ResponseUnit, on_delete=models.PROTECT, related_name="dispatches")
    dispatched_at = models.DateTimeField(_("dikerahkan"))
    arrived_at = models.DateTimeField(_("tiba"), null=True, blank=True)
    released_at = models.DateTimeField(_("dilepas"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["dispatched_at", "pk"]
        verbose_name = _("pengerahan unit")
        verbose_name_plural = _("pengerahan unit")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(released_at__isnull=True),
                name="emergency_unit_one_active_dispatch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} ← {self.unit_id}"


class IncidentEvent(models.Model):
    """The timeline of an incident (who did what, when) and the feed of the control-room wall."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        ResponseUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at"], name="emerg_event_at")]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}"
