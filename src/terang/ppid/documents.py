"""Uploaded documents: what is accepted, and the text extracted from them for full-text search.

Accepted: PDF, Office Open XML (DOCX, XLSX), OpenDocument (ODT, ODS), CSV and plain text, and
JPEG/PNG scans, up to `settings.PPID_MAX_UPLOAD_BYTES`. The content must match the extension (a
PDF starts with `%PDF-`, the zip formats with `PK`). Text comes from pypdf for PDFs, the document
XML for DOCX, openpyxl for XLSX and the bytes for text files; bounded in pages and characters so
a hostile file cannot stall the upload. A file whose text cannot be read is kept, with a note."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from terang.core import imports
from terang.core.errors import ValidationFailed
from terang.core.files import content_type_for

logger = logging.getLogger(__name__)

MAX_PAGES = 300
MAX_CHARS = 500_000
# The document types a PPID desk accepts; their MIME types come from the file view's whitelist.
ACCEPTED_EXTENSIONS = ("pdf", "docx", "xlsx", "odt", "ods", "csv", "txt", "jpg", "jpeg", "png")
CONTENT_TYPES = {ext: content_type_for(f"document.{ext}")[0] for ext in ACCEPTED_EXTENSIONS}
MAGIC = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK",),
    "xlsx": (b"PK",),
    "odt": (b"PK",),
    "ods": (b"PK",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG",),
}
ACCEPT = ",".join(f".{ext}" for ext in CONTENT_TYPES)


@dataclass(frozen=True)
class Upload:
    """A checked upload: safe file name, bytes, type, digest and the extracted text."""

    name: str
    data: bytes
    content_type: str
    sha256: str
    text: str = ""
    pages: int | None = None
    note: str = ""


def safe_name(name: str) -> str:
    base = PurePath(name or "dokumen").name
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "dokumen"
    return f"{stem}.{ext.lower()}" if ext else stem


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def read_upload(file: IO[bytes] | Any, *, field: str = "file", extract: bool = True) -> Upload:
    """Check one uploaded file and extract its text; raise ValidationFailed when refused."""
    name = safe_name(getattr(file, "name", "") or "")
    ext = extension(name)
    if ext not in CONTENT_TYPES:
        raise ValidationFailed(
            _(
                "Jenis berkas tidak diterima. Gunakan PDF, DOCX, XLSX, ODT, ODS, CSV, TXT, JPG "
                "atau PNG."
            ),
            details={"field": field, "reason": "file_type"},
        )
    data = imports.read_upload(
        file, max_bytes=settings.PPID_MAX_UPLOAD_BYTES, too_large=lambda: _too_large(field)
    )
    if not data:
        raise ValidationFailed(
            _("Berkas kosong."), details={"field": field, "reason": "file_empty"}
        )
    if ext in MAGIC and not data.startswith(MAGIC[ext]):
        raise ValidationFailed(
            _("Isi berkas tidak sesuai dengan jenisnya."),
            details={"field": field, "reason": "file_content"},
        )
    text, pages, note = extract_text(ext, data) if extract else ("", None, "")
    return Upload(
        name=name,
        data=data,
        content_type=CONTENT_TYPES[ext],
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        pages=pages,
        note=note,
    )


def _too_large(field: str) -> ValidationFailed:
    return ValidationFailed(
        _("Berkas lebih dari %(mb)s MB.") % {"mb": settings.PPID_MAX_UPLOAD_BYTES // (1024 * 1024)},
        details={"field": field, "reason": "file_too_large"},
    )


def extract_text(ext: str, data: bytes) -> tuple[str, int | None, str]:
    """(text, pages, note). Never raises: an unreadable file gives empty text and a note."""
    try:
        if ext == "pdf":
            return _pdf_text(data)
        if ext == "docx":
            return _xml_text(data, "word/document.xml"), None, ""
        if ext == "odt":
            return _xml_text(data, "content.xml"), None, ""
        if ext == "xlsx":
            return _xlsx_text(data), None, ""
        if ext in ("csv", "txt"):
            return _clean(data.decode("utf-8", errors="replace")), None, ""
    except Exception as exc:  # noqa: BLE001 - any parser failure only loses the search text
        logger.warning("text extraction failed (%s): %s", ext, exc)
        return "", None, "teks tidak dapat dibaca"
    return "", None, ""


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:MAX_CHARS]


def _pdf_text(data: bytes) -> tuple[str, int | None, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return "", None, "PDF terenkripsi"
    pages = len(reader.pages)
    parts: list[str] = []
    total = 0
    for page in reader.pages[:MAX_PAGES]:
        part = page.extract_text() or ""
        parts.append(part)
        total += len(part)
        if total >= MAX_CHARS:
            break
    text = _clean(" ".join(parts))
    note = "" if text else "PDF tanpa lapisan teks (hasil pindai?)"
    return text, pages, note


def _xml_text(data: bytes, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
        if info.file_size > 20 * MAX_CHARS:  # a zip bomb is refused, not inflated
            return ""
        xml = archive.read(member).decode("utf-8", errors="replace")
    xml = re.sub(r"</(w:p|text:p|text:h)>", " ", xml)
    return _clean(re.sub(r"<[^>]+>", " ", xml))


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    total = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if value is not None:
                    text = str(value)
                    parts.append(text)
                    total += len(text) + 1
            if total >= MAX_CHARS:
                return _clean(" ".join(parts))
    return _clean(" ".join(parts))


def minimal_pdf(lines: list[str], *, title: str = "") -> bytes:
    """A small valid PDF (one page, Helvetica) whose text pypdf reads back. Used by the demo
    seed and the tests, so neither needs a PDF library that writes."""

    def escape(text: str) -> str:
        text = text.encode("latin-1", errors="replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT", "/F1 11 Tf", "14 TL", "50 790 Td"]
    for line in lines:
        commands.append(f"({escape(line)}) Tj T*")
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    info = f"<< /Title ({escape(title)}) /Producer (Terang) >>".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        info,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
