"""The one shared function that masks personal data in public text and APIs.

Masks: e-mail addresses, Indonesian phone numbers (+62 / 62 / 08...), 16-digit NIK-like numbers,
and any names the caller knows (e.g. the reporter's name as given).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .crypto import is_unreadable

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NIK_RE = re.compile(r"(?<!\d)\d{16}(?!\d)")
# +62 812-3456-7890, 0812 3456 7890, 62812..., (021) 555-1234
PHONE_RE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s().-]*\d(?:[\s().-]*\d){6,12}(?!\d)")
MASK = "[disamarkan]"


def mask_personal_data(text: str, *, names: Iterable[str] = ()) -> str:
    """Replace personal data in `text` with a neutral marker; `names` are masked word-wise."""
    if not text:
        return text
    masked = EMAIL_RE.sub(MASK, text)
    masked = NIK_RE.sub(MASK, masked)
    masked = PHONE_RE.sub(MASK, masked)
    for name in names:
        name = (name or "").strip()
        if len(name) < 3:
            continue
        masked = re.sub(rf"(?i)(?<!\w){re.escape(name)}(?!\w)", MASK, masked)
        for part in name.split():
            if len(part) >= 3:
                masked = re.sub(rf"(?i)(?<!\w){re.escape(part)}(?!\w)", MASK, masked)
    return masked


def mask_contact(value: str) -> str:
    """Partly show a contact to staff who may see it exists but not read it whole. The
    "tidak terbaca" placeholder of an undecryptable value is shown as it is."""
    if not value:
        return ""
    if is_unreadable(value):
        return value
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = re.sub(r"\D", "", value)
    return f"{digits[:4]}****{digits[-3:]}" if len(digits) > 7 else "****"


def normalize_phone(value: str) -> str:
    """Normalise an Indonesian mobile number to E.164 (+62...); raise ValueError if invalid."""
    digits = re.sub(r"[\s().-]", "", value or "")
    if digits.startswith("+62"):
        digits = digits[3:]
    elif digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    else:
        raise ValueError("not an Indonesian number")
    if not digits.isdigit() or not digits.startswith("8") or not 9 <= len(digits) <= 12:
        raise ValueError("not an Indonesian mobile number")
    return "+62" + digits
