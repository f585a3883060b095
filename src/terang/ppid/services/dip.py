"""The DIP (Daftar Informasi Publik) kept by the PPID: entries and their documents. Every change
is kept in the audit chain of the entry."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terang.core.audit import record_audit
from terang.core.errors import ValidationFailed
from terang.core.models import Agency, User

from ..choices import DipCategory, DocumentKind, Exemption
from ..documents import read_upload
from ..models import DipDocument, DipEntry
from ..permissions import require_ppid_staff

MIN_CONSEQUENCE_TEST = 30


@dataclass
class DipEntryData:
    """The DIP columns of one entry (see `DipEntry`)."""

    category: str
    title: str
    summary: str
    agency: Agency
    official: str
    person_in_charge: str
    produced_when: str
    produced_where: str
    retention: str
    has_softcopy: bool = True
    has_hardcopy: bool = False
    exemption: str = ""
    legal_basis: str = ""
    consequence_test: str = ""
    exempt_until: dt.date | None = None
    is_published: bool = True


def _clean(data: DipEntryData) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    values = asdict(data)
    values["agency"] = data.agency
    for name in (
        "title",
        "summary",
        "official",
        "person_in_charge",
        "produced_when",
        "produced_where",
        "retention",
        "legal_basis",
        "consequence_test",
    ):
        values[name] = (values[name] or "").strip()
    for name in (
        "title",
        "summary",
        "official",
        "person_in_charge",
        "produced_when",
        "produced_where",
        "retention",
    ):
        if len(values[name]) < 2:
            errors[name] = _("Kolom ini wajib diisi.")
    if data.category not in DipCategory.values:
        errors["category"] = _("Pilih jenis informasi.")
    if data.agency is None:
        errors["agency"] = _("Pilih unit yang menguasai informasi.")
    if not (data.has_softcopy or data.has_hardcopy):
        errors["has_softcopy"] = _("Pilih sekurangnya satu bentuk informasi.")
    if data.category == DipCategory.EXEMPT:
        if data.exemption not in Exemption.values:
            errors["exemption"] = _("Informasi dikecualikan memerlukan dasar Pasal 17.")
        if len(values["legal_basis"]) < 5:
            errors["legal_basis"] = _("Tulis dasar hukum pengecualian.")
        if len(values["consequence_test"]) < MIN_CONSEQUENCE_TEST:
            errors["consequence_test"] = _("Tulis hasil uji konsekuensi.")
    else:
        values.update(exemption="", legal_basis="", consequence_test="", exempt_until=None)
    if errors:
        raise ValidationFailed(details={"fields": errors})
    return values


def _audit_payload(values: dict[str, Any]) -> dict[str, Any]:
    payload = dict(values)
    payload["agency"] = values["agency"].code
    if payload.get("exempt_until"):
        payload["exempt_until"] = payload["exempt_until"].isoformat()
    return payload


@transaction.atomic
def create_dip_entry(
    *, actor: User | None, data: DipEntryData, at: dt.datetime | None = None
) -> DipEntry:
    """`actor` None only for system imports (the demo seed)."""
    if actor is not None:
        require_ppid_staff(actor)
    at = at or timezone.now()
    values = _clean(data)
    entry = DipEntry.objects.create(created_by=actor, created_at=at, updated_at=at, **values)
    record_audit(
        actor=actor, action="ppid.dip.created", subject=entry, payload=_audit_payload(values)
    )
    return entry


@transaction.atomic
def update_dip_entry(
    *, actor: User, entry: DipEntry, data: DipEntryData, at: dt.datetime | None = None
) -> DipEntry:
    require_ppid_staff(actor)
    at = at or timezone.now()
    entry = DipEntry.objects.select_for_update().get(pk=entry.pk)
    values = _clean(data)
    if values["category"] == DipCategory.EXEMPT and entry.documents.exists():
        raise ValidationFailed(
            _("Hapus dahulu dokumen entri ini sebelum menjadikannya informasi dikecualikan."),
            details={"field": "category", "reason": "exempt_with_documents"},
        )
    changed = {name: value for name, value in values.items() if getattr(entry, name) != value}
    for name, value in changed.items():
        setattr(entry, name, value)
    entry.updated_at = at
    entry.save(update_fields=[*changed, "updated_at"])
    if changed:
        record_audit(
            actor=actor,
            action="ppid.dip.changed",
            subject=entry,
            payload=_audit_payload({**values, "changed": sorted(changed)}),
        )
    return entry


@transaction.atomic
def add_dip_document(
    *,
    actor: User | None,
    entry: DipEntry,
    file: Any,
    title: str,
    kind: str = DocumentKind.OTHER,
    at: dt.datetime | None = None,
) -> DipDocument:
    """Attach a file and store its text (PDF text through pypdf) for full-text search.
    Exempted information is never attached: its documents must not become public."""
    if actor is not None:
        require_ppid_staff(actor)
    at = at or timezone.now()
    entry = DipEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_exempt:
        raise ValidationFailed(
            _("Informasi yang dikecualikan tidak diunggah sebagai dokumen publik."),
            details={"field": "file", "reason": "exempt_entry"},
        )
    title = " ".join((title or "").split())
    errors: dict[str, Any] = {}
    if len(title) < 3:
        errors["title"] = _("Tulis judul dokumen.")
    if kind not in DocumentKind.values:
        errors["kind"] = _("Pilih jenis dokumen.")
    if errors:
        raise ValidationFailed(details={"fields": errors})
    upload = read_upload(file, field="file")
    document = DipDocument(
        entry=entry,
        kind=kind,
        title=title,
        token=secrets.token_hex(16),
        name=upload.name,
        content_type=upload.content_type,
        size=len(upload.data),
        sha256=upload.sha256,
        pages=upload.pages,
        extracted_text=upload.text,
        extraction_note=upload.note,
        uploaded_by=actor,
        created_at=at,
    )
    document.file.save(upload.name, ContentFile(upload.data), save=False)
    document.save()
    entry.updated_at = at
    entry.save(update_fields=["updated_at"])
    record_audit(
        actor=actor,
        action="ppid.dip.document_added",
        subject=entry,
        payload={
            "document": document.pk,
            "title": title,
            "name": upload.name,
            "sha256": upload.sha256,
            "chars": len(upload.text),
        },
    )
    return document


@transaction.atomic
def remove_dip_document(*, actor: User, document: DipDocument) -> None:
    require_ppid_staff(actor)
    entry = DipEntry.objects.select_for_update().get(pk=document.entry_id)
    record_audit(
        actor=actor,
        action="ppid.dip.document_removed",
        subject=entry,
        payload={"document": document.pk, "title": document.title, "sha256": document.sha256},
    )
    stored = document.file.name or ""
    storage = document.file.storage
    document.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
