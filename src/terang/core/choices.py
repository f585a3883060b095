from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Warga")
    OFFICER = "officer", _("Petugas OPD")
    AGENCY_HEAD = "agency_head", _("Kepala OPD")
    OPERATOR = "operator", _("Operator ruang kendali")
    INSPECTORATE = "inspectorate", _("Inspektorat / Ombudsman")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset(
    {Role.OFFICER, Role.AGENCY_HEAD, Role.OPERATOR, Role.INSPECTORATE, Role.ADMIN}
)


class AreaLevel(models.TextChoices):
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class RateLimitAction(models.TextChoices):
    """What a rate-limit policy row limits (see core.ratelimit for the default numbers)."""

    ASPIRATION_SUBMIT = "aspiration_submit", _("Kirim aspirasi (formulir dan API)")
    OPEN311_SUBMIT = "open311_submit", _("Kirim laporan lewat Open311")
    PHOTO_UPLOAD = "photo_upload", _("Unggah foto (dihitung per foto)")
    PPID_REQUEST = "ppid_request", _("Ajukan permohonan informasi PPID")
    FOLLOW = "follow", _("Ikuti laporan atau berlangganan kelurahan")
    TRACKING_LOOKUP = "tracking_lookup", _("Lacak laporan dengan kode")
    ADMIN_LOGIN = "admin_login", _("Masuk ke halaman admin")
