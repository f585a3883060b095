"""Choices of the PPID app. Legal terms stay Indonesian in labels; identifiers are English.

PPID (Pejabat Pengelola Informasi dan Dokumentasi) is the information and documentation officer
of a public body: the desk that answers freedom-of-information requests under UU 14/2008
(Keterbukaan Informasi Publik, KIP) and Perki 1/2021 (Standar Layanan Informasi Publik, SLIP).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    IN_PROCESS = "in_process", _("Diproses")
    EXTENDED = "extended", _("Diperpanjang")
    ANSWERED = "answered", _("Dijawab")
    CLOSED = "closed", pgettext_lazy("information request status", "Selesai")
    WITHDRAWN = "withdrawn", _("Dicabut pemohon")


OPEN_STATUSES = frozenset(
    {RequestStatus.RECEIVED, RequestStatus.IN_PROCESS, RequestStatus.EXTENDED}
)
FINAL_STATUSES = frozenset({RequestStatus.CLOSED, RequestStatus.WITHDRAWN})


class Outcome(models.TextChoices):
    """The written answer (pemberitahuan tertulis, UU 14/2008 Pasal 22(7))."""

    GRANTED = "granted", _("Dikabulkan seluruhnya")
    PARTLY_GRANTED = "partly_granted", _("Dikabulkan sebagian")
    REFUSED = "refused", _("Ditolak (informasi dikecualikan)")
    NOT_HELD = "not_held", _("Informasi tidak dikuasai")
    FORWARDED = "forwarded", _("Diteruskan ke badan publik lain")


# Refusals and partial grants rest on an exemption and a consequence test (Pasal 17, 19).
EXEMPTION_OUTCOMES = frozenset({Outcome.REFUSED, Outcome.PARTLY_GRANTED})
DELIVERING_OUTCOMES = frozenset({Outcome.GRANTED, Outcome.PARTLY_GRANTED})


class Exemption(models.TextChoices):
    """Exempted information, UU 14/2008 Pasal 17 huruf a-j."""

    LAW_ENFORCEMENT = "a", _("Pasal 17 huruf a: menghambat proses penegakan hukum")
    INTELLECTUAL_PROPERTY = (
        "b",
        _("Pasal 17 huruf b: mengganggu perlindungan HKI dan persaingan usaha tidak sehat"),
    )
    DEFENCE = "c", _("Pasal 17 huruf c: membahayakan pertahanan dan keamanan negara")
    NATURAL_RESOURCES = "d", _("Pasal 17 huruf d: mengungkapkan kekayaan alam Indonesia")
    ECONOMY = "e", _("Pasal 17 huruf e: merugikan ketahanan ekonomi nasional")
    FOREIGN_RELATIONS = "f", _("Pasal 17 huruf f: merugikan kepentingan hubungan luar negeri")
    PRIVATE_DEEDS = "g", _("Pasal 17 huruf g: isi akta otentik pribadi dan wasiat")
    PERSONAL_SECRETS = "h", _("Pasal 17 huruf h: mengungkap rahasia pribadi")
    INTERNAL_MEMORANDA = (
        "i",
        _("Pasal 17 huruf i: memorandum antar/intra badan publik yang dirahasiakan"),
    )
    OTHER_STATUTE = "j", _("Pasal 17 huruf j: dikecualikan oleh undang-undang lain")


class IdentityKind(models.TextChoices):
    """The identity document a requester shows (Perki 1/2021: KTP for citizens; a passport or
    KITAS/KITAP for others)."""

    NIK = "nik", _("KTP (NIK)")
    PASSPORT = "passport", _("Paspor")
    KITAS = "kitas", _("KITAS/KITAP")
    OTHER = "other", _("Identitas lain")


class RequesterKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Perorangan")
    ORGANISATION = "organisation", _("Badan hukum / kelompok masyarakat")


class Format(models.TextChoices):
    """How the requester wants the information (cara memperoleh informasi)."""

    SOFTCOPY = "softcopy", _("Salinan elektronik (softcopy)")
    HARDCOPY = "hardcopy", _("Salinan cetak (hardcopy)")
    VIEW = "view", _("Melihat / membaca di tempat")


class Delivery(models.TextChoices):
    """How the copy reaches the requester (cara mendapatkan salinan)."""

    EMAIL = "email", _("Surat elektronik (email)")
    PICKUP = "pickup", _("Mengambil langsung")
    POST = "post", _("Pos / kurir")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    COUNTER = "counter", _("Loket / langsung")
    LETTER = "letter", _("Surat")
    EMAIL = "email", _("Email")


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Perubahan status")
    EXTENSION = "extension", _("Perpanjangan waktu")
    DOCUMENTS = "documents", _("Penyerahan dokumen")
    BREACH = "breach", _("Lewat tenggat")
    OBJECTION = "objection", _("Keberatan")
    DISPUTE = "dispute", _("Sengketa informasi")


class FileKind(models.TextChoices):
    LEGAL_ENTITY = "legal_entity", _("Dokumen badan hukum")
    DELIVERED = "delivered", _("Dokumen informasi yang diserahkan")


class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("Diajukan")
    ANSWERED = "answered", _("Ditanggapi atasan PPID")
    DISPUTED = "disputed", _("Sengketa di Komisi Informasi")
    WITHDRAWN = "withdrawn", _("Dicabut")


OPEN_OBJECTION_STATUSES = frozenset({ObjectionStatus.FILED})


class ObjectionGround(models.TextChoices):
    """Grounds for a keberatan, UU 14/2008 Pasal 35(1) huruf a-g."""

    REFUSED = "a", _("Permohonan ditolak dengan alasan pengecualian (Pasal 17)")
    PERIODIC_NOT_PUBLISHED = "b", _("Informasi berkala tidak disediakan (Pasal 9)")
    NOT_ANSWERED = "c", _("Permintaan informasi tidak ditanggapi")
    NOT_AS_REQUESTED = "d", _("Permintaan ditanggapi tidak sebagaimana yang diminta")
    NOT_FULFILLED = "e", _("Permintaan informasi tidak dipenuhi")
    UNREASONABLE_FEE = "f", _("Pengenaan biaya yang tidak wajar")
    LATE = "g", _("Penyampaian informasi melebihi waktu yang diatur")


class ObjectionOutcome(models.TextChoices):
    """The written answer of the atasan PPID (Pasal 36(2))."""

    UPHELD = "upheld", _("Keberatan diterima: informasi diberikan")
    PARTLY_UPHELD = "partly_upheld", _("Keberatan diterima sebagian")
    REJECTED = "rejected", _("Keberatan ditolak: menguatkan putusan PPID")


class DipCategory(models.TextChoices):
    """Categories of public information (UU 14/2008 Pasal 9, 10, 11, 17)."""

    PERIODIC = "berkala", _("Berkala")
    IMMEDIATE = "serta_merta", _("Serta-merta")
    ANY_TIME = "setiap_saat", _("Tersedia setiap saat")
    EXEMPT = "dikecualikan", _("Dikecualikan")


class DocumentKind(models.TextChoices):
    REGULATION = "regulation", _("Peraturan / keputusan")
    PERFORMANCE = "performance", _("Laporan kinerja (LAKIP/LKjIP)")
    BUDGET = "budget", _("Dokumen anggaran (APBD, DPA, RKA)")
    REPORT = "report", _("Laporan lain")
    PROCEDURE = "procedure", _("SOP / standar layanan")
    OTHER = "other", _("Lainnya")
