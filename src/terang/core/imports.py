"""What every all-or-nothing file import shares (market prices, the APBD, ...): the line-numbered
problem report, the refusal that carries it, reading an upload under a size limit, decoding
UTF-8 (with or without a BOM) and guessing a CSV's separator. Line numbers are what the user
sees in an editor: the header is line 1."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from terang.core.errors import ValidationFailed

#: A report lists at most this many problems (the total is always given).
MAX_REPORTED_PROBLEMS = 500


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: str  # a column name, or "" for the whole line
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "value": self.value,
        }


class ImportRejected(ValidationFailed):
    """The file was refused and nothing was saved; `problems` lists the reasons by line.
    Each import names its own subclass (a stable `code`)."""

    code = "import_invalid"
    default_message = _("Berkas tidak diimpor: perbaiki baris yang disebut lalu unggah lagi.")

    def __init__(self, problems: list[ImportProblem], message: Any = None) -> None:
        self.problems = problems[:MAX_REPORTED_PROBLEMS]
        self.total = len(problems)
        super().__init__(
            message,
            details={
                "errors": [p.as_dict() for p in self.problems],
                "total": self.total,
                "truncated": self.total > len(self.problems),
            },
        )


class NotUtf8Text(ValueError):
    """The bytes are not UTF-8 text; `line` is where the first bad byte sits."""

    def __init__(self, line: int) -> None:
        super().__init__(f"not UTF-8 from line {line}")
        self.line = line


def read_upload(
    file: IO[bytes] | bytes, *, max_bytes: int, too_large: Callable[[], Exception]
) -> bytes:
    """The upload's bytes, reading at most one byte past the limit; `too_large()` is raised
    when they exceed it, before reading anything when the file's declared `size` already does.
    The one size check for every upload (imports, PPID documents, Satu Data files, photos)."""
    if isinstance(file, bytes):
        data = file
    else:
        size = getattr(file, "size", None)
        if isinstance(size, int) and size > max_bytes:
            raise too_large()
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large()
    return data


def decode_text(data: bytes) -> str:
    """UTF-8, a leading BOM (as Excel writes it) dropped; NotUtf8Text otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8Text(data[: exc.start].count(b"\n") + 1) from None


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Excel in an Indonesian locale) or tab: whichever the header uses most."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
