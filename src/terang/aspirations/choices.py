from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Pengaduan")
    SUGGESTION = "suggestion", _("Saran / aspirasi")
    QUESTION = "question", _("Pertanyaan")
    INFORMATION = "information", _("Permintaan informasi")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    APP = "app", _("Aplikasi")
    EMERGENCY_112 = "112", _("Panggilan 112")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    INSTAGRAM = "instagram", _("Instagram")
    FACEBOOK = "facebook", _("Facebook")
    X = "x", _("X (Twitter)")
    COUNTER = "counter", _("Loket / telepon")
    OPEN311 = "open311", _("Open311")


class Privacy(models.TextChoices):
    PUBLIC = "public", _("Publik")
    CONFIDENTIAL = "confidential", _("Rahasia")
    ANONYMOUS = "anonymous", _("Anonim")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Diterima")
    VERIFIED = "verified", _("Terverifikasi")
    REJECTED = "rejected", _("Ditolak")
    DISPOSITIONED = "dispositioned", _("Didisposisikan")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    RESOLVED = "resolved", _("Selesai ditangani")
    CLOSED = "closed", _("Ditutup")
    MERGED = "merged", _("Digabung")


OPEN_STATUSES = frozenset(
    {Status.SUBMITTED, Status.VERIFIED, Status.DISPOSITIONED, Status.IN_PROGRESS}
)
FINAL_STATUSES = frozenset({Status.REJECTED, Status.CLOSED, Status.MERGED})


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Perubahan status")
    DISPOSITION = "disposition", _("Disposisi")
    NOTE = "note", _("Catatan internal")
    ANSWER = "answer", _("Jawaban")
    ESCALATION = "escalation", _("Eskalasi")
    RATING = "rating", _("Penilaian")


class PhotoKind(models.TextChoices):
    REPORT = "report", _("Foto laporan")
    BEFORE = "before", _("Sebelum")
    AFTER = "after", _("Sesudah")


class Escalation(models.IntegerChoices):
    NONE = 0, _("Tidak ada")
    AGENCY_HEAD = 1, _("Kepala OPD")
    INSPECTORATE = 2, _("Inspektorat")
