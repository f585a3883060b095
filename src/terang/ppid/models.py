"""Public information service (UU 14/2008 KIP, Perki 1/2021 SLIP): information requests, their
objections (keberatan), the register counter, and the DIP (Daftar Informasi Publik) with its
documents.

Personal data of requesters (ID number, address, phone, email) is encrypted at rest with
`core.crypto`; statuses change only through `ppid.services`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terang.core.models import Agency

from .choices import (
    Channel,
    Delivery,
    DipCategory,
    DocumentKind,
    EventKind,
    Exemption,
    FileKind,
    Format,
    IdentityKind,
    ObjectionOutcome,
    ObjectionStatus,
    Outcome,
    RequesterKind,
    RequestStatus,
)


class PpidSettings(models.Model):
    """Who the PPID is, one row (pk 1), edited by administrators.

    `agency` is the agency that hosts the PPID desk (often Diskominfo): its officers and head
    handle requests. `superior` is the atasan PPID who answers objections (Pasal 36); when unset,
    the head of `agency` does. Statutory deadlines are not settings: see `ppid.deadlines`."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("OPD tempat PPID"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    superior = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("atasan PPID"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    desk_address = models.CharField(_("alamat layanan PPID"), max_length=300, blank=True)
    desk_email = models.EmailField(_("email layanan PPID"), blank=True)

    class Meta:
        verbose_name = _("pengaturan PPID")
        verbose_name_plural = _("pengaturan PPID")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="ppid_settings_singleton")]

    def __str__(self) -> str:
        return str(_("Pengaturan PPID"))


class RegisterCounter(models.Model):
    """The last number given per register and year; read under a row lock so numbers have no
    gaps (a rolled-back request rolls its number back too)."""

    register = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="ppid_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.register}-{self.year}: {self.last}"


class InformationRequest(models.Model):
    """A permohonan informasi publik with the requester's identity as Perki 1/2021 asks:
    name, identity number, address, contact, occupation, and for a legal entity its papers."""

    register_number = models.CharField(_("nomor register"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="information_requests",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requester_kind = models.CharField(
        max_length=12, choices=RequesterKind.choices, default=RequesterKind.INDIVIDUAL
    )
    requester_name = models.CharField(_("nama pemohon"), max_length=150)
    organisation_name = models.CharField(_("nama badan hukum"), max_length=200, blank=True)
    identity_kind = models.CharField(
        max_length=10, choices=IdentityKind.choices, default=IdentityKind.NIK
    )
    identity_number_encrypted = models.TextField()
    address_encrypted = models.TextField()
    phone_encrypted = models.TextField(blank=True)
    email_encrypted = models.TextField(blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=100)
    purpose = models.TextField(_("tujuan penggunaan informasi"))
    information_requested = models.TextField(_("rincian informasi yang dibutuhkan"))
    information_public = models.TextField(
        _("rincian informasi (tersamar)"),
        help_text=_("Teks untuk register publik: data pribadi disamarkan saat permohonan dicatat."),
    )
    preferred_format = models.CharField(max_length=10, choices=Format.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    submitted_at = models.DateTimeField(_("diterima pada"))
    updated_at = models.DateTimeField()
    original_due_at = models.DateTimeField()
    due_at = models.DateTimeField(_("batas waktu"))
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    breached = models.BooleanField(default=False)
    breached_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_text = models.TextField(blank=True)
    exemption = models.CharField(max_length=1, choices=Exemption.choices, blank=True)
    legal_basis = models.TextField(_("dasar hukum pengecualian"), blank=True)
    consequence_test = models.TextField(_("uji konsekuensi"), blank=True)
    forwarded_to = models.CharField(_("diteruskan kepada"), max_length=200, blank=True)
    working_days_taken = models.PositiveSmallIntegerField(null=True, blank=True)
    answered_late = models.BooleanField(default=False)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="ppid_request_sequence"),
            models.CheckConstraint(
                condition=~Q(outcome__in=["refused", "partly_granted"])
                | (~Q(exemption="") & ~Q(consequence_test="")),
                name="ppid_refusal_has_basis",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="ppid_req_queue"),
            models.Index(fields=["-submitted_at", "-id"], name="ppid_req_register"),
            models.Index(fields=["year", "outcome"], name="ppid_req_year_outcome"),
            models.Index(fields=["requester", "-submitted_at"], name="ppid_req_requester"),
            models.Index(fields=["breached", "status"], name="ppid_req_breached"),
        ]
        verbose_name = _("permohonan informasi")
        verbose_name_plural = _("permohonan informasi")

    def __str__(self) -> str:
        return self.register_number

    @property
    def is_open(self) -> bool:
        return self.status in (
            RequestStatus.RECEIVED,
            RequestStatus.IN_PROCESS,
            RequestStatus.EXTENDED,
        )


def request_file_path(instance: RequestFile, filename: str) -> str:
    return f"ppid/requests/{instance.request.register_number}/{instance.token}/{filename}"


class RequestFile(models.Model):
    """A file of a request: the legal entity's papers, or a document delivered with the answer.
    Served only to the requester and PPID staff (never by a public media URL)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=14, choices=FileKind.choices)
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=request_file_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Objection(models.Model):
    """A keberatan to the atasan PPID (UU 14/2008 Pasal 35-36), one per request; the record a
    requester brings to the Komisi Informasi when the dispute goes further (Pasal 37)."""

    register_number = models.CharField(_("nomor register keberatan"), max_length=20, unique=True)
    request = models.OneToOneField(
        InformationRequest, on_delete=models.CASCADE, related_name="objection"
    )
    grounds = models.JSONField(_("alasan keberatan"), default=list)
    statement = models.TextField(_("kasus posisi"))
    status = models.CharField(
        max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.FILED
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField()
    filing_deadline = models.DateTimeField()
    due_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    breached = models.BooleanField(default=False)
    outcome = models.CharField(max_length=14, choices=ObjectionOutcome.choices, blank=True)
    answer_text = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_late = models.BooleanField(default=False)
    dispute_deadline = models.DateTimeField(null=True, blank=True)
    dispute_filed_on = models.DateField(null=True, blank=True)
    dispute_reference = models.CharField(_("nomor register sengketa"), max_length=60, blank=True)
    dispute_recorded_at = models.DateTimeField(null=True, blank=True)
    dispute_note = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"], name="ppid_obj_queue")]
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")

    def __str__(self) -> str:
        return self.register_number


class RequestEvent(models.Model):
    """One step of a request and its objection: the trail shown to the requester and put in the
    dispute record."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="events")
    objection = models.ForeignKey(
        Objection, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["request", "created_at"], name="ppid_event_request"),
            models.Index(fields=["created_at"], name="ppid_event_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_status}->{self.to_status}"

    @property
    def to_label(self) -> str:
        """The reached status in words (an objection's status for objection steps)."""
        choices = ObjectionStatus if self.objection_id else RequestStatus
        if self.to_status in choices.values:
            return str(choices(self.to_status).label)
        return ""


class DipEntry(models.Model):
    """One row of the Daftar Informasi Publik with the columns of the SLIP Perki: summary, the
    official or unit holding it, who is responsible for producing it, time and place of
    production, available forms, retention period; exempted rows also carry their legal basis,
    consequence test and the end of the exemption (exemptions are not permanent, Pasal 20)."""

    category = models.CharField(_("jenis informasi"), max_length=14, choices=DipCategory.choices)
    title = models.CharField(_("judul informasi"), max_length=250)
    summary = models.TextField(_("ringkasan isi informasi"))
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("unit yang menguasai"),
        on_delete=models.PROTECT,
        related_name="dip_entries",
    )
    official = models.CharField(_("pejabat yang menguasai informasi"), max_length=200)
    person_in_charge = models.CharField(_("penanggung jawab pembuatan/penerbitan"), max_length=200)
    produced_when = models.CharField(_("waktu pembuatan"), max_length=100)
    produced_where = models.CharField(_("tempat pembuatan"), max_length=150)
    has_softcopy = models.BooleanField(_("tersedia softcopy"), default=True)
    has_hardcopy = models.BooleanField(_("tersedia hardcopy"), default=False)
    retention = models.CharField(_("jangka waktu penyimpanan"), max_length=100)
    exemption = models.CharField(max_length=1, choices=Exemption.choices, blank=True)
    legal_basis = models.TextField(_("dasar hukum pengecualian"), blank=True)
    consequence_test = models.TextField(_("uji konsekuensi"), blank=True)
    exempt_until = models.DateField(_("dikecualikan sampai"), null=True, blank=True)
    is_published = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["category", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(category="dikecualikan")
                | (~Q(exemption="") & ~Q(consequence_test="")),
                name="ppid_dip_exempt_has_basis",
            )
        ]
        indexes = [models.Index(fields=["is_published", "category"], name="ppid_dip_list")]
        verbose_name = _("entri DIP")
        verbose_name_plural = _("daftar informasi publik")

    def __str__(self) -> str:
        return self.title

    @property
    def is_exempt(self) -> bool:
        return self.category == DipCategory.EXEMPT


def dip_document_path(instance: DipDocument, filename: str) -> str:
    return f"ppid/dip/{instance.token}/{filename}"


class DipDocument(models.Model):
    """A file behind a DIP entry (a regulation, a LAKIP, a budget document...). Text extracted
    on upload (PDF via pypdf) is stored so full-text search finds words inside the file."""

    entry = models.ForeignKey(DipEntry, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = models.CharField(_("judul dokumen"), max_length=250)
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=dip_document_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(null=True, blank=True)
    extracted_text = models.TextField(blank=True)
    extraction_note = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("dokumen DIP")
        verbose_name_plural = _("dokumen DIP")

    def __str__(self) -> str:
        return self.title
