"""The one shared function that masks personal data in public text and APIs.

Masks: e-mail addresses, Indonesian phone numbers (+62 / 62 / 08...), 16-digit NIK-like numbers
(also written in groups: "3671 0125 0190 0001", "36.71.01.250190.0001"), capitalised names after
an honorific ("Pak Budi" -> "Pak [disamarkan]", but not "Pak RT" or "Jl. Mas Mansyur"), and any
names the caller knows (e.g. the reporter's name as given).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .crypto import is_unreadable

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NIK_RE = re.compile(r"(?<!\d)\d{16}(?!\d)")
# A NIK in groups split only between its fields (PP KK CC DD MM YY SSSS): "3671 0125 0190 0001",
# "3671.0125.0190.0001", "36.71.01.250190.0001". Thousands ("Rp 1.500.000"), decimals and
# numbers with more digits do not fit the pairs, and the ends stop at a neighbouring digit.
NIK_GROUPED_RE = re.compile(r"(?<!\d)(?<!\d[ .-])\d\d(?:[ .-]?\d\d){5}[ .-]?\d{4}(?![ .-]?\d)")
# +62 812-3456-7890, 0812 3456 7890, 62812..., (021) 555-1234; never from inside "2.000.000.000"
PHONE_RE = re.compile(r"(?<![\w+])(?<!\d[.,])(?:\+62|62|0)[\s().-]*\d(?:[\s().-]*\d){6,12}(?!\d)")
MASK = "[disamarkan]"

HONORIFICS = (
    "bapak", "bpk", "bp", "pak", "ibu", "bu", "saudara", "saudari", "sdr", "sdri",
    "mas", "mbak", "bang", "kak",
)  # fmt: skip
# After an honorific these name an office or a role, not a person: "Pak RT", "Bu Lurah".
OFFICE_TITLES = frozenset(
    """
    rt rw lurah camat wali walikota wakil bupati gubernur presiden menteri kades kadus kaling
    sekdes sekcam sekda kapolsek kapolres kapolda danramil babinsa bhabinkamtibmas satpam
    hansip linmas dokter dok bidan mantri perawat guru dosen kepala kadis kabid kasi ketua
    sekretaris bendahara anggota dewan direktur manajer mandor ustadz ustad ustaz ustadzah
    ustazah kyai kiai pendeta pastor polisi polantas tentara hakim jaksa petugas pegawai
    staf operator sopir supir tukang ogah
    """.split()
)
# Capitalised words that follow an honorific without naming anyone: "Ibu Kota", "Pak Saya".
NOT_A_NAME = frozenset(
    """
    kota negara pertiwi kawin hamil menyusui rumah jari sekalian semua warga pelapor saya aku
    kami kita anda dia beliau mereka yang dan atau di ke dari untuk dengan itu ini tolong
    mohon terima sudah belum tidak bisa harap
    """.split()
)
# A name ends where an address starts: "Pak Budi Jl. Melati" keeps "Jl. Melati".
PLACE_WORDS = (
    "jl", "jln", "jalan", "gg", "gang", "kampung", "kp", "perumahan", "perum", "komplek",
    "kompleks", "komp", "lorong", "lr", "dusun", "dsn",
)  # fmt: skip
_HONORIFIC = "|".join(HONORIFICS)
# A capitalised word or initial(s) ("Budi", "BUDI", "H.", "K.H.", "Ahmad-Zaki"), never an
# honorific itself, so in "Bapak Ibu Sekalian" the name search restarts at "Ibu".
_NAME_WORD = rf"(?!(?i:{_HONORIFIC})\b)(?:(?:[A-Z]\.){{2,}}|[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*\.?)"
HONORIFIC_NAME_RE = re.compile(
    rf"(?<![\w.-])(?P<honorific>(?i:(?:sdri|sdr|bpk|bp)\.[^\S\r\n]*|(?:{_HONORIFIC})[^\S\r\n]+))"
    rf"(?P<name>{_NAME_WORD}(?:[^\S\r\n]+{_NAME_WORD}){{0,4}})"
)
# An honorific right after a street or place word is part of the place's name: "Jl. Mas
# Mansyur", "Jl. KH. Mas Mansyur", "Gg. Bu Haji".
_PLACE_BEFORE_RE = re.compile(
    rf"(?<!\w)(?i:{'|'.join(PLACE_WORDS)})\.?\s*(?:(?:[A-Z]\.)+\s*|[A-Z][A-Za-z]*\.\s*){{0,2}}$"
)


def _mask_name_after_honorific(match: re.Match[str]) -> str:
    """Mask the name words up to the first word that is not part of a name; keep the honorific,
    an office or role, a place and a sentence's full stop as written."""
    if _PLACE_BEFORE_RE.search(match.string, max(0, match.start() - 40), match.start()):
        return match.group(0)
    name = match.group("name")
    end = len(name)
    for word in re.finditer(r"\S+", name):
        bare = word.group().rstrip(".").lower()
        if bare in OFFICE_TITLES or bare in NOT_A_NAME or bare in PLACE_WORDS:
            end = word.start()
            break
    masked_part = name[:end].rstrip()
    if not masked_part:
        return match.group(0)
    rest = name[len(masked_part) :]
    if masked_part.endswith("."):
        rest = "." + rest
    return f"{match.group('honorific')}{MASK}{rest}"


def mask_personal_data(text: str, *, names: Iterable[str] = ()) -> str:
    """Replace personal data in `text` with a neutral marker; `names` are masked word-wise."""
    if not text:
        return text
    masked = EMAIL_RE.sub(MASK, text)
    masked = NIK_RE.sub(MASK, masked)
    masked = NIK_GROUPED_RE.sub(MASK, masked)
    masked = PHONE_RE.sub(MASK, masked)
    masked = HONORIFIC_NAME_RE.sub(_mask_name_after_honorific, masked)
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
