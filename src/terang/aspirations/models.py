"""Aspirations (complaints, suggestions, questions) as in LAKSA and SP4N-LAPOR!."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _

from terang.core.models import AdministrativeArea, Agency

from .choices import Channel, Escalation, EventKind, Kind, PhotoKind, Privacy, Status


class Category(models.Model):
    """A city taxonomy entry, owned by one agency, with its deadlines in working days.

    Defaults follow SP4N-LAPOR! guidance (PermenPANRB 62/2018): verify within 3 working days,
    answer within 5, resolve a complaint within 14, or 60 when it needs an investigation.
    Emergency (112) categories use minutes instead.
    """

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    name_en = models.CharField(_("nama (English)"), max_length=150, blank=True)
    description = models.TextField(blank=True)
    group = models.CharField(_("kelompok"), max_length=100, blank=True)
    keywords = models.CharField(max_length=250, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="categories")
    verify_working_days = models.PositiveSmallIntegerField(default=3)
    response_working_days = models.PositiveSmallIntegerField(default=5)
    resolution_working_days = models.PositiveSmallIntegerField(default=14)
    needs_investigation = models.BooleanField(
        default=False, help_text=_("Pengaduan berkadar pengawasan: batas 60 hari kerja.")
    )
    is_emergency = models.BooleanField(default=False)
    emergency_response_minutes = models.PositiveSmallIntegerField(default=15)
    requires_resolution_check = models.BooleanField(
        default=False, help_text=_("Penyelesaian diperiksa ruang kendali/kepala OPD.")
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (English when chosen and given)."""
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


# The inbox's statuses and the stages their deadlines belong to, as fixed, sorted tuples: the
# inbox index below is built from the same expression as the inbox query, and PostgreSQL uses
# an expression index only when the query spells the expression identically.
HANDLING_STATUSES = tuple(
    status.value for status in (Status.DISPOSITIONED, Status.IN_PROGRESS, Status.VERIFIED)
)
INBOX_STATUSES = tuple(sorted((*HANDLING_STATUSES, Status.SUBMITTED.value)))
STAGE_VERIFY, STAGE_RESPONSE, STAGE_RESOLUTION = "verify", "response", "resolution"
# Rows without a running deadline sort after every real one (keyset paging needs no NULLs).
NO_DEADLINE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def _stage_branches() -> list[tuple[Q, str, models.Expression | F]]:
    """(condition, stage, deadline) in the order SQL tries them; `selectors.next_deadline` is
    the same rule on one loaded row."""
    awaiting_response = Q(
        status__in=HANDLING_STATUSES,
        first_response_at__isnull=True,
        response_due_at__isnull=False,
    )
    return [
        (Q(status=Status.SUBMITTED.value), STAGE_VERIFY, F("verify_due_at")),
        (
            awaiting_response,
            STAGE_RESPONSE,
            Least("response_due_at", Coalesce("resolution_due_at", "response_due_at")),
        ),
        (Q(status__in=HANDLING_STATUSES), STAGE_RESOLUTION, F("resolution_due_at")),
    ]


def current_deadline() -> Coalesce:
    """The deadline of the stage an item is in now, `NO_DEADLINE` when none runs: the inbox's
    sort key, computed by the database (and indexed as `asp_inbox_due*`)."""
    return Coalesce(
        Case(
            *(When(condition, then=deadline) for condition, _stage, deadline in _stage_branches()),
            output_field=models.DateTimeField(),
        ),
        Value(NO_DEADLINE),
        output_field=models.DateTimeField(),
    )


def current_stage() -> Case:
    """Which stage `current_deadline` belongs to: "verify", "response", "resolution" or ""."""
    return Case(
        *(When(condition, then=Value(stage)) for condition, stage, _deadline in _stage_branches()),
        default=Value(""),
        output_field=models.CharField(),
    )


class Aspiration(models.Model):
    code = models.CharField(_("kode pelacakan"), max_length=16, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.WEB)
    title = models.CharField(_("judul"), max_length=200)
    text = models.TextField(_("isi"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="aspirations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="aspirations")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    privacy = models.CharField(max_length=12, choices=Privacy.choices, default=Privacy.PUBLIC)

    # Identity. Anonymous reports keep all of these empty: nobody can learn who reported.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aspirations",
    )
    reporter_name = models.CharField(max_length=150, blank=True)
    reporter_contact_encrypted = models.TextField(blank=True)
    share_contact_with_agency = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assisted_aspirations",
    )

    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    kelurahan = models.ForeignKey(
        AdministrativeArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Title, text and address as the public may read them: masked when written (by the services
    # that write the originals, through `core.privacy`) and recomputed by
    # `terang remask-public-text` when the masking rules change. Public pages, APIs, Open311
    # and public search read only these, so hidden data can be neither shown nor searched for.
    public_title = models.TextField(_("judul publik"), blank=True, default="")
    public_text = models.TextField(_("isi publik"), blank=True, default="")
    public_address = models.TextField(_("alamat publik"), blank=True, default="")

    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    verify_due_at = models.DateTimeField(null=True, blank=True)
    response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_checked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    breached = models.BooleanField(default=False)
    escalation = models.PositiveSmallIntegerField(
        choices=Escalation.choices, default=Escalation.NONE
    )
    disposition_count = models.PositiveSmallIntegerField(default=0)
    is_ping_pong = models.BooleanField(default=False)
    assigned_for_good = models.BooleanField(default=False)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    public_answer = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    open311_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["privacy", "status", "-created_at"], name="asp_public_list"),
            models.Index(fields=["agency", "status", "resolution_due_at"], name="asp_inbox"),
            models.Index(fields=["category", "status"], name="asp_category_status"),
            models.Index(fields=["kelurahan", "-created_at"], name="asp_kelurahan"),
            models.Index(fields=["status", "verify_due_at"], name="asp_verify_due"),
            models.Index(fields=["status", "resolution_due_at"], name="asp_resolution_due"),
            models.Index(fields=["reporter", "-created_at"], name="asp_reporter"),
            models.Index(fields=["is_ping_pong", "status"], name="asp_ping_pong"),
            # The inbox: one agency's open items (officers), or every agency's (city-wide),
            # by the current stage's deadline; keyset paging continues from (deadline, id).
            models.Index(
                F("agency"),
                current_deadline(),
                F("id"),
                name="asp_inbox_due",
                condition=Q(status__in=INBOX_STATUSES),
            ),
            models.Index(
                current_deadline(),
                F("id"),
                name="asp_inbox_due_all",
                condition=Q(status__in=INBOX_STATUSES),
            ),
        ]
        verbose_name = _("aspirasi")
        verbose_name_plural = _("aspirasi")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AspirationEvent(models.Model):
    """One step in an aspiration's life: the transition trail and, where public, its timeline."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=True)
    from_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["aspiration", "created_at"]),
            models.Index(fields=["created_at"], name="asp_event_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_status}->{self.to_status}"

    @property
    def display_reason(self) -> str:
        """The reason in the reader's language: people's words as written, system reasons
        translated (see `reasons`)."""
        if self.reason_code:
            from .reasons import describe

            return describe(self.reason_code, self.reason_params)
        return self.reason


def photo_path(instance: AspirationPhoto, filename: str) -> str:
    return f"aspirations/{instance.aspiration.code}/{filename}"


class AspirationPhoto(models.Model):
    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(
        AspirationEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    kind = models.CharField(max_length=8, choices=PhotoKind.choices, default=PhotoKind.REPORT)
    image = models.ImageField(upload_to=photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name or ""


class Follow(models.Model):
    """Someone following a public aspiration: notified on each status change."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["aspiration", "user"], name="uniq_follow")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.aspiration_id}"


class Open311Client(models.Model):
    """An external Open311 client; only a digest of its API key is stored."""

    name = models.CharField(max_length=150)
    key_prefix = models.CharField(max_length=8)
    key_digest = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("klien Open311")
        verbose_name_plural = _("klien Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
