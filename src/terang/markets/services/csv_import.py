"""CSV import of daily prices: all or nothing, with a line-numbered report.

The file (UTF-8, a byte-order mark is fine; comma, semicolon or tab separated, as the header
line shows) has a header line with these columns in any order (other columns are ignored):

    tanggal,pasar,komoditas,harga
    2026-03-02,pasar-baru,beras-medium,13.500
    02/03/2026,Pasar Baru,Cabai merah keriting,"45,000"

* tanggal: YYYY-MM-DD or DD/MM/YYYY (D/M/YYYY too), not in the future;
* pasar, komoditas: the code or the name (any letter case) of an active market / commodity;
* harga: whole rupiah per the commodity's unit, with or without thousands separators ("13500",
  "13.500", "13,500", "13 500"), optionally "Rp" in front and ",00" after.

Every line is checked before anything is written. If any line is wrong nothing is saved and the
report lists every problem with its line number (the header is line 1) and column. Blank lines
are skipped. The same market, commodity and date twice in one file is an error. A price already
stored for that day is corrected (audited with the old value); an equal one is left alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.errors import Conflict, PermissionDenied, ValidationFailed
from terang.core.imports import (
    ImportProblem,
    ImportRejected,
    NotUtf8Text,
    decode_text,
    read_upload,
    sniff_delimiter,
)
from terang.core.models import User

from ..choices import PriceSource
from ..models import Commodity, DailyPrice, ImportBatch, Market, PriceAlert
from ..permissions import can_record_at, markets_for_entry
from .alerts import evaluate_commodities
from .entry import audit_price, city_today, date_problem, price_problem

MAX_IMPORT_ROWS = 20_000
COLUMNS = ("tanggal", "pasar", "komoditas", "harga")
BATCH_SIZE = 1000

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# whole rupiah: plain digits, or groups of three split by one kind of separator; "Rp" before and
# a zero fraction (",00") after are tolerated
PRICE = re.compile(
    r"^(?:rp\.?\s*)?(?P<whole>\d{1,3}(?P<sep>[.,\s\u00a0])\d{3}(?:(?P=sep)\d{3})*|\d+)"
    r"(?:[.,]0{1,2})?$",
    re.IGNORECASE,
)


class PriceImportRejected(ImportRejected):
    code = "price_import_invalid"


class PriceImportTooLarge(ValidationFailed):
    code = "price_import_too_large"
    status = 413
    default_message = _("Berkas terlalu besar.")


@dataclass
class ImportResult:
    batch: ImportBatch
    alerts: list[PriceAlert] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    market: Market
    commodity: Commodity
    date: dt.date
    price: int


def parse_price(text: str) -> int | None:
    """Whole rupiah from "13.500", "13500", "Rp 13.500,00"...; None when it is not one."""
    match = PRICE.match(text.strip())
    if match is None:
        return None
    return int(re.sub(r"\D", "", match.group("whole")))


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    try:
        if match := ISO_DATE.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := DMY_DATE.match(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _lookup(model: type[Market] | type[Commodity]) -> dict[str, Any]:
    """Rows by code and by name, both case-insensitive (codes win on a clash)."""
    found: dict[str, Any] = {}
    rows: list[Any] = list(model.objects.all())
    for row in rows:
        found.setdefault(_key(row.name), row)
    for row in rows:
        found[_key(row.code)] = row
    return found


def _read(file: IO[bytes] | bytes) -> bytes:
    return read_upload(file, max_bytes=settings.MARKETS_MAX_IMPORT_BYTES, too_large=_too_large)


def _too_large() -> PriceImportTooLarge:
    limit = settings.MARKETS_MAX_IMPORT_BYTES
    return PriceImportTooLarge(
        gettext("Berkas lebih dari %(mb)s MB; bagi menjadi beberapa berkas.")
        % {"mb": limit // (1024 * 1024)},
        details={"max_bytes": limit},
    )


def _decode(data: bytes) -> str:
    try:
        return decode_text(data)
    except NotUtf8Text as exc:
        raise PriceImportRejected(
            [ImportProblem(exc.line, "", gettext("Berkas harus berformat teks UTF-8."))]
        ) from None


def parse_prices_csv(data: bytes, *, actor: User, today: dt.date) -> list[_Row]:
    """Check every line; returns the rows, or raises PriceImportRejected with every problem."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    problems: list[ImportProblem] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise PriceImportRejected([ImportProblem(1, "", str(exc))]) from None
    if header is None or not any(cell.strip() for cell in header):
        raise PriceImportRejected([ImportProblem(1, "", gettext("Berkas kosong."))])
    names = [cell.strip().casefold() for cell in header]
    for column in COLUMNS:
        if names.count(column) == 0:
            problems.append(ImportProblem(1, column, gettext("Kolom wajib tidak ada.")))
        elif names.count(column) > 1:
            problems.append(ImportProblem(1, column, gettext("Kolom muncul lebih dari sekali.")))
    if problems:
        raise PriceImportRejected(problems)
    index = {column: names.index(column) for column in COLUMNS}

    markets, commodities = _lookup(Market), _lookup(Commodity)
    rows: list[_Row] = []
    seen: dict[tuple[int, int, dt.date], int] = {}
    data_rows = 0
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(ImportProblem(reader.line_num, "", str(exc)))
            break
        line = start
        if not any(cell.strip() for cell in cells):
            continue
        data_rows += 1
        if data_rows > MAX_IMPORT_ROWS:
            raise PriceImportRejected(
                [
                    ImportProblem(
                        line,
                        "",
                        gettext("Lebih dari %(rows)s baris data; bagi menjadi beberapa berkas.")
                        % {"rows": f"{MAX_IMPORT_ROWS:,}".replace(",", ".")},
                    )
                ]
            )
        if len(cells) != len(names):
            problems.append(
                ImportProblem(
                    line,
                    "",
                    gettext("Ada %(found)s kolom, seharusnya %(expected)s.")
                    % {"found": len(cells), "expected": len(names)},
                )
            )
            continue
        row = _check_line(
            line,
            {c: cells[i].strip() for c, i in index.items()},
            actor,
            today,
            markets,
            commodities,
            problems,
        )
        if row is None:
            continue
        key = (row.market.pk, row.commodity.pk, row.date)
        if key in seen:
            problems.append(
                ImportProblem(
                    line,
                    "",
                    gettext("Pasar, komoditas dan tanggal yang sama sudah ada di baris %(line)s.")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        rows.append(row)
    if not problems and not rows:
        problems.append(ImportProblem(line, "", gettext("Berkas tidak berisi baris data.")))
    if problems:
        raise PriceImportRejected(problems)
    return rows


def _check_line(
    line: int,
    values: dict[str, str],
    actor: User,
    today: dt.date,
    markets: dict[str, Market],
    commodities: dict[str, Commodity],
    problems: list[ImportProblem],
) -> _Row | None:
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(ImportProblem(line, column, message, values[column][:80]))

    day = parse_date(values["tanggal"])
    if day is None:
        problem("tanggal", gettext("Tanggal tidak valid; gunakan YYYY-MM-DD atau DD/MM/YYYY."))
    elif message := date_problem(day, today):
        problem("tanggal", message)

    market = markets.get(_key(values["pasar"]))
    if market is None:
        problem("pasar", gettext("Pasar tidak dikenal."))
    elif not market.is_active:
        problem("pasar", gettext("Pasar tidak aktif."))
    elif not can_record_at(actor, market):
        problem("pasar", gettext("Anda tidak berwenang mencatat harga di pasar ini."))

    commodity = commodities.get(_key(values["komoditas"]))
    if commodity is None:
        problem("komoditas", gettext("Komoditas tidak dikenal."))
    elif not commodity.is_active:
        problem("komoditas", gettext("Komoditas tidak aktif."))

    price = parse_price(values["harga"])
    if price is None:
        problem("harga", gettext("Harga harus bilangan bulat rupiah, mis. 13500 atau 13.500."))
    elif message := price_problem(price):
        problem("harga", message)

    if len(problems) > before:
        return None
    assert day is not None and market is not None and commodity is not None  # noqa: S101
    assert price is not None  # noqa: S101
    return _Row(line, market, commodity, day, price)


def import_prices_csv(
    *,
    file: IO[bytes] | bytes,
    file_name: str,
    actor: User,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Check the whole file, then store every price in one transaction, or nothing."""
    if not markets_for_entry(actor).exists():
        raise PermissionDenied(_("Anda tidak berwenang mencatat harga pasar."))
    now = now or timezone.now()
    data = _read(file)
    rows = parse_prices_csv(data, actor=actor, today=city_today(now))
    try:
        with transaction.atomic():
            return _store(rows, data=data, file_name=file_name, actor=actor, now=now)
    except IntegrityError:
        raise Conflict(
            _("Harga yang sama baru saja disimpan pengguna lain; unggah ulang berkasnya.")
        ) from None


def _store(
    rows: list[_Row], *, data: bytes, file_name: str, actor: User, now: dt.datetime
) -> ImportResult:
    batch = ImportBatch.objects.create(
        file_name=file_name[:255],
        file_digest=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        row_count=len(rows),
    )
    dates = [row.date for row in rows]
    existing = {
        (p.market_id, p.commodity_id, p.date): p
        for p in DailyPrice.objects.select_for_update()
        .filter(
            market_id__in={row.market.pk for row in rows},
            commodity_id__in={row.commodity.pk for row in rows},
            date__gte=min(dates),
            date__lte=max(dates),
        )
        .order_by("pk")
    }
    new: list[DailyPrice] = []
    corrected: list[tuple[DailyPrice, int]] = []
    changed: set[Commodity] = set()
    for row in rows:
        price = existing.get((row.market.pk, row.commodity.pk, row.date))
        if price is None:
            new.append(
                DailyPrice(
                    market=row.market,
                    commodity=row.commodity,
                    date=row.date,
                    price=row.price,
                    source=PriceSource.IMPORT,
                    entered_by=actor,
                    import_batch=batch,
                )
            )
            changed.add(row.commodity)
        elif price.price != row.price:
            corrected.append((price, price.price))
            price.price = row.price
            price.source = PriceSource.IMPORT
            price.entered_by = actor
            price.import_batch = batch
            price.updated_at = now
            changed.add(row.commodity)
    DailyPrice.objects.bulk_create(new, batch_size=BATCH_SIZE)
    DailyPrice.objects.bulk_update(
        [price for price, _old in corrected],
        ["price", "source", "entered_by", "import_batch", "updated_at"],
        batch_size=BATCH_SIZE,
    )
    for price, old in corrected:
        audit_price(actor=actor, price=price, action="price.corrected", old=old)
    batch.created_count = len(new)
    batch.updated_count = len(corrected)
    batch.unchanged_count = len(rows) - len(new) - len(corrected)
    batch.save(update_fields=["created_count", "updated_count", "unchanged_count"])
    record_audit(
        actor=actor,
        action="price_import.accepted",
        subject=batch,
        payload={
            "file_name": batch.file_name,
            "file_digest": batch.file_digest,
            "rows": batch.row_count,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
        },
    )
    return ImportResult(batch=batch, alerts=evaluate_commodities(changed, now=now))
