"""Requesters' identity numbers: checking a NIK's shape and showing any number masked.

NIK (Nomor Induk Kependudukan): 16 digits, PP KK CC DDMMYY SSSS, women's day of birth + 40, no
check digit (DOMAIN.md section 7). Only the shape and the birth date are checked; a region code
unknown today may still be a valid older NIK, so it is not checked."""

from __future__ import annotations

import re

NIK_RE = re.compile(r"^\d{16}$")
OTHER_ID_RE = re.compile(r"^[A-Za-z0-9./-]{4,30}$")


def normalise_identity_number(value: str) -> str:
    return re.sub(r"[\s]", "", value or "").upper()


def is_valid_nik(value: str) -> bool:
    if not NIK_RE.match(value):
        return False
    day, month = int(value[6:8]) % 40, int(value[8:10])
    return 1 <= day <= 31 and 1 <= month <= 12 and value[12:] != "0000"


def is_valid_other_id(value: str) -> bool:
    return bool(OTHER_ID_RE.match(value))


def mask_identity_number(value: str) -> str:
    """Keep the last four characters: enough for the requester to recognise their number."""
    if not value:
        return ""
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]
