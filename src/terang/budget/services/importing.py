"""Import a year's APBD (plan and realisation) from CSV or XLSX: all or nothing.

The file has a header line (line 1) and one line per appropriation: an agency's sub kegiatan
and rincian objek account for spending, an agency's account for revenue and financing.
Column names are matched without regard to case; spaces and hyphens count as underscores;
columns not listed here are ignored, so the open-data CSV of a year re-imports as it is.

Required columns::

    kode_opd            agency code as registered in Terang (e.g. DINKES)
    kode_sub_kegiatan   U.BB.PP.K.AA.SSSS, e.g. 1.02.02.2.01.0001; required for spending (5),
                        empty for revenue (4) and financing (6)
    nama_sub_kegiatan   required when kode_sub_kegiatan is filled
    kode_rekening       rincian objek A.K.JJ.OO.RR, e.g. 5.1.02.01.01; akun 4, 5 or 6 and a
                        known kelompok (4.1-4.3, 5.1-5.4, 6.1-6.2)
    nama_rekening       name of the rincian objek
    pagu                the plan (appropriation), whole rupiah

Optional columns::

    realisasi_01 .. realisasi_12   realisation IN each month (not cumulative), whole rupiah;
                                   missing column or empty cell = 0 ("realisasi_1" also works)
    realisasi                      total realisation; when filled it must equal the months' sum
    tahun                          when filled it must equal the year being imported
    kode_urusan, kode_bidang_urusan, kode_program, kode_kegiatan,
    kode_akun, kode_kelompok, kode_jenis, kode_objek
                                   when filled each must be the matching prefix of the full code
    nama_urusan, nama_bidang_urusan, nama_program, nama_kegiatan,
    nama_akun, nama_kelompok, nama_jenis, nama_objek
                                   names of the parent levels; when absent the name comes from
                                   the latest earlier import, else the reference list, else the
                                   code is shown alone

Amounts: whole rupiah, with or without thousands separators ("2500000", "2.500.000",
"2,500,000"), optionally "Rp" in front and ",00" after; never negative; at most 10^15.
Cents are refused rather than rounded (a budget report must add up to the rupiah).

Rules (every line is checked; any problem refuses the whole file, listed by line and column):
* the agency code must exist; the codes must match the patterns of `codes.py`;
* the same agency, sub kegiatan and account twice is an error (the report names both lines);
* one code, one name: a code named differently on two lines is an inconsistent hierarchy;
* realisation of spending (5) and financing payments (6.2) may not exceed the plan; revenue (4)
  and financing receipts (6.1) may (targets are often exceeded);
* no realisation for a month that has not started yet (city calendar);
* at most 50,000 data lines and 10 MB; blank lines are skipped.

Versions: each accepted file becomes a new BudgetVersion; nothing is ever overwritten. An
APBD murni import supersedes the previous murni (monthly realisation updates), until an APBD-P
exists; an APBD-P import needs a murni and supersedes only the previous APBD-P, so the murni
stays as enacted. The same file twice in a row is refused; a closed year refuses imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.errors import Conflict, PermissionDenied, ValidationFailed
from terang.core.models import Agency, User

from .. import codes
from ..choices import Level, Scheme, VersionKind, YearStatus
from ..codes import AccountPath, ProgramPath
from ..models import MONTH_FIELDS, MONTHS, BudgetCode, BudgetLine, BudgetVersion, BudgetYear
from ..permissions import can_import_budget
from ..publishing import publish_after_commit
from .reading import BudgetImportRejected, ImportProblem, read_bytes, read_table

MAX_IMPORT_ROWS = 50_000
MAX_AMOUNT = 10**15
MAX_NAME = 500
FIRST_YEAR = 2000
BATCH_SIZE = 1000

MONTH_COLUMNS = tuple(f"realisasi_{month:02d}" for month in MONTHS)
REQUIRED_COLUMNS = (
    "kode_opd",
    "kode_sub_kegiatan",
    "nama_sub_kegiatan",
    "kode_rekening",
    "nama_rekening",
    "pagu",
)
PROGRAM_NAME_COLUMNS: dict[str, str] = {
    Level.URUSAN: "nama_urusan",
    Level.BIDANG: "nama_bidang_urusan",
    Level.PROGRAM: "nama_program",
    Level.KEGIATAN: "nama_kegiatan",
    Level.SUB_KEGIATAN: "nama_sub_kegiatan",
}
PROGRAM_CODE_COLUMNS: dict[str, str] = {
    Level.URUSAN: "kode_urusan",
    Level.BIDANG: "kode_bidang_urusan",
    Level.PROGRAM: "kode_program",
    Level.KEGIATAN: "kode_kegiatan",
}
ACCOUNT_NAME_COLUMNS: dict[str, str] = {
    Level.AKUN: "nama_akun",
    Level.KELOMPOK: "nama_kelompok",
    Level.JENIS: "nama_jenis",
    Level.OBJEK: "nama_objek",
    Level.RINCIAN: "nama_rekening",
}
ACCOUNT_CODE_COLUMNS: dict[str, str] = {
    Level.AKUN: "kode_akun",
    Level.KELOMPOK: "kode_kelompok",
    Level.JENIS: "kode_jenis",
    Level.OBJEK: "kode_objek",
}
OPTIONAL_COLUMNS = (
    "tahun",
    "realisasi",
    *MONTH_COLUMNS,
    *PROGRAM_NAME_COLUMNS.values(),
    *PROGRAM_CODE_COLUMNS.values(),
    *ACCOUNT_NAME_COLUMNS.values(),
    *ACCOUNT_CODE_COLUMNS.values(),
)
KNOWN_COLUMNS = frozenset(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)

MONTH_HEADER = re.compile(r"^realisasi_(\d{1,2})$")
AMOUNT = re.compile(
    r"^(?:rp\.?\s*)?(?P<whole>\d{1,3}(?P<sep>[.,\s\u00a0])\d{3}(?:(?P=sep)\d{3})*|\d+)"
    r"(?:[.,]0{1,2})?$",
    re.IGNORECASE,
)


class BudgetYearInvalid(ValidationFailed):
    code = "budget_year_invalid"
    default_message = _("Tahun anggaran atau jenis APBD tidak valid.")


class BudgetYearClosed(Conflict):
    code = "budget_year_closed"
    default_message = _("Tahun anggaran ini sudah ditutup; buka kembali sebelum mengimpor.")


class BudgetOriginalMissing(Conflict):
    code = "budget_original_missing"
    default_message = _("APBD-P hanya dapat diimpor setelah APBD murni tahun itu ada.")


class BudgetAlreadyAmended(Conflict):
    code = "budget_already_amended"
    default_message = _(
        "Tahun ini sudah memiliki APBD-P; APBD murni tidak dapat diganti lagi. "
        "Impor sebagai APBD-P."
    )


class BudgetDuplicateFile(Conflict):
    code = "budget_import_duplicate"
    default_message = _("Berkas yang sama persis sudah menjadi versi terkini; tidak ada perubahan.")


@dataclass(frozen=True)
class ParsedLine:
    line: int
    agency: Agency
    program: ProgramPath | None
    account: AccountPath
    planned: int
    months: tuple[int, ...]


@dataclass
class ParsedBudget:
    lines: list[ParsedLine]
    names: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def realised_through(self) -> int:
        last = 0
        for line in self.lines:
            for month, amount in enumerate(line.months, start=1):
                if amount and month > last:
                    last = month
        return last

    def totals(self) -> dict[str, dict[str, int]]:
        """Plan and realisation per akun, for the audit entry and the import summary."""
        found: dict[str, dict[str, int]] = {}
        for line in self.lines:
            item = found.setdefault(line.account.akun, {"planned": 0, "realised": 0})
            item["planned"] += line.planned
            item["realised"] += sum(line.months)
        return dict(sorted(found.items()))


@dataclass
class ImportResult:
    version: BudgetVersion
    superseded: BudgetVersion | None
    totals: dict[str, dict[str, int]]


def parse_amount(text: str) -> int | None:
    """Whole rupiah from "2.500.000", "2500000", "Rp 2.500.000,00"...; None when not one."""
    match = AMOUNT.match(text.strip())
    if match is None:
        return None
    return int(re.sub(r"\D", "", match.group("whole")))


def normalise_header(cell: str) -> str:
    name = re.sub(r"[\s\-]+", "_", cell.strip().casefold())
    if match := MONTH_HEADER.match(name):
        return f"realisasi_{int(match[1]):02d}"
    return name


def last_open_month(year: int, today: dt.date) -> int:
    """The last month of `year` that may carry realisation on `today` (city date)."""
    if year < today.year:
        return 12
    if year == today.year:
        return today.month
    return 0


def _check_header(header: list[str]) -> tuple[dict[str, int], list[ImportProblem]]:
    problems: list[ImportProblem] = []
    names = [normalise_header(cell) for cell in header]
    if not any(names):
        return {}, [ImportProblem(1, "", gettext("Berkas kosong."))]
    for name, raw in zip(names, header, strict=True):
        if name.startswith("realisasi_") and name not in KNOWN_COLUMNS:
            problems.append(
                ImportProblem(
                    1, raw, gettext("Kolom realisasi harus realisasi_01 sampai realisasi_12.")
                )
            )
    for column in KNOWN_COLUMNS:
        if names.count(column) > 1:
            problems.append(ImportProblem(1, column, gettext("Kolom muncul lebih dari sekali.")))
    for column in REQUIRED_COLUMNS:
        if column not in names:
            problems.append(ImportProblem(1, column, gettext("Kolom wajib tidak ada.")))
    index = {name: position for position, name in enumerate(names) if name in KNOWN_COLUMNS}
    return index, problems


def parse_budget_file(data: bytes, *, year: int, today: dt.date) -> ParsedBudget:
    """Check every line; returns the lines, or raises BudgetImportRejected with every problem."""
    table = read_table(data)
    index, problems = _check_header(table.header)
    if problems:
        raise BudgetImportRejected(problems)
    agencies: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        agencies.setdefault(agency.code.casefold(), agency)
    checker = _LineChecker(
        year=year, open_month=last_open_month(year, today), agencies=agencies, problems=problems
    )
    parsed = ParsedBudget(lines=[])
    seen: dict[tuple[int, str, str], int] = {}
    named: dict[tuple[str, str], tuple[str, int, str]] = {}
    data_rows = 0
    line_number = 1
    for row in table.rows:
        line_number = row.line
        if not any(row.cells):
            continue
        data_rows += 1
        if data_rows > MAX_IMPORT_ROWS:
            raise BudgetImportRejected(
                [
                    ImportProblem(
                        row.line,
                        "",
                        gettext("Lebih dari %(rows)s baris data; bagi menjadi beberapa berkas.")
                        % {"rows": f"{MAX_IMPORT_ROWS:,}".replace(",", ".")},
                    )
                ]
            )
        if len(row.cells) != len(table.header):
            problems.append(
                ImportProblem(
                    row.line,
                    "",
                    gettext("Ada %(found)s kolom, seharusnya %(expected)s.")
                    % {"found": len(row.cells), "expected": len(table.header)},
                )
            )
            continue
        values = {column: row.cells[position] for column, position in index.items()}
        line = checker.check(row.line, values)
        if line is None:
            continue
        key = (
            line.agency.pk,
            line.program.sub_kegiatan if line.program else "",
            line.account.rincian,
        )
        if key in seen:
            problems.append(
                ImportProblem(
                    row.line,
                    "",
                    gettext("OPD, sub kegiatan dan rekening yang sama sudah ada di baris %(line)s.")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = row.line
        if _check_names(row.line, line, values, named, problems):
            parsed.lines.append(line)
    if not problems and not parsed.lines:
        problems.append(ImportProblem(line_number, "", gettext("Berkas tidak berisi baris data.")))
    if problems:
        raise BudgetImportRejected(sorted(problems, key=lambda p: p.line))
    parsed.names = {key: name for key, (name, _line, _column) in named.items()}
    return parsed


def _check_names(
    line_number: int,
    line: ParsedLine,
    values: dict[str, str],
    named: dict[tuple[str, str], tuple[str, int, str]],
    problems: list[ImportProblem],
) -> bool:
    """One code, one name across the file."""
    pairs: list[tuple[str, str, str]] = []
    if line.program is not None:
        for level, code in line.program.codes().items():
            pairs.append((Scheme.PROGRAM, code, PROGRAM_NAME_COLUMNS[level]))
    for level, code in line.account.codes().items():
        pairs.append((Scheme.ACCOUNT, code, ACCOUNT_NAME_COLUMNS[level]))
    ok = True
    for scheme, code, column in pairs:
        name = " ".join(values.get(column, "").split())
        if not name:
            continue
        earlier = named.get((scheme, code))
        if earlier is None:
            named[(scheme, code)] = (name, line_number, column)
        elif earlier[0] != name:
            ok = False
            problems.append(
                ImportProblem(
                    line_number,
                    column,
                    gettext(
                        'Hierarki tidak konsisten: kode %(code)s sudah bernama "%(name)s" di '
                        "baris %(line)s; satu kode harus satu nama."
                    )
                    % {"code": code, "name": earlier[0][:80], "line": earlier[1]},
                    name[:80],
                )
            )
    return ok


@dataclass
class _LineChecker:
    year: int
    open_month: int
    agencies: dict[str, Agency]
    problems: list[ImportProblem]

    def check(self, line: int, values: dict[str, str]) -> ParsedLine | None:
        before = len(self.problems)

        def problem(column: str, message: str) -> None:
            self.problems.append(ImportProblem(line, column, message, values.get(column, "")[:80]))

        if (year := values.get("tahun", "")) and year != str(self.year):
            problem("tahun", gettext("Tahun harus %(year)s.") % {"year": self.year})

        agency = None
        if not values["kode_opd"]:
            problem("kode_opd", gettext("Wajib diisi."))
        elif (agency := self.agencies.get(values["kode_opd"].casefold())) is None:
            problem("kode_opd", gettext("OPD tidak dikenal."))

        account: AccountPath | None = None
        if not values["kode_rekening"]:
            problem("kode_rekening", gettext("Wajib diisi."))
        else:
            found = codes.parse_account_code(values["kode_rekening"])
            if isinstance(found, str):
                problem("kode_rekening", found)
            else:
                account = found
                self._check_prefixes(account, ACCOUNT_CODE_COLUMNS, values, problem)
        if not values["nama_rekening"]:
            problem("nama_rekening", gettext("Wajib diisi."))

        program = self._program(values, account, problem)
        planned = self._amount(values, "pagu", problem, required=True)
        months = tuple(self._amount(values, column, problem) for column in MONTH_COLUMNS)
        for month, amount in enumerate(months, start=1):
            if amount and month > self.open_month:
                problem(
                    MONTH_COLUMNS[month - 1],
                    gettext("Bulan ini belum berjalan; realisasinya harus kosong atau 0."),
                )
        for column in (*PROGRAM_NAME_COLUMNS.values(), *ACCOUNT_NAME_COLUMNS.values()):
            if len(values.get(column, "")) > MAX_NAME:
                problem(column, gettext("Nama terlalu panjang (maksimal 500 karakter)."))
        if len(self.problems) > before:
            return None
        assert agency is not None and account is not None and planned is not None  # noqa: S101
        whole_months = tuple(amount or 0 for amount in months)
        realised = sum(whole_months)
        if values.get("realisasi"):
            total = self._amount(values, "realisasi", problem)
            if total is not None and total != realised:
                problem(
                    "realisasi",
                    gettext(
                        "Realisasi %(total)s tidak sama dengan jumlah realisasi bulanan %(sum)s."
                    )
                    % {"total": _grouped(total), "sum": _grouped(realised)},
                )
        if realised > planned and not codes.realisation_may_exceed_plan(account.rincian):
            problem(
                "realisasi",
                gettext(
                    "Realisasi %(realised)s melebihi pagu %(planned)s; belanja dan pengeluaran "
                    "pembiayaan tidak boleh melampaui pagu."
                )
                % {"realised": _grouped(realised), "planned": _grouped(planned)},
            )
        if len(self.problems) > before:
            return None
        return ParsedLine(line, agency, program, account, planned, whole_months)

    def _program(self, values: dict[str, str], account: AccountPath | None, problem: Any) -> Any:
        code = values["kode_sub_kegiatan"]
        if account is not None and not codes.needs_sub_kegiatan(account.rincian):
            if code:
                problem(
                    "kode_sub_kegiatan",
                    gettext(
                        "Pendapatan dan pembiayaan dicatat per OPD tanpa sub kegiatan; "
                        "kosongkan kolom ini."
                    ),
                )
            for column in PROGRAM_CODE_COLUMNS.values():
                if values.get(column):
                    problem(column, gettext("Hierarki tidak konsisten: sub kegiatan kosong."))
            return None
        if not code:
            if account is not None:
                problem("kode_sub_kegiatan", gettext("Wajib diisi untuk belanja."))
            return None
        found = codes.parse_program_code(code)
        if isinstance(found, str):
            problem("kode_sub_kegiatan", found)
            return None
        if not values["nama_sub_kegiatan"]:
            problem("nama_sub_kegiatan", gettext("Wajib diisi."))
        self._check_prefixes(found, PROGRAM_CODE_COLUMNS, values, problem)
        return found

    @staticmethod
    def _check_prefixes(
        path: ProgramPath | AccountPath,
        columns: dict[Any, str],
        values: dict[str, str],
        problem: Any,
    ) -> None:
        for level, code in path.codes().items():
            column = columns.get(level)
            given = values.get(column, "") if column else ""
            if given and given != code:
                problem(
                    column,
                    gettext("Hierarki tidak konsisten: seharusnya %(code)s menurut kode lengkap.")
                    % {"code": code},
                )

    @staticmethod
    def _amount(
        values: dict[str, str], column: str, problem: Any, *, required: bool = False
    ) -> int | None:
        text = values.get(column, "")
        if not text:
            if required:
                problem(column, gettext("Wajib diisi."))
                return None
            return 0
        if text.lstrip().startswith(("-", "(", "−")):
            problem(column, gettext("Nilai tidak boleh negatif."))
            return None
        amount = parse_amount(text)
        if amount is None:
            problem(
                column,
                gettext("Harus rupiah bulat tanpa sen, mis. 2500000 atau 2.500.000."),
            )
            return None
        if amount > MAX_AMOUNT:
            problem(column, gettext("Nilai terlalu besar."))
            return None
        return amount


def _grouped(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def city_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def _check_target(budget_year: BudgetYear | None, versions: list[BudgetVersion], kind: str) -> None:
    if budget_year is not None and budget_year.status == YearStatus.CLOSED:
        raise BudgetYearClosed()
    kinds = {version.kind for version in versions}
    if kind == VersionKind.AMENDED and VersionKind.ORIGINAL not in kinds:
        raise BudgetOriginalMissing()
    if kind == VersionKind.ORIGINAL and VersionKind.AMENDED in kinds:
        raise BudgetAlreadyAmended()


def import_budget(
    *,
    file: IO[bytes] | bytes,
    file_name: str,
    year: int,
    kind: str,
    actor: User,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Check the whole file, then store it as a new version in one transaction, or nothing."""
    if not can_import_budget(actor):
        raise PermissionDenied(_("Anda tidak berwenang mengimpor APBD."))
    now = now or timezone.now()
    today = city_today(now)
    if kind not in VersionKind.values:
        raise BudgetYearInvalid(details={"kind": list(VersionKind.values)})
    if not FIRST_YEAR <= year <= today.year + 1:
        raise BudgetYearInvalid(
            gettext("Tahun anggaran harus antara %(first)s dan %(last)s.")
            % {"first": FIRST_YEAR, "last": today.year + 1},
            details={"year": year},
        )
    existing = BudgetYear.objects.filter(year=year).first()
    _check_target(existing, list(existing.versions.all()) if existing else [], kind)
    data = read_bytes(file)
    parsed = parse_budget_file(data, year=year, today=today)
    with transaction.atomic():
        result = _store(
            parsed, data=data, file_name=file_name, year=year, kind=kind, actor=actor, now=now
        )
        publish_after_commit(year)
    return result


def _store(
    parsed: ParsedBudget,
    *,
    data: bytes,
    file_name: str,
    year: int,
    kind: str,
    actor: User,
    now: dt.datetime,
) -> ImportResult:
    created, _new = BudgetYear.objects.get_or_create(
        year=year, defaults={"created_at": now, "updated_at": now}
    )
    budget_year = BudgetYear.objects.select_for_update().get(pk=created.pk)
    versions = list(budget_year.versions.order_by("number"))
    _check_target(budget_year, versions, kind)
    digest = hashlib.sha256(data).hexdigest()
    previous = next((v for v in versions if v.kind == kind and v.is_current), None)
    if previous is not None and previous.file_sha256 == digest:
        raise BudgetDuplicateFile(details={"version": previous.number})
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    version = BudgetVersion.objects.create(
        budget_year=budget_year,
        kind=kind,
        number=(versions[-1].number if versions else 0) + 1,
        is_current=True,
        imported_at=now,
        imported_by=actor,
        file_name=file_name[:255],
        file_sha256=digest,
        line_count=len(parsed.lines),
        realised_through=parsed.realised_through,
    )
    BudgetCode.objects.bulk_create(_codes(version, parsed), batch_size=BATCH_SIZE)
    BudgetLine.objects.bulk_create(
        (_line(version, line) for line in parsed.lines), batch_size=BATCH_SIZE
    )
    budget_year.updated_at = now
    budget_year.save(update_fields=["updated_at"])
    totals = parsed.totals()
    record_audit(
        actor=actor,
        action="budget.version_imported",
        subject=budget_year,
        payload={
            "year": year,
            "kind": kind,
            "number": version.number,
            "supersedes": previous.number if previous else None,
            "file_name": version.file_name,
            "file_sha256": digest,
            "lines": version.line_count,
            "realised_through": version.realised_through,
            "totals": totals,
        },
    )
    return ImportResult(version=version, superseded=previous, totals=totals)


def _line(version: BudgetVersion, line: ParsedLine) -> BudgetLine:
    program = line.program
    account = line.account
    row = BudgetLine(
        version=version,
        agency=line.agency,
        source_line=line.line,
        program_code=program.program if program else "",
        kegiatan_code=program.kegiatan if program else "",
        sub_kegiatan_code=program.sub_kegiatan if program else "",
        akun_code=account.akun,
        kelompok_code=account.kelompok,
        jenis_code=account.jenis,
        objek_code=account.objek,
        account_code=account.rincian,
        planned=line.planned,
        realised=sum(line.months),
    )
    for name, amount in zip(MONTH_FIELDS, line.months, strict=True):
        setattr(row, name, amount)
    return row


def _codes(version: BudgetVersion, parsed: ParsedBudget) -> list[BudgetCode]:
    """Every code the lines use, with its name: from the file, else the latest earlier import,
    else the reference list, else blank."""
    levels: dict[tuple[str, str], str] = {}
    for line in parsed.lines:
        if line.program is not None:
            for level, code in line.program.codes().items():
                levels[(Scheme.PROGRAM, code)] = level
        for level, code in line.account.codes().items():
            levels[(Scheme.ACCOUNT, code)] = level
    names = dict(parsed.names)
    for scheme in (Scheme.PROGRAM, Scheme.ACCOUNT):
        missing = [code for (s, code) in levels if s == scheme and (s, code) not in names]
        if not missing:
            continue
        earlier = (
            BudgetCode.objects.filter(scheme=scheme, code__in=missing)
            .exclude(name="")
            .order_by("-version__imported_at", "-version_id")
            .values_list("code", "name")
        )
        for code, name in earlier:
            names.setdefault((scheme, code), name)
    return [
        BudgetCode(
            version=version,
            scheme=scheme,
            level=level,
            code=code,
            name=names.get((scheme, code)) or codes.REFERENCE_NAMES.get((scheme, code), ""),
        )
        for (scheme, code), level in sorted(levels.items())
    ]
