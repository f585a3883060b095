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
