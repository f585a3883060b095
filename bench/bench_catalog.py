"""CKAN package_search and datastore_search at 10k datasets / 1M rows, against package_show.

Two scratch databases of the Satu Data catalog, built by this script and served at once by two
production gunicorn servers (`make serve`'s command):

    terang_bench_catalog_1k   1,000 published datasets; one 100,000-row datastore table
    terang_bench_catalog      10,000 published datasets; one 1,000,000-row datastore table

Both: 20 agencies (Diskominfo is the walidata), 11 topic groups, 4 licences, ~740 tags, 1-3
resources per dataset (CSV, XLSX and JSON tables with 5-40 datastore rows each, PDF files,
links), about 3% more datasets still in draft, submitted or returned, and Indonesian titles and
descriptions (so full-text search has something to find). The small set is the first tenth of
the same generator's output, so the two differ only in size.

How the rows are made: one dataset of each kind (CSV, XLSX, JSON, PDF + link) and the big
table's dataset go through the real services (create, add_resource with an upload, submit,
verify); everything else is written with COPY in the shapes those produced. The build checks
that: every field of a bulk dataset, resource and file version is of the same kind (type,
empty or not, JSON keys) as its service-built twin, the rows the services parsed equal the
generator's, and `package_show` returns the same structure for both. The big table's first
2,000 rows are a CSV upload parsed by the services; the rest are COPYed. Not generated: audit
entries and usage history (no measured query reads them), and the bulk versions' files (they
point at their service-built twin's file).

Measured over HTTP, CKAN Action API GETs (`/api/3/action/<name>`), one request at a time over a
keep-alive connection in a shuffled order per round across both servers and all cases, then
with 8 concurrent connections on the large set. Every p50 is also given as a multiple of
`package_show` (the baseline, rotating over 64 datasets) on the same server in the same run, and
as the ratio large/small. `package_show` and `datastore_search` count an API use (one UPDATE of
the dataset row and a daily usage row, committed); the counters are restored afterwards.

Then the EXPLAIN (ANALYZE, BUFFERS) of every SELECT each case runs (captured from the real
action in-process), with flags for sequential scans on big tables, sorts spilling to disk, JIT
and the share of the request spent in SQL. Results: `results/catalog.json` (full plans under
`explain.*.plans`).

    .venv/bin/python bench/bench_catalog.py [--reuse] [--quick] [--rounds 25] [--connections 8]

--reuse keeps a database whose generator version and sizes match (otherwise both are built
again: about 40 s); --quick measures the small set only (no growth ratios).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import re
import sys
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

VERSION = 1
SEED = 20251104
META_TABLE = "bench_catalog_dataset"
COUNTS_TABLE = "bench_catalog_counts"  # usage counters as built, restored after measuring
SIZES = {
    "1k": ("terang_bench_catalog_1k", 1_000, 100_000),
    "10k": ("terang_bench_catalog", 10_000, 1_000_000),
}
SAMPLE_ROWS = 2_000  # rows of the big table parsed by the services from a CSV upload
UNPUBLISHED_EVERY = 34  # about 3% of datasets are drafts, submitted or returned
UNPUBLISHED_STATES = ("draft", "submitted", "returned")
CITY = "Kota Sukamaju"
EMAIL_DOMAIN = "sukamaju.go.id"

# The words searched for (fixed, so both sizes run the same queries; counts are reported).
COMMON_Q = "kecamatan"
RARE_Q = "mangrove"
ORGANIZATION = "dishub"
DATASTORE_FILTER = {"kecamatan": "Cibening"}
DATASTORE_Q = "Cempaka"
DATASTORE_SORT = "nilai desc"
FACET_FIELDS = ["organization", "groups", "tags", "res_format", "license_id"]
SHOW_ROTATION = 64

AGENCIES = [
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("DISDIK", "Dinas Pendidikan", "Disdik"),
    ("DINKES", "Dinas Kesehatan", "Dinkes"),
    ("DLH", "Dinas Lingkungan Hidup", "DLH"),
    ("DISHUB", "Dinas Perhubungan", "Dishub"),
    ("DINSOS", "Dinas Sosial", "Dinsos"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD"),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "Disperindag"),
    ("BAPENDA", "Badan Pendapatan Daerah", "Bapenda"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "BKPSDM"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("DPMPTSP", "Dinas Penanaman Modal dan PTSP", "DPMPTSP"),
    ("DISKOPUKM", "Dinas Koperasi dan UKM", "Diskop UKM"),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "Disperkim"),
    ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", "Dispusip"),
    ("DKP", "Dinas Ketahanan Pangan dan Perikanan", "DKP"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "Satpol PP"),
]
GROUPS = [
    ("kependudukan", "Kependudukan", "Jumlah dan sebaran penduduk, administrasi kependudukan."),
    ("pendidikan", "Pendidikan", "Sekolah, siswa, guru dan partisipasi sekolah."),
    ("kesehatan", "Kesehatan", "Fasilitas dan layanan kesehatan, penyakit, imunisasi."),
    ("lingkungan-hidup", "Lingkungan Hidup", "Sampah, kualitas air dan udara."),
    ("transportasi", "Transportasi", "Lalu lintas, parkir dan angkutan umum."),
    ("sosial", "Sosial", "Bantuan dan layanan sosial."),
    ("infrastruktur", "Infrastruktur", "Jalan, drainase dan air minum."),
    ("kebencanaan", "Kebencanaan", "Kejadian bencana dan kebakaran, daerah rawan."),
    ("ekonomi", "Ekonomi dan Perdagangan", "Perizinan, investasi dan perdagangan."),
    ("keuangan-daerah", "Keuangan Daerah", "Pendapatan dan belanja daerah."),
    ("pemerintahan", "Pemerintahan", "Layanan publik dan partisipasi warga."),
]
LICENCES = [
    (
        "cc-by-4.0",
        "Creative Commons Attribution 4.0 (CC-BY-4.0)",
        "https://creativecommons.org/licenses/by/4.0/",
        70,
    ),
    (
        "cc0-1.0",
        "Creative Commons Zero 1.0 (CC0-1.0)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        10,
    ),
    (
        "odbl-1.0",
        "Open Data Commons Open Database License 1.0 (ODbL-1.0)",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        10,
    ),
    ("other-open", "Lainnya (terbuka)", "", 10),
]
# group, agency, subject, weight, tags
SUBJECTS = [
    ("kependudukan", "DISDUKCAPIL", "Penduduk", 8, ["penduduk"]),
    ("kependudukan", "DISDUKCAPIL", "Kelahiran", 3, ["kelahiran", "penduduk"]),
    ("kependudukan", "DISDUKCAPIL", "Kematian", 2, ["kematian"]),
    ("kependudukan", "DISDUKCAPIL", "Perpindahan Penduduk", 2, ["mutasi penduduk"]),
    ("kependudukan", "DISDUKCAPIL", "Perekaman KTP Elektronik", 3, ["ktp-el"]),
    ("kependudukan", "DISDUKCAPIL", "Akta Kelahiran", 2, ["akta", "kelahiran"]),
    ("kependudukan", "DISDUKCAPIL", "Kartu Keluarga", 2, ["kartu keluarga"]),
    ("pendidikan", "DISDIK", "Sekolah Dasar", 4, ["sekolah", "sd"]),
    ("pendidikan", "DISDIK", "Sekolah Menengah Pertama", 3, ["sekolah", "smp"]),
    ("pendidikan", "DISDIK", "Guru", 3, ["guru"]),
    ("pendidikan", "DISDIK", "Siswa", 4, ["siswa"]),
    ("pendidikan", "DISDIK", "Angka Partisipasi Sekolah", 2, ["apk", "apm"]),
    ("pendidikan", "DISPUSIP", "Pengunjung Perpustakaan", 2, ["perpustakaan"]),
    ("pendidikan", "DISDIK", "Penerima Beasiswa", 1, ["beasiswa"]),
    ("kesehatan", "DINKES", "Puskesmas", 3, ["puskesmas", "fasilitas kesehatan"]),
    ("kesehatan", "DINKES", "Kasus Demam Berdarah Dengue", 3, ["dbd", "penyakit menular"]),
    ("kesehatan", "DINKES", "Cakupan Imunisasi Dasar", 3, ["imunisasi"]),
    ("kesehatan", "DINKES", "Balita Gizi Kurang", 2, ["gizi", "balita"]),
    ("kesehatan", "DINKES", "Tenaga Kesehatan", 2, ["tenaga kesehatan"]),
    ("kesehatan", "DINKES", "Posyandu Aktif", 2, ["posyandu", "balita"]),
    ("kesehatan", "DINKES", "Kasus Tuberkulosis", 2, ["tbc", "penyakit menular"]),
    ("kesehatan", "DINKES", "Prevalensi Stunting", 2, ["stunting", "gizi"]),
    ("lingkungan-hidup", "DLH", "Timbulan Sampah", 3, ["sampah"]),
    ("lingkungan-hidup", "DLH", "Bank Sampah", 2, ["sampah", "daur ulang"]),
    ("lingkungan-hidup", "DLH", "Kualitas Air Sungai", 2, ["kualitas air", "sungai"]),
    ("lingkungan-hidup", "DLH", "Kualitas Udara Ambien", 2, ["kualitas udara", "ispu"]),
    ("lingkungan-hidup", "DLH", "Ruang Terbuka Hijau", 2, ["rth", "taman"]),
    ("lingkungan-hidup", "DLH", "Tempat Penampungan Sementara", 1, ["tps", "sampah"]),
    ("lingkungan-hidup", "DKP", "Luas Hutan Mangrove", 0.8, ["mangrove", "pesisir"]),
    ("transportasi", "DISHUB", "Kendaraan Bermotor", 3, ["kendaraan"]),
    ("transportasi", "DISHUB", "Titik Kemacetan", 2, ["kemacetan", "lalu lintas"]),
    ("transportasi", "DISHUB", "Halte Bus", 2, ["halte", "angkutan umum"]),
    ("transportasi", "DISHUB", "Trayek Angkutan Kota", 2, ["angkot", "angkutan umum"]),
    ("transportasi", "DISHUB", "Lokasi Parkir", 2, ["parkir"]),
    ("transportasi", "DISHUB", "Kecelakaan Lalu Lintas", 2, ["kecelakaan", "lalu lintas"]),
    ("transportasi", "DISHUB", "Rambu Lalu Lintas", 1, ["rambu", "lalu lintas"]),
    ("sosial", "DINSOS", "Penerima Bantuan Sosial", 3, ["bansos"]),
    ("sosial", "DINSOS", "Keluarga Penerima Manfaat PKH", 2, ["pkh", "bansos"]),
    ("sosial", "DINSOS", "Penyandang Disabilitas", 2, ["disabilitas"]),
    ("sosial", "DINSOS", "Panti Sosial", 1, ["panti"]),
    ("sosial", "DINSOS", "Lansia Terlantar", 1, ["lansia"]),
    ("infrastruktur", "DPUPR", "Panjang Jalan Kota", 3, ["jalan"]),
    ("infrastruktur", "DPUPR", "Kondisi Jalan", 3, ["jalan", "kondisi jalan"]),
    ("infrastruktur", "DPUPR", "Jembatan", 2, ["jembatan"]),
    ("infrastruktur", "DPUPR", "Saluran Drainase", 2, ["drainase"]),
    ("infrastruktur", "DISPERKIM", "Sambungan Air Minum", 2, ["air minum", "pdam"]),
    ("infrastruktur", "DISPERKIM", "Penerangan Jalan Umum", 2, ["pju"]),
    ("infrastruktur", "DISPERKIM", "Rumah Tidak Layak Huni", 2, ["rutilahu", "perumahan"]),
    ("kebencanaan", "BPBD", "Kejadian Banjir", 3, ["banjir", "bencana"]),
    ("kebencanaan", "BPBD", "Kejadian Kebakaran", 2, ["kebakaran", "bencana"]),
    ("kebencanaan", "BPBD", "Titik Rawan Longsor", 1, ["longsor", "bencana"]),
    ("kebencanaan", "BPBD", "Daerah Rawan Genangan", 2, ["genangan", "banjir"]),
    ("ekonomi", "DISKOPUKM", "Usaha Mikro Kecil dan Menengah", 3, ["umkm"]),
    ("ekonomi", "DISPERINDAG", "Pasar Tradisional", 2, ["pasar"]),
    ("ekonomi", "DPMPTSP", "Izin Usaha Terbit", 2, ["perizinan", "nib"]),
    ("ekonomi", "DPMPTSP", "Realisasi Investasi", 2, ["investasi"]),
    ("ekonomi", "DISPERINDAG", "Harga Bahan Pokok", 3, ["harga", "bahan pokok"]),
    ("ekonomi", "DISKOPUKM", "Koperasi Aktif", 1, ["koperasi"]),
    ("ekonomi", "DKP", "Produksi Perikanan", 1, ["perikanan"]),
    ("keuangan-daerah", "BAPENDA", "Pendapatan Asli Daerah", 2, ["pad", "pendapatan"]),
    ("keuangan-daerah", "BPKAD", "Realisasi Belanja Daerah", 2, ["apbd", "belanja"]),
    ("keuangan-daerah", "BAPENDA", "Penerimaan Pajak Daerah", 2, ["pajak daerah"]),
    ("keuangan-daerah", "BAPENDA", "Retribusi Daerah", 1, ["retribusi"]),
    ("keuangan-daerah", "BPKAD", "Aset Daerah", 1, ["aset"]),
    ("pemerintahan", "BKPSDM", "Aparatur Sipil Negara", 3, ["asn", "kepegawaian"]),
    ("pemerintahan", "DISKOMINFO", "Aduan Masyarakat", 2, ["aduan", "layanan publik"]),
    ("pemerintahan", "DPMPTSP", "Layanan Perizinan", 2, ["perizinan", "layanan publik"]),
    ("pemerintahan", "BAPPEDA", "Capaian Indikator Kinerja", 2, ["rpjmd", "kinerja"]),
    ("pemerintahan", "DISKOMINFO", "Indeks Kepuasan Masyarakat", 1, ["ikm", "layanan publik"]),
    ("pemerintahan", "SATPOLPP", "Penegakan Peraturan Daerah", 2, ["perda", "ketertiban"]),
]
GENERIC_TAGS = [
    "tahunan",
    "statistik sektoral",
    "sdgs",
    "spm",
    "rpjmd",
    "satu data",
    "kota sukamaju",
    "kecamatan",
    "kelurahan",
    "bulanan",
    "triwulanan",
    "rekap",
]
PREFIXES = [
    ("Jumlah ", 30),
    ("Data ", 20),
    ("Daftar ", 10),
    ("Rekapitulasi ", 10),
    ("Persentase ", 8),
    ("Sebaran ", 6),
    ("Statistik ", 6),
    ("", 10),
]
BREAKDOWNS = [
    (" per Kecamatan", 18),
    (" per Kelurahan", 14),
    (" menurut Jenis Kelamin", 10),
    (" menurut Kelompok Umur", 8),
    (" per Bulan", 14),
    (" per Triwulan", 6),
    ("", 30),
]
SOURCES = [
    "aplikasi layanan perangkat daerah",
    "laporan bulanan unit pelaksana teknis",
    "survei lapangan",
    "sistem informasi kementerian terkait",
    "rekap kelurahan",
]
EXTRA_SENTENCES = [
    "Angka tahun berjalan bersifat sementara dan dapat diperbarui.",
    "Rincian tersedia sampai tingkat kecamatan dan kelurahan.",
    "Definisi operasional mengikuti pedoman kementerian terkait.",
    "Data telah diverifikasi oleh walidata sebelum diterbitkan.",
    "Satuan mengikuti keterangan pada setiap kolom.",
    "Perbandingan antarwilayah sebaiknya memperhatikan jumlah penduduk.",
    "Data mendukung perencanaan pembangunan dan evaluasi program.",
    "Pemutakhiran dilakukan setelah rekonsiliasi dengan instansi vertikal.",
]
FREQUENCIES = ["annual", "annual", "annual", "semiannual", "quarterly", "monthly", "irregular"]
KECAMATAN = {
    "Sukamaju": ["Sukamaju", "Sukaresmi", "Cempaka", "Melati", "Pasir Kaliki", "Babakan"],
    "Cibening": ["Cibening", "Kebon Jeruk", "Sindangsari", "Mekarwangi", "Cigadung"],
    "Karangsari": [
        "Karangsari",
        "Tegalega",
        "Sukagalih",
        "Nyengseret",
        "Pelindung Hewan",
        "Cijagra",
    ],
    "Pasirjaya": ["Pasirjaya", "Sukapada", "Cikutra", "Padasuka", "Pasanggrahan"],
    "Margahayu": [
        "Margahayu",
        "Margasari",
        "Sekejati",
        "Kebon Kangkung",
        "Cisaranten Kulon",
        "Antapani",
    ],
    "Tanjungbaru": ["Tanjungbaru", "Tanjung Mekar", "Ciwaru", "Jatisari", "Manjahlega"],
    "Cipadung": ["Cipadung", "Cipadung Wetan", "Pasir Biru", "Palasari", "Cisurupan"],
    "Lengkong": ["Lengkong", "Burangrang", "Cijagra Girang", "Malabar", "Turangga", "Paledang"],
    "Sumur Bandung": ["Braga", "Kebon Pisang", "Merdeka", "Babakan Ciamis"],
    "Coblong": ["Dago", "Lebak Siliwangi", "Sadang Serang", "Sekeloa", "Lebak Gede", "Cipaganti"],
    "Kiaracondong": [
        "Kebon Kangkung Wetan",
        "Sukapura",
        "Kebon Jayanti",
        "Babakan Sari",
        "Kebun Gedang",
    ],
    "Rancasari": ["Rancasari", "Derwati", "Cipamokolan", "Mekar Mulya"],
}
JENIS = [
    "Sekolah Dasar",
    "Sekolah Menengah Pertama",
    "Puskesmas",
    "Puskesmas Pembantu",
    "Posyandu",
    "Pasar",
    "Masjid",
    "Gereja",
    "Lapangan Olahraga",
    "Taman Kota",
    "Tempat Penampungan Sementara",
    "Halte",
    "Pos Ronda",
    "Balai Warga",
    "Koperasi",
    "Bank Sampah",
    "Apotek",
    "Klinik",
    "Rumah Makan",
    "Minimarket",
]
INDIKATOR = ["jumlah", "persentase", "rasio", "capaian", "target", "realisasi"]
FORMATS = [("CSV", 55), ("XLSX", 20), ("JSON", 8), ("PDF", 10), ("LINK", 7)]
SEQ_RE = re.compile(r"Seq Scan on (\w+)")
TIME_RE = re.compile(r"Execution Time: ([\d.]+) ms")
PLANNING_RE = re.compile(r"Planning Time: ([\d.]+) ms")


# Children (Django, one database each) ------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(BENCH.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")
    import django

    django.setup()


def _weighted(rng: random.Random, table: list[tuple[Any, float]]) -> Any:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def big_rows(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Rows of the big table as the parser stores them (empty cells left out): facilities per
    kelurahan and year. `rng` continues across calls, so the sample and the rest form one
    sequence."""
    kecamatan = list(KECAMATAN)
    rows = []
    for _ in range(count):
        kec = rng.choice(kecamatan)
        row: dict[str, Any] = {
            "tahun": rng.randint(2015, 2024),
            "kecamatan": kec,
            "kelurahan": rng.choice(KECAMATAN[kec]),
            "jenis": rng.choice(JENIS),
            "jumlah": rng.randint(0, 5000),
            "nilai": round(rng.uniform(0, 1_000_000), 2),
        }
        roll = rng.random()
        if roll < 0.01:
            del row["nilai"]
        elif roll < 0.015:
            del row["jumlah"]
        rows.append(row)
    return rows


BIG_COLUMNS = ["tahun", "kecamatan", "kelurahan", "jenis", "jumlah", "nilai"]
SMALL_COLUMNS = ["tahun", "kecamatan", "indikator", "nilai"]


def small_rows(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """A small table of the kind most datasets carry: an indicator per kecamatan and year."""
    year = rng.randint(2016, 2024)
    indicator = rng.choice(INDIKATOR)
    kecamatan = list(KECAMATAN)
    rows = []
    for index in range(count):
        row: dict[str, Any] = {
            "tahun": year - index // len(kecamatan),
            "kecamatan": kecamatan[index % len(kecamatan)],
            "indikator": indicator,
            "nilai": round(rng.uniform(0, 5000), 2),
        }
        if rng.random() < 0.03:
            del row["nilai"]
        rows.append(row)
    return rows


def _csv_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
    return buffer.getvalue().encode()


def _xlsx_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
        b"/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


class Catalog:
    """The generator's state: the base rows and the choices that must be the same for the
    service-built datasets and the bulk ones."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self.agencies: dict[str, Any] = {}
        self.officers: dict[str, Any] = {}
        self.groups: dict[str, Any] = {}
        self.tags: dict[str, Any] = {}
        self.walidata: Any = None
        self.names: set[str] = set()

    def base(self) -> None:
        from django.contrib.auth.hashers import make_password

        from terang.core.models import Agency, User
        from terang.opendata.models import DataGroup, DataSettings, Licence

        no_login = make_password(None)
        for code, name, short in AGENCIES:
            agency = Agency.objects.create(code=code, name=name, short_name=short)
            self.agencies[code] = agency
            self.officers[code] = User.objects.create(
                username=f"data.{code.lower()}",
                password=no_login,
                role="officer",
                agency=agency,
                email=f"data.{code.lower()}@{EMAIL_DOMAIN}",
                full_name=f"Petugas Data {short}",
            )
        self.walidata = self.officers["DISKOMINFO"]
        DataSettings.objects.create(walidata_agency=self.agencies["DISKOMINFO"])
        for id_, title, url, _w in LICENCES:  # a migration may have seeded some already
            Licence.objects.update_or_create(
                id=id_, defaults={"title": title, "url": url, "is_open": True}
            )
        for name, title, description in GROUPS:
            self.groups[name] = DataGroup.objects.create(
                name=name, title=title, description=description
            )

    def metadata(self) -> dict[str, Any]:
        """One dataset's metadata, drawn the same way for service-built and bulk datasets."""
        rng = self.rng
        group, agency, subject, _w, subject_tags = _weighted(rng, [(s, s[3]) for s in SUBJECTS])
        prefix = _weighted(rng, PREFIXES)
        breakdown = _weighted(rng, BREAKDOWNS)
        year = rng.randint(2016, 2025)
        title = f"{prefix}{subject}{breakdown} Tahun {year}"
        sentences = [
            f"Dataset ini memuat {title[0].lower()}{title[1:]} di {CITY}.",
            f"Data dihimpun oleh {self.agencies[agency].name} dari {rng.choice(SOURCES)}.",
            *rng.sample(EXTRA_SENTENCES, rng.randint(0, 2)),
        ]
        groups = [group]
        if rng.random() < 0.25:
            groups.append(rng.choice([g for g, _t, _d in GROUPS if g != group]))
        tags = list(subject_tags)
        tags += rng.sample(GENERIC_TAGS, rng.randint(0, 2))
        if rng.random() < 0.3:
            tags.append(f"{subject_tags[0]} {year}")
        return {
            "agency": agency,
            "title": title,
            "notes": " ".join(sentences),
            "groups": groups,
            "tags": tags,
            "licence": _weighted(rng, [(lid, w) for lid, _t, _u, w in LICENCES]),
            "frequency": rng.choice(FREQUENCIES),
            "year": year,
            "source": self.agencies[agency].name,
        }

    def unique_name(self, title: str) -> str:
        """`services.datasets._unique_name`: the slug, then -2, -3 ... while taken."""
        from django.utils.text import slugify

        base = (slugify(title)[:90].strip("-") or "dataset").lower()
        name, suffix = base, 2
        while name in self.names:
            name = f"{base}-{suffix}"
            suffix += 1
        self.names.add(name)
        return name

    def resource_plan(self) -> list[str]:
        count = _weighted(self.rng, [(1, 50), (2, 35), (3, 15)])
        return [_weighted(self.rng, FORMATS) for _ in range(count)]

    def timeline(self, state: str) -> dict[str, Any]:
        """created -> submitted -> published -> (sometimes) edited, within the last 4 years."""
        rng = self.rng
        created = self.now - dt.timedelta(
            days=rng.uniform(5, 4 * 365), seconds=rng.randint(0, 86400)
        )
        submitted = created + dt.timedelta(days=rng.uniform(0.5, 10))
        published = submitted + dt.timedelta(days=rng.uniform(0.2, 5))
        modified = published
        if rng.random() < 0.3:
            modified = min(published + dt.timedelta(days=rng.uniform(1, 300)), self.now)
        times = {"created": created, "submitted": None, "published": None, "modified": created}
        if state == "published":
            times.update(submitted=submitted, published=published, modified=modified)
        elif state in ("submitted", "returned"):
            times.update(submitted=submitted, modified=submitted)
        return times


# Service-built datasets ----------------------------------------------------------------------


def _service_dataset(cat: Catalog, meta: dict[str, Any], files: list[tuple[str, Any]]) -> Any:
    """One dataset through the real services: create, resources, submit, verify."""
    from terang.opendata import services
    from terang.opendata.services import Upload

    actor = cat.officers[meta["agency"]]
    dataset = services.create_dataset(
        actor=actor,
        organization=cat.agencies[meta["agency"]],
        title=meta["title"],
        notes=meta["notes"],
        licence=meta["licence"],
        groups=meta["groups"],
        tags=meta["tags"],
        update_frequency=meta["frequency"],
        temporal_start=dt.date(meta["year"], 1, 1),
        temporal_end=dt.date(meta["year"], 12, 31),
        spatial_coverage=CITY,
        contact_name=actor.display_name,
        contact_email=actor.email,
        source=meta["source"],
    )
    cat.names.add(dataset.name)
    for name, item in files:
        if isinstance(item, Upload):
            services.add_resource(actor=actor, dataset=dataset, name=name, upload=item)
        else:
            url, file_format = item
            services.add_resource(
                actor=actor, dataset=dataset, name=name, url=url, file_format=file_format
            )
    services.submit_dataset(actor=actor, dataset=dataset)
    services.verify_dataset(actor=cat.walidata, dataset=dataset)
    dataset.refresh_from_db()
    return dataset


def _backdate(dataset: Any, times: dict[str, Any]) -> None:
    """Spread the service-built datasets over the same 4 years (the services stamped `now`)."""
    from terang.opendata.models import Dataset, Resource, ResourceVersion

    Dataset.objects.filter(pk=dataset.pk).update(
        created_at=times["created"],
        modified_at=times["modified"],
        submitted_at=times["submitted"],
        published_at=times["published"],
    )
    Resource.objects.filter(dataset=dataset).update(
        created_at=times["created"], modified_at=times["created"], published_at=times["published"]
    )
    ResourceVersion.objects.filter(resource__dataset=dataset).update(created_at=times["created"])


def reference_datasets(cat: Catalog) -> dict[str, Any]:
    """One service-built dataset per resource kind; the bulk rows copy their shapes."""
    from terang.opendata.models import DatastoreRow, Resource, ResourceVersion
    from terang.opendata.services import Upload

    made: dict[str, Any] = {}
    kinds = {
        "CSV": lambda rows: Upload("data.csv", _csv_bytes(SMALL_COLUMNS, rows), "text/csv"),
        "XLSX": lambda rows: Upload("data.xlsx", _xlsx_bytes(SMALL_COLUMNS, rows)),
        "JSON": lambda rows: Upload("data.json", json.dumps(rows).encode(), "application/json"),
    }
    for kind, make in kinds.items():
        meta = cat.metadata()
        times = cat.timeline("published")
        rows = small_rows(cat.rng, cat.rng.randint(5, 40))
        dataset = _service_dataset(cat, meta, [(f"Data {meta['title']}", make(rows))])
        _backdate(dataset, times)
        resource = Resource.objects.get(dataset=dataset)
        stored = [
            r.data for r in DatastoreRow.objects.filter(resource=resource).order_by("row_number")
        ]
        if stored != rows:
            raise SystemExit(f"{kind}: the rows the services parsed differ from the generator's")
        made[kind] = {
            "dataset": dataset,
            "resource": resource,
            "version": ResourceVersion.objects.get(resource=resource),
        }
    meta = cat.metadata()
    times = cat.timeline("published")
    dataset = _service_dataset(
        cat,
        meta,
        [
            ("Lampiran metodologi", Upload("metodologi.pdf", _pdf_bytes(), "application/pdf")),
            ("Tautan sumber", ("https://data.sukamaju.go.id/api/sumber", "API")),
        ],
    )
    _backdate(dataset, times)
    pdf = Resource.objects.get(dataset=dataset, url="")
    made["PDF"] = {
        "dataset": dataset,
        "resource": pdf,
        "version": ResourceVersion.objects.get(resource=pdf),
    }
    made["LINK"] = {
        "dataset": dataset,
        "resource": Resource.objects.get(dataset=dataset, url__gt=""),
        "version": None,
    }
    return made


def big_table_dataset(cat: Catalog, total_rows: int) -> dict[str, Any]:
    """The dataset of the big table: its first SAMPLE_ROWS rows uploaded as a CSV through the
    services (the real parser infers the Table Schema), the rest COPYed afterwards."""
    from terang.opendata.models import DatastoreRow, Resource
    from terang.opendata.services import Upload

    rng = random.Random(SEED + 1)  # the big table's own sequence (both sizes share a prefix)
    sample = big_rows(rng, SAMPLE_ROWS)
    meta = {
        "agency": "BAPPEDA",
        "title": "Sebaran Fasilitas Umum per Kelurahan Tahun 2015-2024",
        "notes": (
            f"Dataset ini memuat jumlah dan nilai aset fasilitas umum di {CITY} per "
            "kelurahan, jenis fasilitas dan tahun, hasil integrasi data perangkat daerah."
        ),
        "groups": ["infrastruktur", "pemerintahan"],
        "tags": ["fasilitas umum", "aset", "kelurahan"],
        "licence": "cc-by-4.0",
        "frequency": "annual",
        "year": 2024,
        "source": "Badan Perencanaan Pembangunan Daerah",
    }
    upload = Upload("fasilitas-umum.csv", _csv_bytes(BIG_COLUMNS, sample), "text/csv")
    dataset = _service_dataset(cat, meta, [("Fasilitas umum per kelurahan", upload)])
    _backdate(dataset, cat.timeline("published"))
    resource = Resource.objects.get(dataset=dataset)
    stored = [r.data for r in DatastoreRow.objects.filter(resource=resource).order_by("row_number")]
    if stored != sample:
        raise SystemExit("big table: the rows the services parsed differ from the generator's")
    return {"dataset": dataset, "resource": resource, "rng": rng, "rows": total_rows}


# Bulk rows (COPY) --------------------------------------------------------------------------------


def _copy(model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY rows into the model's table. Every concrete field but an auto id must be given:
    nothing is left to a default the services would not have written."""
    from django.db import connection
    from django.db.models import AutoField, BigAutoField, JSONField

    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField | BigAutoField)]
    missing = {f.attname for f in fields} - set(rows[0])
    if missing:
        raise SystemExit(f"{model.__name__}: no value for {sorted(missing)}")
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    json_fields = {f.attname for f in fields if isinstance(f, JSONField)}
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        # The rows reference only ids just created: skip the per-row foreign-key triggers.
        cursor.execute("SET session_replication_role = replica")
        with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[n], ensure_ascii=False) if n in json_fields else row[n]
                        for n in names
                    ]
                )
        cursor.execute("SET session_replication_role = DEFAULT")


def _copy_datastore_rows(resource_id: Any, rows: Any, start: int) -> int:
    """COPY (resource, row_number, data) lines in chunks: write_row took ~3x longer for 1M."""
    from django.db import connection

    written = 0
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        sql = "COPY opendata_datastorerow (resource_id, row_number, data) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            chunk: list[str] = []
            for number, row in enumerate(rows, start):
                text = json.dumps(row, ensure_ascii=False).replace("\\", "\\\\")
                chunk.append(f"{resource_id}\t{number}\t{text}\n")
                if len(chunk) >= 20_000:
                    copy.write("".join(chunk).encode())
                    written += len(chunk)
                    chunk = []
            copy.write("".join(chunk).encode())
            written += len(chunk)
        cursor.execute("SET session_replication_role = DEFAULT")
    return written


def _report_for(template: dict[str, Any], row_count: int) -> dict[str, Any]:
    report = dict(template)
    if "row_count" in report:
        report["row_count"] = row_count
    return report


def bulk_catalog(cat: Catalog, refs: dict[str, Any], published: int) -> dict[str, Any]:
    """`published` published datasets (plus about 3% others) in the shapes of the
    service-built references, written with COPY in creation order."""
    from terang.opendata.models import Dataset, Resource, ResourceVersion, Tag

    rng = cat.rng
    # Every UNPUBLISHED_EVERY-th dataset is still in the workflow; no draw from `rng`, so the
    # small set is a prefix of the large one.
    states: list[str] = []
    while len(states) - sum(s != "published" for s in states) < published:
        index = len(states) + 1
        states.append(
            UNPUBLISHED_STATES[index // UNPUBLISHED_EVERY % 3]
            if index % UNPUBLISHED_EVERY == 0
            else "published"
        )
    datasets, resources, versions, row_batches = [], [], [], []
    group_links, tag_links = [], []
    tag_ids = {t.name: t.pk for t in Tag.objects.all()}
    new_tags = []
    for state in states:
        meta = cat.metadata()
        times = cat.timeline(state)
        officer = cat.officers[meta["agency"]]
        dataset_id = _uuid(rng)
        popularity = rng.expovariate(1 / 200)
        datasets.append(
            {
                "id": dataset_id,
                "name": cat.unique_name(meta["title"]),
                "title": meta["title"],
                "notes": meta["notes"],
                "organization_id": cat.agencies[meta["agency"]].pk,
                "licence_id": meta["licence"],
                "update_frequency": meta["frequency"],
                "temporal_start": dt.date(meta["year"], 1, 1),
                "temporal_end": dt.date(meta["year"], 12, 31),
                "spatial_coverage": CITY,
                "contact_name": officer.display_name,
                "contact_email": officer.email,
                "source": meta["source"],
                "state": state,
                "review_note": "Lengkapi metadata dan sumber data." if state == "returned" else "",
                "created_by_id": officer.pk,
                "verified_by_id": cat.walidata.pk if state == "published" else None,
                "created_at": times["created"],
                "modified_at": times["modified"],
                "submitted_at": times["submitted"],
                "published_at": times["published"],
                "view_count": int(popularity) if state == "published" else 0,
                "download_count": int(popularity * rng.uniform(0.05, 0.3))
                if state == "published"
                else 0,
                "api_count": int(rng.expovariate(1 / 40)) if state == "published" else 0,
            }
        )
        for group in dict.fromkeys(meta["groups"]):
            group_links.append({"dataset_id": dataset_id, "datagroup_id": cat.groups[group].pk})
        for tag in dict.fromkeys(meta["tags"]):
            if tag not in tag_ids:
                tag_ids[tag] = _uuid(rng)
                new_tags.append({"id": tag_ids[tag], "name": tag})
            tag_links.append({"dataset_id": dataset_id, "tag_id": tag_ids[tag]})
        for position, kind in enumerate(cat.resource_plan(), 1):
            ref = refs[kind]
            template = ref["resource"]
            resource_id = _uuid(rng)
            label = {"PDF": "Lampiran metodologi", "LINK": "Tautan sumber"}.get(
                kind, f"Data {meta['title']}"
            )
            table = None
            if template.datastore_active:
                table = small_rows(rng, rng.randint(5, 40))
                row_batches.append((resource_id, table))
            resources.append(
                {
                    "id": resource_id,
                    "dataset_id": dataset_id,
                    "name": label[:250],
                    "description": template.description,
                    "format": template.format,
                    "url": template.url,
                    "position": position,
                    "table_schema": template.table_schema,
                    "datastore_active": template.datastore_active,
                    "row_count": len(table) if table is not None else None,
                    "created_at": times["created"],
                    "modified_at": times["created"],
                    "published_at": times["published"],
                    "returned_at": None,
                }
            )
            version = ref["version"]
            if version is None:
                continue
            versions.append(
                {
                    "resource_id": resource_id,
                    "number": 1,
                    "file": version.file.name,  # the twin's stored file (no file per bulk row)
                    "original_name": version.original_name,
                    "media_type": version.media_type,
                    "size": version.size,
                    "sha256": version.sha256,
                    "status": version.status,
                    "report": _report_for(version.report, len(table or [])),
                    "uploaded_by_id": officer.pk,
                    "created_at": times["created"],
                }
            )
    order = sorted(range(len(datasets)), key=lambda i: datasets[i]["created_at"])
    _copy(Tag, new_tags)
    _copy(Dataset, [datasets[i] for i in order])
    _copy(Dataset.groups.through, group_links)
    _copy(Dataset.tags.through, tag_links)
    _copy(Resource, sorted(resources, key=lambda r: r["created_at"]))
    _copy(ResourceVersion, sorted(versions, key=lambda v: v["created_at"]))
    rows = 0
    for resource_id, table in row_batches:
        rows += _copy_datastore_rows(resource_id, table, 1)
    return {
        "datasets": len(datasets),
        "published": published,
        "resources": len(resources),
        "versions": len(versions),
        "small_table_rows": rows,
        "new_tags": len(new_tags),
        "examples": {kind: _bulk_example(refs, kind) for kind in refs},
    }


def _bulk_example(refs: dict[str, Any], kind: str) -> Any:
    """A published bulk resource of the kind, in a dataset with the same licence (an empty
    licence URL is a value, not a shape), not one of the service-built datasets."""
    from terang.opendata.models import Resource

    template = refs[kind]["resource"]
    found = Resource.objects.filter(
        format=template.format,
        dataset__state="published",
        dataset__licence_id=refs[kind]["dataset"].licence_id,
    ).exclude(dataset_id__in=[r["dataset"].pk for r in refs.values()])
    found = found.exclude(url="") if template.url else found.filter(url="")
    return found.order_by("created_at").first()


# Fidelity ----------------------------------------------------------------------------------------


def _kind(value: Any) -> Any:
    """What a value is, for comparing a bulk row with a service-built one: its type, empty or
    not, and for JSON its keys (recursively; lists by their first item)."""
    if isinstance(value, dict):
        return {key: _kind(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [_kind(value[0])] if value else []
    if value in ("", None):
        return repr(value)
    return type(value).__name__


def _flatten(kind: Any, prefix: str = "") -> dict[str, Any]:
    """A `_kind` tree as {"a.b[0].c": kind} (differences readable one line each)."""
    if isinstance(kind, dict):
        found: dict[str, Any] = {}
        for key, item in kind.items():
            found.update(_flatten(item, f"{prefix}.{key}" if prefix else key))
        return found or {prefix: "{}"}
    if isinstance(kind, list):
        return _flatten(kind[0], f"{prefix}[0]") if kind else {prefix: "[]"}
    return {prefix: kind}


def _row_kind(instance: Any) -> dict[str, Any]:
    return {f.attname: _kind(getattr(instance, f.attname)) for f in instance._meta.concrete_fields}


def fidelity(refs: dict[str, Any], examples: dict[str, Any]) -> dict[str, Any]:
    """Compare each bulk example with its service-built twin, field by field, and the
    `package_show` answers of both datasets key by key. Differences end the build."""
    from django.test import Client

    from terang.opendata.models import ResourceVersion

    differences: dict[str, Any] = {}

    def compare(label: str, built: Any, bulk: Any) -> None:
        a, b = _row_kind(built), _row_kind(bulk)
        diff = {k: [a[k], b.get(k)] for k in a if a[k] != b.get(k)}
        if diff:
            differences[label] = diff

    client = Client()
    for kind, ref in refs.items():
        bulk = examples[kind]
        if bulk is None:
            raise SystemExit(f"no bulk resource of kind {kind}")
        compare(f"{kind}: dataset", ref["dataset"], bulk.dataset)
        compare(f"{kind}: resource", ref["resource"], bulk)
        if ref["version"] is not None:
            compare(f"{kind}: version", ref["version"], ResourceVersion.objects.get(resource=bulk))
        answers = []
        for dataset in (ref["dataset"], bulk.dataset):
            response = client.get("/api/3/action/package_show", {"id": dataset.name})
            result = response.json()["result"]
            # the service-built one may have one more resource (the PDF + link pair)
            result["resources"] = [r for r in result["resources"] if r["format"] == bulk.format][:1]
            answers.append(_kind(result))
        built_paths, bulk_paths = _flatten(answers[0]), _flatten(answers[1])
        diff = {
            key: [built_paths.get(key), bulk_paths.get(key)]
            for key in sorted(set(built_paths) | set(bulk_paths))
            if built_paths.get(key) != bulk_paths.get(key)
        }
        if diff:
            differences[f"{kind}: package_show"] = diff
    if differences:
        raise SystemExit(
            "bulk rows differ from the service-built ones:\n"
            + json.dumps(differences, indent=1, default=str)[:4000]
        )
    return {"compared": sorted(refs), "differences": 0}


# Build -------------------------------------------------------------------------------------------


def _drop_plain_indexes(tables: list[str]) -> list[str]:
    """Drop the tables' indexes that back no constraint (GIN and b-tree alike); return their
    definitions to build again after the COPY."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND "
            "NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def build(datasets: int, rows: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    started = time.monotonic()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = round(time.monotonic() - started, 1)

    cat = Catalog(random.Random(SEED), timezone.now())
    with transaction.atomic():
        cat.base()
    refs = reference_datasets(cat)
    big = big_table_dataset(cat, rows)
    lap("services")
    made_by_services = len({r["dataset"].pk for r in refs.values()}) + 1  # + the big table
    indexes = _drop_plain_indexes(
        [
            "opendata_dataset",
            "opendata_datastorerow",
            "opendata_resource",
            "opendata_resourceversion",
        ]
    )
    bulk = bulk_catalog(cat, refs, datasets - made_by_services)
    lap("bulk")
    resource = big["resource"]
    copied = _copy_datastore_rows(
        resource.pk, big_rows(big["rng"], rows - SAMPLE_ROWS), SAMPLE_ROWS + 1
    )
    lap("big_table_copy")
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for definition in indexes:
            cursor.execute(definition)
    lap("indexes")
    from terang.opendata.models import Resource, ResourceVersion

    Resource.objects.filter(pk=resource.pk).update(row_count=rows)
    version = ResourceVersion.objects.get(resource=resource)
    version.report = _report_for(version.report, rows)
    version.save(update_fields=["report"])
    checked = fidelity(refs, bulk["examples"])
    lap("fidelity")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE opendata_datasetusage")  # the fidelity check's package_show
        cursor.execute(f"DROP TABLE IF EXISTS {COUNTS_TABLE}")
        cursor.execute(
            f"CREATE TABLE {COUNTS_TABLE} AS SELECT id, view_count, download_count, api_count "  # noqa: S608
            "FROM opendata_dataset"
        )
        cursor.execute(f"DROP TABLE IF EXISTS {META_TABLE}")
        cursor.execute(
            f"CREATE TABLE {META_TABLE} (version int, datasets int, rows int, seed int, "
            "resource_id uuid, built_at timestamptz)"
        )
        cursor.execute(
            f"INSERT INTO {META_TABLE} VALUES (%s, %s, %s, %s, %s, now())",  # noqa: S608
            [VERSION, datasets, rows, SEED, resource.pk],
        )
        cursor.execute("VACUUM ANALYZE")
    lap("vacuum")
    return {
        "datasets": datasets,
        "unpublished": bulk["datasets"] - bulk["published"],
        "resources": bulk["resources"] + 6,
        "big_table_rows": SAMPLE_ROWS + copied,
        "small_table_rows": bulk["small_table_rows"],
        "fidelity": checked,
        "seconds": round(time.monotonic() - started, 1),
        "timings": timings,
    }


# Probe: facts and EXPLAIN --------------------------------------------------------------------


def _explain_sql(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _table_rows() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' AND "
            "relname LIKE 'opendata_%%'"
        )
        return {name: int(rows) for name, rows in cursor.fetchall()}


UUID_LIST_RE = re.compile(r"'[0-9a-f]{32}'::uuid(?:, '[0-9a-f]{32}'::uuid){3,}")
UUID_ARRAY_RE = re.compile(r"[0-9a-f-]{36}(?:,[0-9a-f-]{36}){3,}")


def _shorten(text: str) -> str:
    """Long lists of ids (a 1000-row page's prefetches) as their count, to keep the JSON small."""
    text = UUID_LIST_RE.sub(lambda m: f"<{m.group(0).count('::uuid')} uuids>", text)
    return UUID_ARRAY_RE.sub(lambda m: f"<{m.group(0).count(',') + 1} uuids>", text)


def _plan_flags(plan: str, table_rows: dict[str, int]) -> dict[str, Any]:
    seq = sorted({name for name in SEQ_RE.findall(plan) if table_rows.get(name, 0) >= 1000})
    execution = TIME_RE.search(plan)
    planning = PLANNING_RE.search(plan)
    return {
        "execution_ms": float(execution.group(1)) if execution else None,
        "planning_ms": float(planning.group(1)) if planning else None,
        "seq_scans": {name: table_rows[name] for name in seq},
        "disk_sort": "external merge" in plan or "Disk:" in plan,
        "jit": "JIT:" in plan,
    }


def probe(cases: dict[str, str]) -> dict[str, Any]:
    """Run each case's request in-process, EXPLAIN (ANALYZE, BUFFERS) every SELECT it ran,
    and gather the facts the report prints (match counts)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from terang.opendata.models import Dataset, DatastoreRow, Resource

    client = Client()
    table_rows = _table_rows()
    plans: dict[str, Any] = {}
    for name, path in cases.items():
        client.get(path)  # warm: caches, statistics, buffers
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            in_process = time.perf_counter() - started
        entry: dict[str, Any] = {
            "status": response.status_code,
            "in_process_ms": round(in_process * 1000, 2),
            "queries": len(captured),
            "sql_ms_in_request": round(
                sum(float(q["time"]) for q in captured.captured_queries) * 1000, 2
            ),
            "plans": [],
        }
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                entry["plans"].append({"sql": sql[:300], "explained": False})
                continue
            plan = _explain_sql(sql)
            entry["plans"].append(
                {"sql": _shorten(sql), "plan": _shorten(plan), **_plan_flags(plan, table_rows)}
            )
        explained = [p for p in entry["plans"] if p.get("execution_ms") is not None]
        entry["select_execution_ms"] = round(sum(p["execution_ms"] for p in explained), 2)
        slowest = max(explained, key=lambda p: p["execution_ms"], default=None)
        entry["slowest"] = (
            None
            if slowest is None
            else {k: slowest[k] for k in ("execution_ms", "seq_scans", "disk_sort", "jit")}
            | {"sql": slowest["sql"][:600]}
        )
        entry["seq_scans"] = sorted({t for p in explained for t in p["seq_scans"]})
        entry["disk_sort"] = any(p["disk_sort"] for p in explained)
        entry["jit"] = any(p["jit"] for p in explained)
        plans[name] = entry
    from terang.opendata.selectors import search_datasets

    big = Resource.objects.get(pk=_meta()["resource_id"])
    key, value = next(iter(DATASTORE_FILTER.items()))
    return {
        "published": Dataset.objects.filter(state="published").count(),
        "datasets": Dataset.objects.count(),
        "resources": Resource.objects.count(),
        "datastore_rows": DatastoreRow.objects.count(),
        "big_table_rows": big.row_count,
        "matches": {
            "q_common": search_datasets(q=COMMON_Q, rows=0).count,
            "q_rare": search_datasets(q=RARE_Q, rows=0).count,
            "fq_organization": search_datasets(
                filters={"organization": [ORGANIZATION]}, rows=0
            ).count,
            "datastore_filter": DatastoreRow.objects.filter(
                resource=big, data__contains={key: value}
            ).count(),
        },
        "table_rows": table_rows,
        "plans": plans,
    }


def _meta() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        sql = f"SELECT version, datasets, rows, seed, resource_id FROM {META_TABLE}"  # noqa: S608
        cursor.execute(sql)
        row = cursor.fetchone()
    return dict(zip(["version", "datasets", "rows", "seed", "resource_id"], row, strict=True))


def names_for_show(count: int) -> list[str]:
    """Published dataset names spread evenly over the catalog (package_show rotates over them)."""
    from terang.opendata.models import Dataset

    names = list(
        Dataset.objects.filter(state="published").order_by("name").values_list("name", flat=True)
    )
    step = max(1, len(names) // count)
    return names[::step][:count]


# Parent ------------------------------------------------------------------------------------------


def _matches(db: str, datasets: int, rows: int) -> bool:
    import common

    if not common.database_exists(db):
        return False
    with common.connect(db) as conn:
        if conn.execute("SELECT to_regclass(%s)", [META_TABLE]).fetchone()[0] is None:
            return False
        meta = conn.execute(
            f"SELECT version, datasets, rows, seed, resource_id FROM {META_TABLE}"  # noqa: S608
        ).fetchone()
        if meta is None or tuple(meta[:4]) != (VERSION, datasets, rows, SEED):
            return False
        published = conn.execute(
            "SELECT count(*) FROM opendata_dataset WHERE state = 'published'"
        ).fetchone()[0]
        big = conn.execute(
            "SELECT count(*) FROM opendata_datastorerow WHERE resource_id = %s", [meta[4]]
        ).fetchone()[0]
    return bool(published == datasets and big == rows)


def ensure(size: str, reuse: bool) -> dict[str, Any]:
    import common

    db, datasets, rows = SIZES[size]
    started = time.monotonic()
    if reuse and _matches(db, datasets, rows):
        common.migrate(db)  # picks up migrations added since the build
        return {"db": db, "reused": True, "seconds": round(time.monotonic() - started, 1)}
    print(f"building {db}: {datasets:,} datasets, {rows:,} datastore rows ...", flush=True)
    common._clone_migrated_template(db)
    built = common.run_child(
        [str(Path(__file__)), "build", "--datasets", str(datasets), "--rows", str(rows)], db
    )
    print(f"built {db} in {built['seconds']} s ({built['timings']})", flush=True)
    return {
        "db": db,
        "reused": False,
        "build": built,
        "seconds": round(time.monotonic() - started, 1),
    }


def restore_counts(db: str) -> None:
    """Undo what the measured requests counted: usage rows and the datasets' counters."""
    import common

    with common.connect(db) as conn:
        conn.execute("TRUNCATE opendata_datasetusage")
        conn.execute(
            f"UPDATE opendata_dataset d SET view_count = c.view_count, "  # noqa: S608
            f"download_count = c.download_count, api_count = c.api_count FROM {COUNTS_TABLE} c "
            "WHERE c.id = d.id AND (d.view_count, d.download_count, d.api_count) IS DISTINCT "
            "FROM (c.view_count, c.download_count, c.api_count)"
        )
        conn.execute("VACUUM ANALYZE opendata_dataset")
        conn.execute("VACUUM ANALYZE opendata_datasetusage")


def _action(name: str, **params: Any) -> str:
    query = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
    return f"/api/3/action/{name}" + (f"?{urlencode(query)}" if query else "")


def cases_for(size: str, resource_id: str) -> dict[str, str]:
    _db, datasets, rows = SIZES[size]
    ds = {"resource_id": resource_id}
    return {
        "package_list": _action("package_list"),
        "search_default": _action("package_search"),
        "search_q_common": _action("package_search", q=COMMON_Q),
        "search_q_rare": _action("package_search", q=RARE_Q),
        "search_fq_org": _action("package_search", fq=f"organization:{ORGANIZATION}"),
        "search_facets": _action("package_search", **{"facet.field": FACET_FIELDS}),
        "search_q_facets": _action("package_search", q=COMMON_Q, **{"facet.field": FACET_FIELDS}),
        "search_rows_1000": _action("package_search", rows=1000),
        "search_deep": _action("package_search", start=datasets // 2),
        "search_sort_modified": _action("package_search", sort="metadata_modified desc"),
        "ds_first": _action("datastore_search", **ds, limit=100),
        "ds_no_total": _action("datastore_search", **ds, limit=100, include_total="false"),
        "ds_filter": _action("datastore_search", **ds, filters=DATASTORE_FILTER),
        "ds_q": _action("datastore_search", **ds, q=DATASTORE_Q),
        "ds_sort": _action("datastore_search", **ds, sort=DATASTORE_SORT),
        "ds_offset_deep": _action("datastore_search", **ds, offset=rows // 2),
    }


def _check(case: str, status: int, body: bytes) -> str | None:
    if status != 200:
        return f"HTTP {status}: {body[:200]!r}"
    data = json.loads(body)
    if not data.get("success"):
        return f"not successful: {body[:200]!r}"
    result = data["result"]
    if case.startswith("search_") and not result["results"]:
        return "no results"
    if case.startswith("ds_") and not result["records"]:
        return "no records"
    if case == "search_rows_1000" and len(result["results"]) != 1000:
        return f"{len(result['results'])} results"
    return None


class Rotation:
    """package_show cycles over spread-out datasets; every other case is one fixed path."""

    def __init__(self, show_names: list[str], cases: dict[str, str]) -> None:
        self.show = [_action("package_show", id=name) for name in show_names]
        self.cases = {"package_show": self.show[0], **cases}
        self.turn = 0

    def path(self, case: str) -> str:
        if case == "package_show":
            self.turn += 1
            return self.show[self.turn % len(self.show)]
        return self.cases[case]


def sequential(
    servers: dict[str, Any], rotations: dict[str, Rotation], rounds: int, warmup: int
) -> dict[str, Any]:
    import common

    clients = {size: common.KeepAliveClient(server.port) for size, server in servers.items()}
    work = [(size, case) for size in servers for case in rotations[size].cases]
    problems: dict[str, str] = {}
    for size, case in work:
        for _ in range(warmup):
            status, body, _s = clients[size].get(rotations[size].path(case))
        problem = _check(case, status, body)
        if problem:
            problems[f"{size}:{case}"] = problem
    if problems:
        raise SystemExit(f"wrong answers: {json.dumps(problems, indent=1)}")
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in work}
    errors = dict.fromkeys(work, 0)
    rng = random.Random(11)
    order = list(work)
    for index in range(rounds):
        rng.shuffle(order)
        for size, case in order:
            status, _body, seconds = clients[size].get(rotations[size].path(case))
            if status != 200:
                errors[(size, case)] += 1
            samples[(size, case)].append(seconds)
        if (index + 1) % 5 == 0:
            print(f"  round {index + 1}/{rounds}", flush=True)
    for client in clients.values():
        client.close()
    results: dict[str, Any] = {}
    for size in servers:
        per_case = {
            case: {"errors": errors[(size, case)], **common.summarize_ms(samples[(size, case)])}
            for case in rotations[size].cases
        }
        base = per_case["package_show"]["p50_ms"]
        for entry in per_case.values():
            entry["p50_vs_show"] = common.ratio(entry["p50_ms"], base)
        results[size] = per_case
    return results


def _load_one(
    port: int,
    paths: list[str],
    first: int,
    step: int,
    seconds: float,
    min_each: int,
    out: list[tuple[list[float], int]],
) -> None:
    """One connection of the concurrent run: back-to-back GETs until `seconds` have passed and
    at least `min_each` were sent; appends (latencies, non-200 count) to `out`."""
    import common

    client = common.KeepAliveClient(port)
    latencies: list[float] = []
    bad = 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop or len(latencies) < min_each:
        path = paths[(first + len(latencies) * step) % len(paths)]
        status, _body, elapsed = client.get(path)
        latencies.append(elapsed)
        bad += status != 200
    client.close()
    out.append((latencies, bad))  # list.append is atomic under the GIL


def concurrent(
    server: Any, rotation: Rotation, connections: int, seconds: float, min_each: int
) -> dict[str, Any]:
    """Each case in turn: `connections` keep-alive clients send back to back for `seconds`
    (and at least `min_each` requests each)."""
    import common

    results: dict[str, Any] = {}
    for case in rotation.cases:
        paths = [rotation.path(case) for _ in range(len(rotation.show))]
        out: list[tuple[list[float], int]] = []
        began = time.monotonic()
        threads = [
            threading.Thread(
                target=_load_one, args=(server.port, paths, n, connections, seconds, min_each, out)
            )
            for n in range(connections)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - began
        latencies = [x for mine, _bad in out for x in mine]
        results[case] = {
            "errors": sum(bad for _mine, bad in out),
            "req_per_s": round(len(latencies) / wall, 1),
            "seconds": round(wall, 1),
            **common.summarize_ms(latencies),
        }
    base = results["package_show"]["p50_ms"]
    for entry in results.values():
        entry["p50_vs_show"] = common.ratio(entry["p50_ms"], base)
    return results


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    b = sub.add_parser("build")
    b.add_argument("--datasets", type=int, required=True)
    b.add_argument("--rows", type=int, required=True)
    p = sub.add_parser("probe")
    p.add_argument("--cases", required=True)
    sub.add_parser("show-names")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the small set only (1k datasets / 100k rows), fewer rounds",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep databases whose generator version and sizes match",
    )
    parser.add_argument("--rounds", type=int, default=None, help="sequential rounds (25; quick 8)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--concurrent-seconds", type=float, default=None)
    args = parser.parse_args()
    if args.command:
        _setup_django()
        if args.command == "build":
            result: Any = build(args.datasets, args.rows)
        elif args.command == "probe":
            result = probe(json.loads(args.cases))
        else:
            result = {"names": names_for_show(SHOW_ROTATION), **_meta()}
        print(json.dumps(result, default=str))
        return 0
    return orchestrate(args)


def orchestrate(args: argparse.Namespace) -> int:
    import common
    import psycopg

    started = time.monotonic()
    sizes = ["1k"] if args.quick else ["1k", "10k"]
    big = sizes[-1]
    rounds = args.rounds or (8 if args.quick else 25)
    seconds = args.concurrent_seconds or (2.0 if args.quick else 4.0)
    databases = {size: ensure(size, args.reuse) for size in sizes}
    meta = {
        size: common.run_child([str(Path(__file__)), "show-names"], SIZES[size][0])
        for size in sizes
    }
    cases = {size: cases_for(size, meta[size]["resource_id"]) for size in sizes}
    for size in sizes:
        restore_counts(SIZES[size][0])
    with psycopg.connect(common.PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute("CHECKPOINT")  # a build's dirty pages skew the first minutes otherwise
    common.flush_scratch_redis()
    rotations = {size: Rotation(meta[size]["names"], cases[size]) for size in sizes}
    load = {"before": common.machine()["load_avg_1m"]}
    print(
        f"sequential: {rounds} rounds of {len(rotations[big].cases)} cases x {len(sizes)} sizes",
        flush=True,
    )
    with ExitStack() as stack:
        servers = {size: stack.enter_context(common.gunicorn(SIZES[size][0])) for size in sizes}
        latency = sequential(servers, rotations, rounds, warmup=3)
        load["after_sequential"] = common.machine()["load_avg_1m"]
        print(f"concurrent: {args.connections} connections on {big}", flush=True)
        conc = concurrent(servers[big], rotations[big], args.connections, seconds, min_each=2)
        load["after_concurrent"] = common.machine()["load_avg_1m"]
    for size in sizes:
        restore_counts(SIZES[size][0])
    print("EXPLAIN (ANALYZE, BUFFERS) of every SELECT per case ...", flush=True)
    explain = {}
    for size in sizes:
        probe_cases = {"package_show": rotations[size].show[0], **cases[size]}
        explain[size] = common.run_child(
            [str(Path(__file__)), "probe", "--cases", json.dumps(probe_cases)], SIZES[size][0]
        )
        restore_counts(SIZES[size][0])
    failed = any(e.get("errors") for per in latency.values() for e in per.values()) or any(
        e.get("errors") for e in conc.values()
    )
    ratios = {}
    if len(sizes) == 2:
        for case in latency["10k"]:
            ratios[case] = {
                "p50_10k_vs_1k": common.ratio(
                    latency["10k"][case]["p50_ms"], latency["1k"][case]["p50_ms"]
                ),
                "vs_show_10k_vs_1k": common.ratio(
                    latency["10k"][case]["p50_vs_show"], latency["1k"][case]["p50_vs_show"]
                ),
            }
    print()
    print(
        f"Sequential latency, {rounds} requests per case and size, ms (load avg "
        f"{load['before']} before, {load['after_sequential']} after)"
    )
    header = ["case"]
    for size in sizes:
        header += [f"{size} p50", f"{size} p95", f"{size} x show"]
    if len(sizes) == 2:
        header += ["10k/1k"]
    rows = []
    for case in latency[big]:
        row = [case]
        for size in sizes:
            entry = latency[size][case]
            row += [_fmt(entry["p50_ms"]), _fmt(entry["p95_ms"]), _fmt(entry["p50_vs_show"], 2)]
        if ratios:
            row.append(_fmt(ratios[case]["p50_10k_vs_1k"], 2))
        rows.append(row)
    print(common.table(rows, header))
    print()
    print(
        f"{args.connections} concurrent connections on {big}, ~{seconds:.0f} s per case "
        f"(load avg after {load['after_concurrent']})"
    )
    print(
        common.table(
            [
                [
                    case,
                    _fmt(e["p50_ms"]),
                    _fmt(e["p95_ms"]),
                    _fmt(e["p50_vs_show"], 2),
                    _fmt(e["req_per_s"]),
                    str(e["n"]),
                ]
                for case, e in conc.items()
            ],
            ["case", "p50", "p95", "x show", "req/s", "n"],
        )
    )
    print()
    facts = explain[big]
    print(
        f"{big}: {facts['published']:,} published datasets ({facts['datasets']:,} in all), "
        f"{facts['resources']:,} resources, {facts['datastore_rows']:,} datastore rows "
        f"({facts['big_table_rows']:,} in the big table); matches: {facts['matches']}"
    )
    print()
    print(
        f"EXPLAIN ANALYZE per case on {big}: SELECTs, their total execution, the slowest, "
        "seq scans on tables >= 1000 rows, disk sorts, JIT"
    )
    plan_rows = []
    for case, entry in facts["plans"].items():
        slowest = entry["slowest"] or {}
        plan_rows.append(
            [
                case,
                str(entry["queries"]),
                _fmt(entry["select_execution_ms"], 2),
                _fmt(slowest.get("execution_ms"), 2),
                ", ".join(entry["seq_scans"]) or "-",
                "yes" if entry["disk_sort"] else "-",
                "yes" if entry["jit"] else "-",
                _fmt(entry["in_process_ms"], 1),
            ]
        )
    print(
        common.table(
            plan_rows,
            [
                "case",
                "queries",
                "SQL ms",
                "slowest ms",
                "seq scans",
                "disk sort",
                "JIT",
                "in-process ms",
            ],
        )
    )
    path = common.write_result(
        "catalog",
        {
            "sizes": {
                size: dict(zip(["db", "datasets", "rows"], SIZES[size], strict=True))
                for size in sizes
            },
            "rounds": rounds,
            "connections": args.connections,
            "load_avg": load,
            "databases": databases,
            "cases": {
                size: {"package_show": rotations[size].show, **cases[size]} for size in sizes
            },
            "latency": latency,
            "ratios_10k_vs_1k": ratios,
            "concurrent": {big: conc},
            "facts": {
                size: {k: v for k, v in explain[size].items() if k != "plans"} for size in sizes
            },
            "explain": {size: explain[size]["plans"] for size in sizes},
            "seconds": round(time.monotonic() - started, 1),
        },
    )
    print(f"\nwritten {path.relative_to(common.REPO)} in {time.monotonic() - started:.0f} s")
    if failed:
        print("FAILED: some requests did not return 200", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
