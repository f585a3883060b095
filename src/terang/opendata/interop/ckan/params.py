"""Parsing of CKAN action parameters as clients send them: JSON bodies with native types, or
query strings / multipart forms where everything is a string (lists and dicts as JSON text)."""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _

from terang.core.errors import ValidationFailed

from ...errors import SearchQueryInvalid
from ...selectors import FILTER_FIELDS

TRUE = {"true", "1", "yes", "on", "t", "y"}
FALSE = {"false", "0", "no", "off", "f", "n", ""}
FQ_TERM = re.compile(r'(?P<sign>[+-]?)(?P<field>[A-Za-z_]+):(?P<value>"(?:[^"\\]|\\.)*"|[^\s()]+)')
FQ_JOINERS = {"AND", "&&"}
# Terms CKAN's own clients add that mean "everything" here (one site, public datasets only).
FQ_IGNORED = {
    ("dataset_type", "dataset"),
    ("state", "active"),
    ("capacity", "public"),
    ("+dataset_type", "dataset"),
}
FIELD_ALIASES = {
    "organization": "organization",
    "res_format": "res_format",
    "tags": "tags",
    "groups": "groups",
    "license_id": "license_id",
    "license": "license_id",
    "name": "name",
    "id": "id",
    "owner_org": "owner_org",
}


def invalid(key: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details={key: [message]})


def to_int(
    data: dict[str, Any],
    key: str,
    default: int,
    *,
    minimum: int = 0,
    maximum: int | None = None,
    clamp: bool = False,
) -> int:
    """An integer parameter; `clamp` caps it at `maximum` silently as CKAN does for `rows`."""
    raw = data.get(key)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int) or isinstance(raw, bool) else raw
    except ValueError:
        raise invalid(key, _("Bukan bilangan bulat.")) from None
    if value < minimum:
        raise invalid(key, _("Harus %(min)s atau lebih.") % {"min": minimum})
    if maximum is not None and value > maximum:
        if clamp:
            return maximum
        raise invalid(key, _("Paling besar %(max)s.") % {"max": maximum})
    return value


def to_bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return default


def to_list(key: str, value: Any) -> list[Any]:
    """A list, or its JSON text, or a comma-separated string."""
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            raise invalid(key, _("Bukan daftar JSON yang sah.")) from None
        if not isinstance(parsed, list):
            raise invalid(key, _("Harus berupa daftar."))
        return parsed
    return [part.strip() for part in text.split(",") if part.strip()]


def to_dict(key: str, value: Any) -> dict[str, Any]:
    if value in (None, ""):
        return {}
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(str(value))
    except ValueError:
        raise invalid(key, _("Bukan objek JSON yang sah.")) from None
    if not isinstance(parsed, dict):
        raise invalid(key, _("Harus berupa objek JSON."))
    return parsed


def parse_fq(fq: str | list[str] | None) -> dict[str, list[str]]:
    """CKAN/Solr filter queries such as `organization:dinkes tags:"air bersih" AND
    res_format:CSV` (terms ANDed) as facet filters. Unknown fields or syntax: Search Query
    Error."""
    filters: dict[str, list[str]] = {}
    for text in fq if isinstance(fq, list) else [fq or ""]:
        _collect(str(text), filters)
    return filters


def _collect(text: str, filters: dict[str, list[str]]) -> None:
    position = 0
    text = text.strip()
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        joiner = next((j for j in FQ_JOINERS if text.startswith(j + " ", position)), None)
        if joiner:
            position += len(joiner)
            continue
        match = FQ_TERM.match(text, position)
        if match is None:
            raise SearchQueryInvalid(
                _("Tidak dapat memahami fq: %(fq)s") % {"fq": text[position:][:80]},
                details={"fq": text},
            )
        position = match.end()
        field, value, sign = match["field"], match["value"], match["sign"]
        if value.startswith('"'):
            value = json.loads(value)
        if (field, value) in FQ_IGNORED or field == "site_id":
            continue
        key = FIELD_ALIASES.get(field)
        if key is None or key not in FILTER_FIELDS or sign == "-":
            raise SearchQueryInvalid(
                _("Saringan tidak didukung: %(term)s") % {"term": match.group(0)},
                details={"fq": match.group(0)},
            )
        filters.setdefault(key, []).append(value)


def split_q(q: str | None) -> tuple[str, dict[str, list[str]]]:
    """`q` may hold `field:value` terms (CKAN passes them to Solr); they become filters and the
    rest is the text to search. `*:*` means everything."""
    text = str(q or "").strip()
    if not text or text == "*:*":
        return "", {}
    filters: dict[str, list[str]] = {}
    words = []
    for piece in re.split(r'(\s+(?=(?:[^"]*"[^"]*")*[^"]*$))', text):
        piece = piece.strip()
        if not piece:
            continue
        match = FQ_TERM.fullmatch(piece)
        if match and FIELD_ALIASES.get(match["field"]):
            _collect(piece, filters)
        elif match and match["field"] in ("text", "title", "notes"):
            words.append(match["value"].strip('"'))
        else:
            words.append(piece)
    return " ".join(words), filters
