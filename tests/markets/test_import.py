"""CSV import: every line checked first, all or nothing, a report by line and column."""

from __future__ import annotations

import datetime as dt

import pytest

from terang.core.errors import PermissionDenied
from terang.core.models import AuditEntry
from terang.markets import services
from terang.markets.models import DailyPrice, ImportBatch
from terang.markets.services import csv_import

from .helpers import put_prices

pytestmark = pytest.mark.django_db


def csv_bytes(lines: list[str], *, bom: bool = False) -> bytes:
    data = ("\n".join(lines) + "\n").encode()
    return b"\xef\xbb\xbf" + data if bom else data


def problems_of(exc: services.PriceImportRejected) -> list[tuple[int, str]]:
    return [(p.line, p.column) for p in exc.problems]


def good_lines(day: dt.date) -> list[str]:
    iso = day.isoformat()
    return [
        "tanggal,pasar,komoditas,harga",
        f"{iso},pasar-baru,beras-medium,13500",
        f"{iso},pasar-baru,cabai-merah-keriting,45000",
        f"{iso},pasar-lama,beras-medium,13700",
    ]


def test_two_bad_lines_are_both_reported_and_nothing_is_saved(panel, officer, today):
    day = today - dt.timedelta(days=20)
    lines = ["tanggal,pasar,komoditas,harga"]
    for n in range(2, 14):  # lines 2..13, one day each
        lines.append(f"{(day + dt.timedelta(days=n)).isoformat()},pasar-baru,beras-medium,13500")
    lines[6] = lines[6].replace("13500", "13.5x")  # line 7
    lines[11] = lines[11].replace("pasar-baru", "pasar-hilang")  # line 12
    audit_before = AuditEntry.objects.count()

    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(file=csv_bytes(lines), file_name="harga.csv", actor=officer)

    assert problems_of(caught.value) == [(7, "harga"), (12, "pasar")]
    assert caught.value.problems[0].value == "13.5x"
    assert caught.value.problems[1].value == "pasar-hilang"
    assert caught.value.code == "price_import_invalid"
    assert [e["line"] for e in caught.value.details["errors"]] == [7, 12]
    assert DailyPrice.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_good_file_saves_every_row_with_its_batch(panel, officer, beras, pasar_baru, today):
    day = today - dt.timedelta(days=1)

    result = services.import_prices_csv(
        file=csv_bytes(good_lines(day)), file_name="harga.csv", actor=officer
    )

    batch = result.batch
    assert (batch.row_count, batch.created_count, batch.updated_count) == (3, 3, 0)
    assert (batch.uploaded_by, batch.file_name) == (officer, "harga.csv")
    saved = DailyPrice.objects.get(market=pasar_baru, commodity=beras, date=day)
    assert (saved.price, saved.source, saved.entered_by, saved.import_batch) == (
        13500,
        "import",
        officer,
        batch,
    )
    assert DailyPrice.objects.count() == 3
    entry = AuditEntry.objects.get(chain=f"markets.importbatch:{batch.pk}")
    assert entry.action == "price_import.accepted"
    assert entry.payload["created"] == 3


def test_bom_semicolons_dates_and_thousands_separators_are_accepted(
    panel, officer, beras, cabai, minyak, pasar_baru, today
):
    day = today - dt.timedelta(days=2)
    dmy = day.strftime("%d/%m/%Y")
    lines = [
        "Tanggal;Pasar;Komoditas;Harga;Keterangan",
        f"{dmy};Pasar Baru;Beras Medium;13.500;",
        f"{day.isoformat()};PASAR-BARU;cabai-merah-keriting;Rp 45.000,00;naik",
        f"{day.day}/{day.month}/{day.year};pasar-baru;Minyak goreng curah;16 800;",
        f"{dmy};pasar-lama;beras-medium;13500;",
    ]

    services.import_prices_csv(file=csv_bytes(lines, bom=True), file_name="h.csv", actor=officer)

    prices = dict(
        DailyPrice.objects.filter(date=day, market=pasar_baru).values_list(
            "commodity__code", "price"
        )
    )
    assert prices == {
        "beras-medium": 13500,
        "cabai-merah-keriting": 45000,
        "minyak-goreng-curah": 16800,
    }
    assert DailyPrice.objects.count() == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13500", 13500),
        ("13.500", 13500),
        ("13,500", 13500),
        ("1.250.000", 1250000),
        ("Rp 13.500", 13500),
        ("Rp13500,00", 13500),
        ("13.500,00", 13500),
        ("13.5", None),
        ("13.50", None),
        ("13.5000", None),
        ("13,500.000", None),
        ("-13500", None),
        ("", None),
        ("tiga belas ribu", None),
    ],
)
def test_parse_price(text, expected):
    assert services.parse_price(text) == expected


def test_duplicate_lines_in_one_file_are_refused(panel, officer, today):
    day = today - dt.timedelta(days=1)
    lines = [*good_lines(day), f"{day.strftime('%d/%m/%Y')},Pasar Baru,Beras medium,13600"]

    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(file=csv_bytes(lines), file_name="h.csv", actor=officer)

    assert problems_of(caught.value) == [(5, "")]
    assert "baris 2" in caught.value.problems[0].message
    assert DailyPrice.objects.count() == 0


def test_officer_of_another_agency_is_refused_and_nothing_saved(panel, other_officer, today):
    audit_before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.import_prices_csv(
            file=csv_bytes(good_lines(today)), file_name="h.csv", actor=other_officer
        )

    assert DailyPrice.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_rows_for_another_agencys_market_are_line_errors(panel, pasar_lain, officer, today):
    lines = [*good_lines(today), f"{today.isoformat()},pasar-lain,beras-medium,13000"]

    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(file=csv_bytes(lines), file_name="h.csv", actor=officer)

    assert problems_of(caught.value) == [(5, "pasar")]
    assert DailyPrice.objects.count() == 0


def test_existing_price_is_corrected_and_audited_with_the_old_value(
    panel, officer, beras, pasar_baru, today
):
    day = today - dt.timedelta(days=1)
    (old,) = put_prices(pasar_baru, beras, [13000], end=day)

    result = services.import_prices_csv(
        file=csv_bytes(good_lines(day)), file_name="h.csv", actor=officer
    )

    old.refresh_from_db()
    assert (old.price, old.source, old.import_batch) == (13500, "import", result.batch)
    assert (result.batch.created_count, result.batch.updated_count) == (2, 1)
    entry = AuditEntry.objects.get(chain=f"markets.dailyprice:{old.pk}")
    assert (entry.action, entry.payload["old_price"], entry.payload["price"]) == (
        "price.corrected",
        13000,
        13500,
    )


def test_equal_price_is_left_alone(panel, officer, beras, pasar_baru, today):
    day = today - dt.timedelta(days=1)
    put_prices(pasar_baru, beras, [13500], end=day)

    result = services.import_prices_csv(
        file=csv_bytes(good_lines(day)), file_name="h.csv", actor=officer
    )

    assert (result.batch.created_count, result.batch.unchanged_count) == (2, 1)
    assert not AuditEntry.objects.filter(chain__startswith="markets.dailyprice:").exists()


def test_missing_column_is_reported_on_line_one(panel, officer):
    lines = ["tanggal,pasar,harga", "2026-01-02,pasar-baru,13500"]

    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(file=csv_bytes(lines), file_name="h.csv", actor=officer)

    assert problems_of(caught.value) == [(1, "komoditas")]


def test_every_column_of_a_line_is_checked(panel, officer, today):
    future = (today + dt.timedelta(days=1)).isoformat()
    lines = [
        "tanggal,pasar,komoditas,harga",
        f"{future},pasar-baru,beras-medium,13500",
        "31/02/2026,pasar-x,kangkung,50",
        "2026-01-02,pasar-baru,beras-medium",
    ]

    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(file=csv_bytes(lines), file_name="h.csv", actor=officer)

    assert problems_of(caught.value) == [
        (2, "tanggal"),
        (3, "tanggal"),
        (3, "pasar"),
        (3, "komoditas"),
        (3, "harga"),
        (4, ""),
    ]


def test_blank_lines_are_skipped_but_keep_line_numbers(panel, officer, today):
    day = today.isoformat()
    lines = [
        "tanggal,pasar,komoditas,harga",
        "",
        f"{day},pasar-baru,beras-medium,13500",
        "",
        f"{day},pasar-baru,beras-medium,abc",
    ]

    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(file=csv_bytes(lines), file_name="h.csv", actor=officer)

    assert problems_of(caught.value) == [(5, "harga")]


def test_not_utf8_is_reported_with_its_line(panel, officer):
    data = b"tanggal,pasar,komoditas,harga\n2026-01-02,Pasar \xe9,beras-medium,13500\n"

    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(file=data, file_name="h.csv", actor=officer)

    assert problems_of(caught.value) == [(2, "")]


def test_header_only_file_is_refused(panel, officer):
    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(
            file=b"tanggal,pasar,komoditas,harga\n", file_name="h.csv", actor=officer
        )

    assert problems_of(caught.value) == [(1, "")]


def test_too_large_file_is_refused(panel, officer, settings):
    settings.MARKETS_MAX_IMPORT_BYTES = 100

    with pytest.raises(services.PriceImportTooLarge) as caught:
        services.import_prices_csv(file=b"x" * 101, file_name="h.csv", actor=officer)

    assert (caught.value.code, caught.value.status) == ("price_import_too_large", 413)


def test_too_many_rows_are_refused(panel, officer, today, monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_IMPORT_ROWS", 2)

    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(
            file=csv_bytes(good_lines(today)), file_name="h.csv", actor=officer
        )

    assert problems_of(caught.value) == [(4, "")]
    assert DailyPrice.objects.count() == 0


def test_binary_junk_is_a_line_problem_not_a_crash(panel, officer, today):
    data = csv_bytes(good_lines(today)) + b"2026-01-02,pasar-baru,\x00,1\n"

    with pytest.raises(services.PriceImportRejected) as caught:
        services.import_prices_csv(file=data, file_name="h.csv", actor=officer)

    assert problems_of(caught.value) == [(5, "komoditas"), (5, "harga")]
    assert DailyPrice.objects.count() == 0
