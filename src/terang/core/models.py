"""Platform data shared by every module: the city, its agencies and areas, people, calendar,
audit chain and the notification outbox."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    STAFF_ROLES,
    AreaLevel,
    NotificationChannel,
    NotificationStatus,
    RateLimitAction,
    Role,
)


class CityProfile(models.Model):
    """The one regional government (pemda) this deployment serves, and its policy knobs."""

    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(unique=True)
    timezone = models.CharField(_("zona waktu"), max_length=40, default="Asia/Jakarta")
    boundary = models.JSONField(_("batas wilayah (GeoJSON Polygon)"), default=dict)
    min_lat = models.FloatField(default=-90)
    max_lat = models.FloatField(default=90)
    min_lon = models.FloatField(default=-180)
    max_lon = models.FloatField(default=180)
    auto_close_working_days = models.PositiveSmallIntegerField(default=10)
    reopen_window_days = models.PositiveSmallIntegerField(default=10)
    ping_pong_moves = models.PositiveSmallIntegerField(
        default=2, help_text=_("Jumlah pemindahan OPD sebelum laporan ditandai ping-pong.")
    )
    inspectorate_after_working_days = models.PositiveSmallIntegerField(
        default=5,
        help_text=_("Hari kerja setelah tenggat terlewati sebelum eskalasi ke inspektorat."),
    )
    contact_email = models.EmailField(blank=True)
    webhook_fallback_category = models.CharField(
        _("kategori cadangan pesan masuk"),
        max_length=60,
        default="umum-lainnya",
        help_text=_(
            "Kode kategori untuk pesan WhatsApp, SMS, dan kanal lain yang tidak menyebut "
            "kategori; bila tidak aktif, kategori aktif pertama."
        ),
    )

    class Meta:
        verbose_name = _("profil kota")
        verbose_name_plural = _("profil kota")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An OPD (organisasi perangkat daerah): a city agency such as Dinas PUPR."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")

    def __str__(self) -> str:
        return self.short_name or self.name


class AdministrativeArea(models.Model):
    """A kecamatan (district) or kelurahan (sub-district) with its official code and polygon."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(max_length=12, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    boundary = models.JSONField(default=dict)
    min_lat = models.FloatField(default=0)
    max_lat = models.FloatField(default=0)
    min_lon = models.FloatField(default=0)
    max_lon = models.FloatField(default=0)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "min_lat", "max_lat"])]
        verbose_name = _("wilayah administrasi")
        verbose_name_plural = _("wilayah administrasi")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person: citizen or staff. Staff roles carry an agency where the role is agency-bound."""

    email = models.EmailField(  # type: ignore[assignment]  # optional: phone-only citizens
        _("email"), unique=True, null=True, blank=True
    )
    phone_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    phone_encrypted = models.TextField(blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CITIZEN)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    contact_verified = models.BooleanField(_("kontak terverifikasi"), default=False)
    preferred_language = models.CharField(max_length=5, default="id")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["officer", "agency_head"]) | Q(agency__isnull=False),
                name="agency_staff_have_agency",
            )
        ]

    @property
    def is_city_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def watches_whole_city(self) -> bool:
        """Operators, administrators and the inspectorate see the control-room wall."""
        return self.role in (Role.OPERATOR, Role.ADMIN, Role.INSPECTORATE)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def phone(self) -> str:
        """The mobile number for display: "tidak terbaca" (logged) when it cannot be decrypted.
        Services that send to it use `crypto.decrypt_field(user, "phone_encrypted")`."""
        from .crypto import decrypt_or_placeholder

        return decrypt_or_placeholder(self, "phone_encrypted")


class AreaSubscription(models.Model):
    """Someone subscribed to a kelurahan: new public aspirations there and early warnings from
    the control room reach them. Core owns it because several apps message the same people;
    the table keeps its first name (it was born in aspirations)."""

    area = models.ForeignKey(
        AdministrativeArea, on_delete=models.CASCADE, related_name="subscriptions"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="area_subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "aspirations_areasubscription"
        constraints = [
            models.UniqueConstraint(fields=["area", "user"], name="uniq_area_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} subscribes {self.area_id}"


class CityDayOff(models.Model):
    """A city-declared day off (e.g. a regional anniversary) on top of national holidays."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur kota")
        verbose_name_plural = _("hari libur kota")

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class OneTimeCode(models.Model):
    """A short-lived code sent to verify a citizen's email or phone; only its hash is stored."""

    target_digest = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.purpose} code for {self.target_digest[:8]}"


class IdempotencyRecord(models.Model):
    """The first result of a create call, replayed when a client retries with the same key."""

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=128)
    request_digest = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="uniq_idempotency")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class Notification(models.Model):
    """Outbox row: stored in the writer's transaction, delivered later by a Celery task."""

    recipient = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    channel = models.CharField(max_length=12, choices=NotificationChannel.choices)
    address_encrypted = models.TextField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.subject} ({self.status})"


class AuditEntry(models.Model):
    """One link of the append-only audit log.

    Entries form one hash chain per subject (`chain`, e.g. ``aspirations.aspiration:42``) so
    writers on different subjects never wait on each other; `AuditCheckpoint` rows fold every
    chain's head into one city-wide chain. See docs/adr/0001-audit-chain.md.
    """

    chain = models.CharField(max_length=120)
    seq = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    payload_digest = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")
        ]
        verbose_name = _("entri audit")
        verbose_name_plural = _("log audit")

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"


class AuditCheckpoint(models.Model):
    """A city-wide link that commits to the head of every chain changed since the last one."""

    seq = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField()
    high_water_id = models.BigIntegerField(
        default=0,
        help_text=_("ID entri audit tertinggi yang terlihat sebelum checkpoint ini dibuat."),
    )
    heads = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"checkpoint #{self.seq}"


class RateLimitPolicy(models.Model):
    """How often one source address and one account may do one action in a window (city
    policy, edited by administrators; core.ratelimit holds the defaults for missing rows)."""

    action = models.CharField(
        _("tindakan"), max_length=40, unique=True, choices=RateLimitAction.choices
    )
    per_source = models.PositiveIntegerField(
        _("batas per alamat"),
        help_text=_(
            "Per alamat IP. Banyak warga dapat berbagi satu alamat (NAT operator seluler, "
            "wifi kantor kelurahan): jangan terlalu kecil. 0 = tanpa batas."
        ),
    )
    per_account = models.PositiveIntegerField(
        _("batas per akun"),
        help_text=_("Per akun yang masuk (untuk Open311: per kunci API). 0 = tanpa batas."),
    )
    window_seconds = models.PositiveIntegerField(
        _("jendela (detik)"), help_text=_("Lama jendela hitungan, misalnya 3600 = satu jam.")
    )

    class Meta:
        ordering = ["action"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_seconds__gte=1), name="rate_limit_window_positive"
            )
        ]
        verbose_name = _("batas laju")
        verbose_name_plural = _("batas laju")

    def __str__(self) -> str:
        return str(self.get_action_display())


class IngestDeadLetter(models.Model):
    """An MQTT message whose batch kept failing (an unexpected error, not a bad payload: those
    go to the app's quarantine) after the worker's retries. The worker acknowledged it and went
    on; operators see it in the control room and replay it. Keeps the payload's exact bytes and
    the name of the registered consumer that failed, so a replay needs nothing else."""

    consumer = models.CharField(_("konsumen"), max_length=60)
    topic = models.CharField(_("topik"), max_length=255)
    wildcards = models.JSONField(default=list, blank=True)
    payload = models.BinaryField()
    error = models.TextField(_("galat"))
    attempts = models.PositiveIntegerField(_("percobaan"))
    first_failed_at = models.DateTimeField(_("gagal pertama"))
    last_failed_at = models.DateTimeField(_("gagal terakhir"))
    replayed_at = models.DateTimeField(_("diputar ulang"), null=True, blank=True)

    class Meta:
        ordering = ["-last_failed_at", "-id"]
        indexes = [
            models.Index(fields=["replayed_at", "last_failed_at"], name="core_deadletter_open")
        ]
        verbose_name = _("pesan gagal")
        verbose_name_plural = _("pesan gagal")

    def __str__(self) -> str:
        return f"{self.consumer}: {self.topic}"

    @property
    def payload_text(self) -> str:
        """The payload for display (invalid UTF-8 replaced)."""
        return bytes(self.payload).decode("utf-8", errors="replace")
