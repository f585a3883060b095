"""Permendagri 90/2019 codes: the two hierarchies every APBD line carries.

APBD (Anggaran Pendapatan dan Belanja Daerah) is the regional budget. Each line sits on two
code paths (shared/DOMAIN.md section 6, cross-checked against SIPD-derived code):

* the program side, `U.BB.PP.K.AA.SSSS`: urusan (government affair, 1 digit), bidang urusan
  (field, 2), program (2), kegiatan (activity: 1 digit of authority level + 2), sub kegiatan
  (sub-activity, 4), e.g. 1.02.02.2.01.0001. Only spending lines have one: revenue and financing
  are recorded per agency (OPD) without a sub kegiatan, as SIPD does.
* the account side (rekening), `A.K.JJ.OO.RR`: akun (class: 4 revenue, 5 spending, 6 financing),
  kelompok (group), jenis (type), objek (object), rincian objek (detail), e.g. 5.1.02.01.01.
  The sixth level, sub rincian objek (`.SSSS`), is finer than the explorer needs; files are
  imported at rincian objek level.

Rules chosen here: every segment is digits of the exact width and never all zeros (no code is
"00"); the urusan digit is 1-9; the kegiatan authority digit is any digit 1-9 (DOMAIN.md marks
its meaning, 1 provinsi / 2 kabupaten-kota, as unverified, so it is not pinned to 2); the
placeholder form `X.XX.01` of the supporting program must be expanded with the real bidang
before import. A kelompok must be one of the nine of DOMAIN.md (4.1-4.3, 5.1-5.4, 6.1-6.2).

Names stay in Indonesian: they are the legal nomenclature, not interface text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext

from .choices import Level, Scheme

PROGRAM_LEVELS = (Level.URUSAN, Level.BIDANG, Level.PROGRAM, Level.KEGIATAN, Level.SUB_KEGIATAN)
ACCOUNT_LEVELS = (Level.AKUN, Level.KELOMPOK, Level.JENIS, Level.OBJEK, Level.RINCIAN)

# digits per level; the kegiatan's "K.AA" is two segments of 1 and 2 digits
PROGRAM_SEGMENTS = ((1,), (2,), (2,), (1, 2), (4,))
ACCOUNT_SEGMENTS = ((1,), (1,), (2,), (2,), (2,))

REVENUE = "4"
SPENDING = "5"
FINANCING = "6"
FINANCING_RECEIPTS = "6.1"
FINANCING_PAYMENTS = "6.2"
BUDGET_CLASSES = (REVENUE, SPENDING, FINANCING)

KELOMPOK: dict[str, str] = {
    "4.1": "Pendapatan Asli Daerah (PAD)",
    "4.2": "Pendapatan Transfer",
    "4.3": "Lain-lain Pendapatan Daerah yang Sah",
    "5.1": "Belanja Operasi",
    "5.2": "Belanja Modal",
    "5.3": "Belanja Tidak Terduga",
    "5.4": "Belanja Transfer",
    "6.1": "Penerimaan Pembiayaan",
    "6.2": "Pengeluaran Pembiayaan",
}

#: Fallback names for parent levels a file does not name. Akun and kelompok are cross-checked
#: (DOMAIN.md "X"); the jenis and urusan names are from memory ("M") and only ever shown when
#: neither the file nor an earlier import named the code.
REFERENCE_NAMES: dict[tuple[str, str], str] = {
    (Scheme.ACCOUNT, "4"): "Pendapatan Daerah",
    (Scheme.ACCOUNT, "5"): "Belanja Daerah",
    (Scheme.ACCOUNT, "6"): "Pembiayaan Daerah",
    **{(Scheme.ACCOUNT, code): name for code, name in KELOMPOK.items()},
    (Scheme.ACCOUNT, "4.1.01"): "Pajak Daerah",
    (Scheme.ACCOUNT, "4.1.02"): "Retribusi Daerah",
    (Scheme.ACCOUNT, "5.1.01"): "Belanja Pegawai",
    (Scheme.ACCOUNT, "5.1.02"): "Belanja Barang dan Jasa",
    (Scheme.ACCOUNT, "5.1.05"): "Belanja Hibah",
    (Scheme.ACCOUNT, "5.1.06"): "Belanja Bantuan Sosial",
    (Scheme.ACCOUNT, "5.2.01"): "Belanja Modal Tanah",
    (Scheme.ACCOUNT, "5.2.02"): "Belanja Modal Peralatan dan Mesin",
    (Scheme.ACCOUNT, "5.2.03"): "Belanja Modal Gedung dan Bangunan",
    (Scheme.ACCOUNT, "5.2.04"): "Belanja Modal Jalan, Jaringan, dan Irigasi",
    (Scheme.ACCOUNT, "5.2.05"): "Belanja Modal Aset Tetap Lainnya",
    (Scheme.ACCOUNT, "5.2.06"): "Belanja Modal Aset Lainnya",
    (Scheme.ACCOUNT, "6.1.01"): "Sisa Lebih Perhitungan Anggaran Tahun Sebelumnya (SiLPA)",
    (Scheme.PROGRAM, "1"): "Urusan Pemerintahan Wajib yang Berkaitan dengan Pelayanan Dasar",
    (Scheme.PROGRAM, "2"): "Urusan Pemerintahan Wajib yang Tidak Berkaitan dengan Pelayanan Dasar",
    (Scheme.PROGRAM, "3"): "Urusan Pemerintahan Pilihan",
    (Scheme.PROGRAM, "4"): "Unsur Pendukung Urusan Pemerintahan",
    (Scheme.PROGRAM, "5"): "Unsur Penunjang Urusan Pemerintahan",
    (Scheme.PROGRAM, "6"): "Unsur Pengawasan Urusan Pemerintahan",
    (Scheme.PROGRAM, "7"): "Unsur Kewilayahan",
    (Scheme.PROGRAM, "8"): "Unsur Pemerintahan Umum",
    (Scheme.PROGRAM, "9"): "Unsur Kekhususan",
}


def _pattern(levels: tuple[tuple[int, ...], ...]) -> re.Pattern[str]:
    widths = [width for level in levels for width in level]
    return re.compile(r"^" + r"\.".join(rf"(\d{{{w}}})" for w in widths) + r"$")


PROGRAM_PATTERNS: dict[str, re.Pattern[str]] = {
    level: _pattern(PROGRAM_SEGMENTS[: index + 1]) for index, level in enumerate(PROGRAM_LEVELS)
}
ACCOUNT_PATTERNS: dict[str, re.Pattern[str]] = {
    level: _pattern(ACCOUNT_SEGMENTS[: index + 1]) for index, level in enumerate(ACCOUNT_LEVELS)
}
SUB_RINCIAN = re.compile(r"^\d\.\d\.\d{2}\.\d{2}\.\d{2}\.\d{4}$")


@dataclass(frozen=True)
class ProgramPath:
    """A sub kegiatan code and its four parents."""

    urusan: str
    bidang: str
    program: str
    kegiatan: str
    sub_kegiatan: str

    def codes(self) -> dict[str, str]:
        return dict(zip(PROGRAM_LEVELS, self.prefixes(), strict=True))

    def prefixes(self) -> tuple[str, ...]:
        return (self.urusan, self.bidang, self.program, self.kegiatan, self.sub_kegiatan)


@dataclass(frozen=True)
class AccountPath:
    """A rincian objek code and its four parents."""

    akun: str
    kelompok: str
    jenis: str
    objek: str
    rincian: str

    def codes(self) -> dict[str, str]:
        return dict(zip(ACCOUNT_LEVELS, self.prefixes(), strict=True))

    def prefixes(self) -> tuple[str, ...]:
        return (self.akun, self.kelompok, self.jenis, self.objek, self.rincian)


class CodeError(ValueError):
    """Why a code is not acceptable; the message is already translated."""


def _prefixes(code: str, counts: tuple[int, ...]) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:count]) for count in counts]


def level_of(code: str, scheme: str) -> str | None:
    """The level whose pattern `code` has (zeros not checked), or None."""
    patterns = PROGRAM_PATTERNS if scheme == Scheme.PROGRAM else ACCOUNT_PATTERNS
    for level, pattern in patterns.items():
        if pattern.match(code):
            return level
    return None


def _zero_segment(code: str) -> bool:
    return any(set(part) == {"0"} for part in code.split("."))


def parse_program_code(code: str, *, level: str = Level.SUB_KEGIATAN) -> ProgramPath | str:
    """The path of a program-side code at `level` (default: a full sub kegiatan), or the
    problem as a message. Parents of a shorter code repeat the code itself."""
    code = code.strip()
    if not PROGRAM_PATTERNS[level].match(code):
        examples: dict[str, str] = {
            Level.URUSAN: "1",
            Level.BIDANG: "1.02",
            Level.PROGRAM: "1.02.02",
            Level.KEGIATAN: "1.02.02.2.01",
            Level.SUB_KEGIATAN: "1.02.02.2.01.0001",
        }
        formats: dict[str, str] = {
            Level.URUSAN: "U",
            Level.BIDANG: "U.BB",
            Level.PROGRAM: "U.BB.PP",
            Level.KEGIATAN: "U.BB.PP.K.AA",
            Level.SUB_KEGIATAN: "U.BB.PP.K.AA.SSSS",
        }
        return gettext("Kode harus berformat %(format)s, mis. %(example)s.") % {
            "format": formats[level],
            "example": examples[level],
        }
    if _zero_segment(code):
        return gettext("Tidak ada segmen kode yang boleh bernilai nol seluruhnya.")
    depth = [str(v) for v in PROGRAM_LEVELS].index(level)
    counts = (1, 2, 3, 5, 6)
    found = _prefixes(code, counts[: depth + 1])
    found += [code] * (len(PROGRAM_LEVELS) - len(found))
    return ProgramPath(*found)


def parse_account_code(code: str, *, level: str = Level.RINCIAN) -> AccountPath | str:
    """The path of a budget account code at `level` (default: rincian objek), or the problem."""
    code = code.strip()
    if not ACCOUNT_PATTERNS[level].match(code):
        if level == Level.RINCIAN and SUB_RINCIAN.match(code):
            return gettext(
                "Kode sub rincian objek tidak diterima; jumlahkan ke tingkat rincian objek "
                "(A.K.JJ.OO.RR)."
            )
        formats_: dict[str, tuple[str, str]] = {
            Level.AKUN: ("A", "5"),
            Level.KELOMPOK: ("A.K", "5.1"),
            Level.JENIS: ("A.K.JJ", "5.1.02"),
            Level.OBJEK: ("A.K.JJ.OO", "5.1.02.01"),
            Level.RINCIAN: ("A.K.JJ.OO.RR", "5.1.02.01.01"),
        }
        shape, example = formats_[level]
        return gettext("Kode rekening harus berformat %(format)s, mis. %(example)s.") % {
            "format": shape,
            "example": example,
        }
    if code[0] not in BUDGET_CLASSES:
        return gettext(
            "Akun %(akun)s bukan akun APBD; gunakan 4 (pendapatan), 5 (belanja) atau "
            "6 (pembiayaan)."
        ) % {"akun": code[0]}
    depth = [str(v) for v in ACCOUNT_LEVELS].index(level)
    counts = (1, 2, 3, 4, 5)
    found = _prefixes(code, counts[: depth + 1])
    if len(found) > 1 and found[1] not in KELOMPOK:
        allowed = ", ".join(k for k in KELOMPOK if k.startswith(code[0] + "."))
        return gettext(
            "Kelompok %(kelompok)s tidak dikenal; yang sah untuk akun %(akun)s: %(allowed)s."
        ) % {"kelompok": found[1], "akun": code[0], "allowed": allowed}
    if _zero_segment(code):
        return gettext("Tidak ada segmen kode yang boleh bernilai nol seluruhnya.")
    found += [code] * (len(ACCOUNT_LEVELS) - len(found))
    return AccountPath(*found)


def realisation_may_exceed_plan(account_code: str) -> bool:
    """Revenue and financing receipts may come in above target; spending (5) and financing
    payments (6.2) are capped by their appropriation, so realisation above plan is an error."""
    return account_code.startswith(REVENUE) or account_code.startswith(FINANCING_RECEIPTS)


def needs_sub_kegiatan(account_code: str) -> bool:
    """Spending is appropriated per sub kegiatan; revenue and financing are not."""
    return account_code.startswith(SPENDING)
