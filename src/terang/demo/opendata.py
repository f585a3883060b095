"""Demo data for the opendata app (Satu Data), created by `seed-demo` inside its transaction.

Diskominfo is the walidata. Twelve agencies produce 27 datasets in eleven topic groups, built
through the services (so every step is on the audit chain and every file is parsed and
validated like an upload): most are published, a few are still drafts, submitted or returned.
Tables are generated from the demo city itself (its kelurahan and kecamatan, and the monthly
aspirations actually seeded); figures are plausible for a city of about 1.9 million people.
"Jumlah Penduduk per Kelurahan" has two versions (2024 superseded by 2025); "Kasus DBD" has a
newer file waiting for the walidata; "Kondisi Jalan Kota" carries a refused upload with its
line-numbered report; "Statistik Daerah (BPS)" is an external link. Usage counts cover the
last 90 days. Every random choice comes from `rng`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from terang.aspirations.models import Aspiration
from terang.core.models import User
from terang.opendata import services
from terang.opendata.choices import DatasetState, VersionStatus
from terang.opendata.models import (
    ApiToken,
    DataGroup,
    Dataset,
    DataSettings,
    DatasetUsage,
    DatastoreRow,
    Licence,
    Resource,
    ResourceVersion,
    Tag,
)
from terang.opendata.services import Upload

from . import catalog
from .accounts import Accounts
from .city import City

WALIDATA = "DISKOMINFO"
USAGE_DAYS = 90
LICENCES = [
    (
        "cc-by-4.0",
        "Creative Commons Attribution 4.0 (CC-BY-4.0)",
        "https://creativecommons.org/licenses/by/4.0/",
        True,
    ),
    (
        "cc0-1.0",
        "Creative Commons Zero 1.0 (CC0-1.0)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        True,
    ),
    (
        "odbl-1.0",
        "Open Data Commons Open Database License 1.0 (ODbL-1.0)",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        True,
    ),
    ("other-open", "Lainnya (terbuka)", "", True),
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
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


@dataclass
class Spec:
    """One demo dataset: metadata, its files or links, and how far through the workflow."""

    agency: str
    title: str
    notes: str
    groups: list[str]
    tags: list[str]
    files: list[tuple[str, str, Callable[[], bytes]]] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    frequency: str = "annual"
    licence: str = "cc-by-4.0"
    state: str = DatasetState.PUBLISHED
    note: str = ""
    age_days: int = 200
    source: str = ""
    temporal: tuple[dt.date, dt.date] | None = None


class Builder:
    """Generates the tables from the demo city and `rng` (called in a fixed order)."""

    def __init__(self, city: City, rng: random.Random, today: dt.date) -> None:
        self.city = city
        self.rng = rng
        self.today = today
        self.year = today.year - 1  # the last full year
        self.kelurahan = [(p.area.code, p.area.name, p.kecamatan.name) for p in city.places]
        kecamatan: dict[str, str] = {}
        for place in city.places:
            kecamatan.setdefault(place.kecamatan.code, place.kecamatan.name)
        self.kecamatan = sorted(kecamatan.items())
        self.population = {code: rng.randint(18_000, 42_000) for code, _n, _k in self.kelurahan}

    def population_csv(self, year: int, growth: float = 1.0) -> bytes:
        rows = []
        for code, name, kecamatan in self.kelurahan:
            total = round(self.population[code] * growth)
            male = round(total * self.rng.uniform(0.49, 0.515))
            area = round(self.rng.uniform(0.8, 4.5), 2)
            rows.append([code, name, kecamatan, year, male, total - male, total, area])
        return _csv(
            [
                "kode_kelurahan",
                "kelurahan",
                "kecamatan",
                "tahun",
                "laki_laki",
                "perempuan",
                "jumlah_penduduk",
                "luas_km2",
            ],
            rows,
        )

    def method_note(self) -> bytes:
        return (
            b"Catatan metodologi\n\n"
            b"Jumlah penduduk berasal dari data konsolidasi bersih (DKB) Disdukcapil, yaitu "
            b"penduduk yang tercatat dalam database kependudukan per akhir semester II. "
            b"Angka dapat berbeda dengan proyeksi penduduk BPS.\n"
        )

    def age_groups_csv(self) -> bytes:
        rows = []
        weights = [8.1, 8.3, 8.0, 8.4, 8.9, 8.7, 8.2, 7.8, 7.1, 6.4, 5.6, 4.6, 3.6, 2.7, 1.9, 1.7]
        total = sum(self.population.values())
        for index, weight in enumerate(weights):
            low = index * 5
            label = f"{low}-{low + 4}" if index < len(weights) - 1 else f"{low}+"
            count = round(total * weight / sum(weights))
            male = round(count * self.rng.uniform(0.48, 0.52))
            rows.append([self.year, label, male, count - male, count])
        return _csv(["tahun", "kelompok_umur", "laki_laki", "perempuan", "jumlah"], rows)

    def ktp_csv(self) -> bytes:
        rows = []
        for code, name in self.kecamatan:
            wajib = sum(self.population[k] for k, _n, kec in self.kelurahan if kec == name)
            wajib = round(wajib * 0.72)
            recorded = round(wajib * self.rng.uniform(0.95, 0.995))
            rows.append([code, name, self.year, wajib, recorded, round(100 * recorded / wajib, 2)])
        return _csv(
            ["kode_kecamatan", "kecamatan", "tahun", "wajib_ktp", "sudah_rekam", "persentase"], rows
        )

    def schools_csv(self) -> bytes:
        rows = []
        number = 20_600_000
        for _code, name, kecamatan in self.kelurahan:
            for level, count, pupils in (("SD", 3, (180, 520)), ("SMP", 1, (300, 900))):
                for n in range(self.rng.randint(1, count)):
                    number += self.rng.randint(3, 40)
                    status = "Negeri" if self.rng.random() < 0.6 else "Swasta"
                    siswa = self.rng.randint(*pupils)
                    rows.append(
                        [
                            str(number),
                            f"{level} {status} {name} {n + 1}",
                            level,
                            status,
                            name,
                            kecamatan,
                            siswa,
                            max(8, siswa // self.rng.randint(18, 26)),
                        ]
                    )
        return _csv(
            [
                "npsn",
                "nama_sekolah",
                "jenjang",
                "status",
                "kelurahan",
                "kecamatan",
                "jumlah_siswa",
                "jumlah_guru",
            ],
            rows,
        )

    def participation_csv(self) -> bytes:
        rows = []
        for year in range(self.year - 4, self.year + 1):
            for level, base in (("SD", 97.5), ("SMP", 93.0), ("SMA/SMK", 81.0)):
                apk = round(base + (year - self.year + 4) * 0.4 + self.rng.uniform(-0.5, 0.5), 2)
                apm = round(apk - self.rng.uniform(4, 9), 2)
                rows.append([year, level, apk, apm])
        return _csv(["tahun", "jenjang", "apk_persen", "apm_persen"], rows)

    def puskesmas_csv(self) -> bytes:
        rows = []
        for code, name in self.kecamatan:
            rawat_inap = "ya" if self.rng.random() < 0.35 else "tidak"
            rows.append(
                [
                    f"P{code.replace('.', '')}",
                    f"Puskesmas {name}",
                    name,
                    rawat_inap == "ya",
                    self.rng.randint(2, 6),
                    self.rng.randint(18_000, 56_000),
                ]
            )
        return _csv(
            [
                "kode",
                "nama_puskesmas",
                "kecamatan",
                "rawat_inap",
                "jumlah_dokter",
                "kunjungan_tahunan",
            ],
            rows,
        )

    def dengue_csv(self, months: int = 12) -> bytes:
        rows = []
        start = dt.date(self.year, 1, 1)
        for index in range(months):
            month = dt.date(
                start.year + (start.month - 1 + index) // 12, (start.month - 1 + index) % 12 + 1, 1
            )
            seasonal = 1.8 if month.month in (1, 2, 3, 12) else 0.7
            for _code, name in self.kecamatan:
                cases = round(self.rng.randint(2, 14) * seasonal)
                rows.append([month.isoformat(), name, cases, 1 if cases > 20 else 0])
        return _csv(["bulan", "kecamatan", "kasus", "kematian"], rows)

    def immunisation_xlsx(self) -> bytes:
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Imunisasi"
        sheet.append(
            ["kecamatan", "tahun", "sasaran_bayi", "imunisasi_dasar_lengkap", "cakupan_persen"]
        )
        for _code, name in self.kecamatan:
            target = self.rng.randint(1_200, 3_400)
            done = round(target * self.rng.uniform(0.86, 0.99))
            sheet.append([name, self.year, target, done, round(100 * done / target, 1)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def waste_csv(self) -> bytes:
        rows = []
        for month in range(1, 13):
            for _code, name in self.kecamatan:
                produced = round(self.rng.uniform(95, 180), 1)
                transported = round(produced * self.rng.uniform(0.78, 0.93), 1)
                rows.append(
                    [
                        f"{self.year}-{month:02d}",
                        name,
                        produced,
                        transported,
                        round(produced - transported, 1),
                    ]
                )
        return _csv(
            [
                "bulan",
                "kecamatan",
                "timbulan_ton_per_hari",
                "terangkut_ton_per_hari",
                "tidak_terangkut_ton_per_hari",
            ],
            rows,
        )

    def waste_mix_csv(self) -> bytes:
        shares = {
            "organik": 58.0,
            "plastik": 16.0,
            "kertas": 9.0,
            "logam": 2.0,
            "kaca": 2.0,
            "kain": 3.0,
            "lainnya": 10.0,
        }
        rows = [
            [self.year, kind, round(share + self.rng.uniform(-1.5, 1.5), 1)]
            for kind, share in shares.items()
        ]
        return _csv(["tahun", "jenis_sampah", "persen"], rows)

    def waste_banks_json(self) -> bytes:
        records = []
        for index, (_code, name, kecamatan) in enumerate(self.kelurahan):
            if self.rng.random() < 0.45:
                records.append(
                    {
                        "nama": f"Bank Sampah {name}",
                        "kelurahan": name,
                        "kecamatan": kecamatan,
                        "nasabah": self.rng.randint(40, 600),
                        "sampah_kg_per_bulan": round(self.rng.uniform(150, 2400), 1),
                        "aktif": self.rng.random() < 0.9,
                        "berdiri": dt.date(
                            self.year - self.rng.randint(0, 8), 1 + index % 12, 1
                        ).isoformat(),
                    }
                )
        return json.dumps(records, ensure_ascii=False, indent=1).encode()

    def river_csv(self) -> bytes:
        rows = []
        for point in range(1, 9):
            for quarter in (1, 2, 3, 4):
                rows.append(
                    [
                        f"TP-{point:02d}",
                        f"{self.year}-T{quarter}",
                        round(self.rng.uniform(2.1, 6.8), 1),
                        round(self.rng.uniform(3.5, 14.0), 1),
                        round(self.rng.uniform(12, 48), 1),
                    ]
                )
        return _csv(["titik_pantau", "triwulan", "do_mg_l", "bod_mg_l", "cod_mg_l"], rows)

    def traffic_csv(self) -> bytes:
        rows = []
        roads = [
            "Jl. Jenderal Sudirman",
            "Jl. Ahmad Yani",
            "Jl. Gatot Subroto",
            "Jl. Daan Mogot",
            "Jl. Merdeka",
            "Jl. Pahlawan",
            "Jl. Veteran",
            "Jl. Diponegoro",
        ]
        for road in roads:
            for hour in (6, 7, 8, 12, 16, 17, 18, 21):
                peak = 1.0 if hour in (7, 8, 17, 18) else 0.55
                volume = round(self.rng.randint(1_800, 4_200) * peak)
                rows.append(
                    [
                        road,
                        f"{hour:02d}:00:00",
                        volume,
                        round(volume / self.rng.randint(3_600, 4_400), 2),
                    ]
                )
        return _csv(["ruas_jalan", "jam", "volume_smp_per_jam", "rasio_v_c"], rows)

    def parking_json(self) -> bytes:
        records = []
        for index, (_code, name, kecamatan) in enumerate(self.kelurahan[:30]):
            records.append(
                {
                    "kode": f"PKR-{index + 1:03d}",
                    "lokasi": f"Parkir tepi jalan {name}",
                    "kecamatan": kecamatan,
                    "kapasitas_mobil": self.rng.randint(10, 80),
                    "kapasitas_motor": self.rng.randint(30, 250),
                    "tarif_mobil": self.rng.choice([3000, 4000, 5000]),
                }
            )
        return json.dumps(records, ensure_ascii=False).encode()

    def routes_csv(self) -> bytes:
        rows = []
        for number in range(1, 13):
            first, second = self.rng.sample(self.kecamatan, 2)
            rows.append(
                [
                    f"R{number:02d}",
                    f"Terminal {first[1]} - {second[1]}",
                    round(self.rng.uniform(9, 26), 1),
                    self.rng.randint(12, 45),
                    self.rng.choice([4000, 5000, 6000]),
                ]
            )
        return _csv(["kode_trayek", "rute", "panjang_km", "jumlah_armada", "tarif"], rows)

    def social_aid_csv(self) -> bytes:
        rows = []
        for _code, name in self.kecamatan:
            for program in ("PKH", "BPNT", "PBI-JK"):
                rows.append([self.year, name, program, self.rng.randint(900, 6_500)])
        return _csv(["tahun", "kecamatan", "program", "keluarga_penerima"], rows)

    def shelters_csv(self) -> bytes:
        kinds = ["Panti Asuhan", "Panti Werdha", "Rumah Singgah"]
        rows = [
            [f"{self.rng.choice(kinds)} {name}", kecamatan, self.rng.randint(12, 80)]
            for _code, name, kecamatan in self.rng.sample(
                self.kelurahan, min(9, len(self.kelurahan))
            )
        ]
        return _csv(["nama", "kecamatan", "kapasitas"], rows)

    def roads_csv(self) -> bytes:
        rows = []
        for number in range(1, 41):
            _code, name, kecamatan = self.rng.choice(self.kelurahan)
            length = round(self.rng.uniform(0.4, 5.5), 2)
            condition = self.rng.choices(
                ["baik", "sedang", "rusak ringan", "rusak berat"], [55, 25, 14, 6]
            )[0]
            rows.append(
                [f"RJ-{number:03d}", f"Jalan {name} {number}", kecamatan, length, condition]
            )
        return _csv(["kode_ruas", "nama_ruas", "kecamatan", "panjang_km", "kondisi"], rows)

    def roads_bad_csv(self) -> bytes:
        """A correction with two typos (lines 4 and 9) the walidata never sees: refused."""
        lines = self.roads_csv().decode().splitlines()
        lines[3] = lines[3].rsplit(",", 2)[0] + ",dua koma satu," + lines[3].rsplit(",", 1)[1]
        lines[8] = lines[8].rsplit(",", 2)[0] + ",-0.4km," + lines[8].rsplit(",", 1)[1]
        return ("\n".join(lines) + "\n").encode()

    def drainage_csv(self) -> bytes:
        rows = [
            [
                f"DR-{n:03d}",
                self.rng.choice(self.kecamatan)[1],
                round(self.rng.uniform(0.2, 3.0), 2),
                self.rng.choice(["baik", "tersumbat"]),
            ]
            for n in range(1, 31)
        ]
        return _csv(["kode_saluran", "kecamatan", "panjang_km", "kondisi"], rows)

    def water_csv(self) -> bytes:
        rows = []
        for _code, name in self.kecamatan:
            rows.append(
                [
                    self.year,
                    name,
                    self.rng.randint(8_000, 31_000),
                    round(self.rng.uniform(14, 26), 1),
                ]
            )
        return _csv(["tahun", "kecamatan", "pelanggan", "pemakaian_m3_per_bulan_rata_rata"], rows)

    def disasters_csv(self) -> bytes:
        rows = []
        for _n in range(36):
            day = dt.date(self.year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))
            kind = self.rng.choices(
                ["banjir", "angin kencang", "tanah longsor", "pohon tumbang"], [50, 20, 8, 22]
            )[0]
            rows.append(
                [
                    day.isoformat(),
                    kind,
                    self.rng.choice(self.kecamatan)[1],
                    self.rng.randint(0, 420),
                    0,
                ]
            )
        rows.sort()
        return _csv(["tanggal", "jenis", "kecamatan", "rumah_terdampak", "korban_jiwa"], rows)

    def disaster_summary_xlsx(self) -> bytes:
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Ringkasan"
        sheet.append(["tahun", "jenis", "kejadian"])
        for kind in ("banjir", "angin kencang", "tanah longsor", "pohon tumbang"):
            sheet.append([self.year, kind, self.rng.randint(2, 20)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def flood_points_json(self) -> bytes:
        records = [
            {
                "kelurahan": name,
                "kecamatan": kecamatan,
                "ketinggian_maks_cm": self.rng.randint(20, 140),
                "lama_genangan_jam": self.rng.randint(2, 30),
            }
            for _code, name, kecamatan in self.rng.sample(
                self.kelurahan, min(14, len(self.kelurahan))
            )
        ]
        return json.dumps(records, ensure_ascii=False).encode()

    def fires_csv(self) -> bytes:
        rows = [
            [
                f"{self.year}-{m:02d}",
                self.rng.randint(3, 19),
                self.rng.randint(0, 4),
                round(self.rng.uniform(8, 15), 1),
            ]
            for m in range(1, 13)
        ]
        return _csv(["bulan", "kejadian", "korban_luka", "waktu_tanggap_menit"], rows)

    def wifi_csv(self) -> bytes:
        rows = [
            [f"WIFI-{n:03d}", f"Taman {name}", kecamatan, self.rng.randint(20, 100)]
            for n, (_code, name, kecamatan) in enumerate(
                self.rng.sample(self.kelurahan, min(25, len(self.kelurahan))), 1
            )
        ]
        return _csv(["kode", "lokasi", "kecamatan", "bandwidth_mbps"], rows)

    def permits_csv(self) -> bytes:
        rows = []
        for month in range(1, 13):
            for kind in ("PBG", "NIB", "Izin Usaha Mikro", "SLF"):
                rows.append([f"{self.year}-{month:02d}", kind, self.rng.randint(20, 640)])
        return _csv(["bulan", "jenis_izin", "jumlah_terbit"], rows)

    def taxes_csv(self) -> bytes:
        rows = []
        for kind, target in (
            ("Pajak Bumi dan Bangunan (PBB-P2)", 610),
            ("BPHTB", 540),
            ("Pajak Restoran", 210),
            ("Pajak Hotel", 95),
            ("Pajak Reklame", 48),
            ("Pajak Parkir", 36),
            ("Pajak Penerangan Jalan", 230),
            ("Pajak Air Tanah", 12),
        ):
            target_rp = target * 1_000_000_000
            realised = round(target_rp * self.rng.uniform(0.86, 1.08))
            rows.append(
                [self.year, kind, target_rp, realised, round(100 * realised / target_rp, 2)]
            )
        return _csv(["tahun", "jenis_pajak", "target_rp", "realisasi_rp", "persentase"], rows)

    def aspirations_csv(self) -> bytes:
        zone = ZoneInfo(catalog.CITY_TIMEZONE)
        counts = (
            Aspiration.objects.filter(merged_into__isnull=True)
            .annotate(month=TruncMonth("created_at", tzinfo=zone))
            .values("month", "agency__short_name")
            .annotate(
                total=Count("pk"), done=Count("pk", filter=Q(status__in=["resolved", "closed"]))
            )
            .order_by("month", "agency__short_name")
        )
        rows = [
            [row["month"].strftime("%Y-%m"), row["agency__short_name"], row["total"], row["done"]]
            for row in counts
        ]
        if not rows:
            rows = [[self.today.strftime("%Y-%m"), "-", 0, 0]]
        return _csv(["bulan", "opd", "aspirasi_masuk", "selesai_ditangani"], rows)


def specs(b: Builder) -> list[Spec]:
    year = b.year
    whole_year = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    city = catalog.CITY_NAME
    return [
        Spec(
            "DISDUKCAPIL",
            "Jumlah Penduduk per Kelurahan",
            f"Jumlah penduduk {city} menurut kelurahan dan jenis kelamin, dari data "
            "konsolidasi bersih (DKB) semester II.",
            ["kependudukan"],
            ["penduduk", "kelurahan", "jenis kelamin"],
            files=[
                (
                    "Penduduk per kelurahan",
                    "penduduk-kelurahan.csv",
                    lambda: b.population_csv(year - 1, 0.985),
                ),
                ("Catatan metodologi", "metodologi.txt", b.method_note),
            ],
            temporal=whole_year,
            age_days=330,
            source="Disdukcapil, DKB Semester II",
        ),
        Spec(
            "DISDUKCAPIL",
            "Penduduk menurut Kelompok Umur",
            "Piramida penduduk: jumlah penduduk per kelompok umur lima tahunan.",
            ["kependudukan"],
            ["penduduk", "umur"],
            files=[("Kelompok umur", "kelompok-umur.csv", b.age_groups_csv)],
            temporal=whole_year,
            age_days=300,
        ),
        Spec(
            "DISDUKCAPIL",
            "Perekaman KTP Elektronik per Kecamatan",
            "Wajib KTP dan yang sudah merekam KTP-el per kecamatan.",
            ["kependudukan", "pemerintahan"],
            ["ktp-el", "administrasi kependudukan"],
            files=[("Perekaman KTP-el", "ktp-el.csv", b.ktp_csv)],
            frequency="semiannual",
            age_days=120,
        ),
        Spec(
            "DISDIK",
            "Daftar Sekolah Dasar dan Menengah Pertama",
            "Sekolah SD dan SMP negeri dan swasta dengan jumlah siswa dan guru (Dapodik).",
            ["pendidikan"],
            ["sekolah", "siswa", "guru"],
            files=[("Daftar sekolah", "sekolah.csv", b.schools_csv)],
            age_days=260,
            source="Dapodik",
        ),
        Spec(
            "DISDIK",
            "Angka Partisipasi Sekolah",
            "Angka partisipasi kasar (APK) dan murni (APM) per jenjang, lima tahun terakhir.",
            ["pendidikan"],
            ["apk", "apm", "sekolah"],
            files=[("APK dan APM", "partisipasi-sekolah.csv", b.participation_csv)],
            licence="cc0-1.0",
            age_days=150,
        ),
        Spec(
            "DINKES",
            "Daftar Puskesmas",
            "Puskesmas per kecamatan: layanan rawat inap, jumlah dokter dan kunjungan.",
            ["kesehatan"],
            ["puskesmas", "fasilitas kesehatan"],
            files=[("Daftar puskesmas", "puskesmas.csv", b.puskesmas_csv)],
            age_days=280,
        ),
        Spec(
            "DINKES",
            "Kasus Demam Berdarah Dengue (DBD) per Bulan",
            "Kasus DBD per kecamatan setiap bulan, dari laporan surveilans puskesmas.",
            ["kesehatan"],
            ["dbd", "penyakit menular", "surveilans"],
            files=[("Kasus DBD", "dbd.csv", lambda: b.dengue_csv(9))],
            frequency="monthly",
            age_days=240,
        ),
        Spec(
            "DINKES",
            "Cakupan Imunisasi Dasar Lengkap",
            "Sasaran bayi dan bayi yang mendapat imunisasi dasar lengkap per kecamatan.",
            ["kesehatan"],
            ["imunisasi", "bayi"],
            files=[("Imunisasi dasar lengkap", "imunisasi.xlsx", b.immunisation_xlsx)],
            age_days=90,
        ),
        Spec(
            "DLH",
            "Timbulan dan Pengangkutan Sampah per Kecamatan",
            "Rata-rata harian sampah yang dihasilkan dan yang terangkut ke TPA, per bulan.",
            ["lingkungan-hidup"],
            ["sampah", "tpa"],
            files=[
                ("Sampah per bulan", "sampah.csv", b.waste_csv),
                ("Komposisi sampah", "komposisi-sampah.csv", b.waste_mix_csv),
            ],
            frequency="monthly",
            age_days=210,
        ),
        Spec(
            "DLH",
            "Bank Sampah",
            "Bank sampah aktif dengan jumlah nasabah dan sampah terkelola per bulan.",
            ["lingkungan-hidup"],
            ["sampah", "bank sampah", "daur ulang"],
            files=[("Bank sampah", "bank-sampah.json", b.waste_banks_json)],
            age_days=100,
            licence="odbl-1.0",
        ),
        Spec(
            "DLH",
            "Kualitas Air Sungai",
            "Hasil uji DO, BOD dan COD di titik pantau sungai setiap triwulan.",
            ["lingkungan-hidup"],
            ["air", "sungai"],
            files=[("Kualitas air", "kualitas-air.csv", b.river_csv)],
            frequency="quarterly",
            state=DatasetState.DRAFT,
            age_days=12,
        ),
        Spec(
            "DISHUB",
            "Volume Lalu Lintas Ruas Jalan Utama",
            "Volume kendaraan (smp/jam) dan rasio volume terhadap kapasitas pada jam sibuk.",
            ["transportasi"],
            ["lalu lintas", "jalan"],
            files=[("Volume lalu lintas", "lalu-lintas.csv", b.traffic_csv)],
            age_days=170,
        ),
        Spec(
            "DISHUB",
            "Lokasi Parkir Tepi Jalan",
            "Titik parkir tepi jalan umum dengan kapasitas dan tarif.",
            ["transportasi"],
            ["parkir"],
            files=[("Lokasi parkir", "parkir.json", b.parking_json)],
            age_days=75,
        ),
        Spec(
            "DISHUB",
            "Trayek Angkutan Kota",
            "Trayek angkot: rute, panjang, jumlah armada dan tarif.",
            ["transportasi"],
            ["angkutan umum", "angkot"],
            files=[("Trayek", "trayek.csv", b.routes_csv)],
            age_days=190,
            licence="cc0-1.0",
        ),
        Spec(
            "DINSOS",
            "Penerima Bantuan Sosial per Kecamatan",
            "Keluarga penerima PKH, BPNT dan PBI-JK per kecamatan.",
            ["sosial"],
            ["bansos", "pkh", "bpnt"],
            files=[("Penerima bansos", "bansos.csv", b.social_aid_csv)],
            age_days=140,
        ),
        Spec(
            "DINSOS",
            "Panti dan Rumah Singgah",
            "Panti sosial dan rumah singgah beserta kapasitasnya.",
            ["sosial"],
            ["panti"],
            files=[("Panti sosial", "panti.csv", b.shelters_csv)],
            state=DatasetState.SUBMITTED,
            age_days=6,
        ),
        Spec(
            "PUPR",
            "Kondisi Jalan Kota",
            "Ruas jalan kota dengan panjang dan kondisi permukaannya.",
            ["infrastruktur"],
            ["jalan", "kondisi jalan"],
            files=[("Kondisi jalan", "kondisi-jalan.csv", b.roads_csv)],
            age_days=230,
        ),
        Spec(
            "PUPR",
            "Saluran Drainase",
            "Saluran drainase kota dengan panjang dan kondisi.",
            ["infrastruktur"],
            ["drainase", "banjir"],
            files=[("Saluran drainase", "drainase.csv", b.drainage_csv)],
            state=DatasetState.RETURNED,
            note="Lengkapi cakupan wilayah dan narahubung, lalu ajukan lagi.",
            age_days=20,
        ),
        Spec(
            "PDAM",
            "Pelanggan Air Minum per Kecamatan",
            "Jumlah pelanggan Perumda Air Minum dan rata-rata pemakaian per bulan.",
            ["infrastruktur"],
            ["air minum", "pdam"],
            files=[("Pelanggan air minum", "pelanggan-pdam.csv", b.water_csv)],
            age_days=160,
        ),
        Spec(
            "BPBD",
            "Kejadian Bencana",
            "Kejadian bencana yang ditangani BPBD dengan jumlah rumah terdampak.",
            ["kebencanaan"],
            ["bencana", "banjir"],
            files=[
                ("Kejadian bencana", "bencana.csv", b.disasters_csv),
                ("Ringkasan per jenis", "bencana-per-jenis.xlsx", b.disaster_summary_xlsx),
            ],
            age_days=200,
        ),
        Spec(
            "BPBD",
            "Titik Rawan Genangan",
            "Kelurahan rawan genangan dengan ketinggian dan lama genangan terbesar.",
            ["kebencanaan", "infrastruktur"],
            ["banjir", "genangan"],
            files=[("Titik rawan genangan", "rawan-genangan.json", b.flood_points_json)],
            age_days=110,
        ),
        Spec(
            "DAMKAR",
            "Kejadian Kebakaran per Bulan",
            "Kejadian kebakaran, korban luka dan waktu tanggap rata-rata per bulan.",
            ["kebencanaan"],
            ["kebakaran", "waktu tanggap"],
            files=[("Kebakaran per bulan", "kebakaran.csv", b.fires_csv)],
            age_days=130,
        ),
        Spec(
            "DISKOMINFO",
            "Aspirasi Warga per Bulan",
            "Jumlah aspirasi warga yang masuk dan yang selesai ditangani per OPD setiap "
            "bulan, dari layanan aspirasi Terang.",
            ["pemerintahan"],
            ["aspirasi", "pengaduan", "pelayanan publik"],
            files=[("Aspirasi per bulan", "aspirasi-bulanan.csv", b.aspirations_csv)],
            frequency="monthly",
            age_days=40,
            licence="cc0-1.0",
        ),
        Spec(
            "DISKOMINFO",
            "Titik Wi-Fi Publik",
            "Lokasi Wi-Fi publik gratis dan bandwidth-nya.",
            ["pemerintahan"],
            ["wifi", "internet"],
            files=[("Titik Wi-Fi", "wifi.csv", b.wifi_csv)],
            state=DatasetState.SUBMITTED,
            age_days=3,
        ),
        Spec(
            "DPMPTSP",
            "Izin yang Diterbitkan per Bulan",
            "Jumlah izin terbit per jenis (PBG, NIB, IUMK, SLF) setiap bulan.",
            ["ekonomi"],
            ["perizinan", "investasi"],
            files=[("Izin terbit", "izin.csv", b.permits_csv)],
            frequency="monthly",
            age_days=180,
        ),
        Spec(
            "SETDA",
            "Target dan Realisasi Pajak Daerah",
            "Target dan realisasi pajak daerah per jenis pajak (rupiah).",
            ["keuangan-daerah"],
            ["pajak", "pendapatan daerah"],
            files=[("Realisasi pajak", "pajak.csv", b.taxes_csv)],
            age_days=60,
        ),
        Spec(
            "DISKOMINFO",
            "Statistik Daerah (BPS)",
            "Publikasi statistik daerah dari Badan Pusat Statistik (tautan ke situs BPS).",
            ["pemerintahan", "kependudukan"],
            ["statistik", "bps"],
            links=[("Tabel statistik BPS", "https://www.bps.go.id/id/statistics-table", "HTML")],
            licence="other-open",
            age_days=250,
            source="Badan Pusat Statistik",
        ),
    ]


def _actor(accounts: Accounts, agency_id: int, admin: User) -> User:
    return accounts.officers.get(agency_id) or accounts.heads.get(agency_id) or admin


def create(
    city: City, accounts: Accounts, *, now: dt.datetime, rng: random.Random
) -> dict[str, int]:
    """Create the demo rows; return counts by name for the seed summary."""
    agencies = city.agencies
    DataSettings.objects.create(walidata_agency=agencies[WALIDATA])
    Licence.objects.bulk_create(
        (
            Licence(id=id_, title=title, url=url, is_open=is_open)
            for id_, title, url, is_open in LICENCES
        ),
        ignore_conflicts=True,  # the standard ones exist from migration 0004
    )
    DataGroup.objects.bulk_create(
        DataGroup(name=name, title=title, description=description)
        for name, title, description in GROUPS
    )
    admin = accounts.staff["admin"]
    walidata = accounts.officers[agencies[WALIDATA].pk]
    today = now.astimezone(ZoneInfo(catalog.CITY_TIMEZONE)).date()
    builder = Builder(city, rng, today)
    built: list[tuple[Spec, Dataset]] = []
    for spec in specs(builder):
        agency = agencies[spec.agency]
        actor = _actor(accounts, agency.pk, admin)
        dataset = services.create_dataset(
            actor=actor,
            organization=agency,
            title=spec.title,
            notes=spec.notes,
            licence=spec.licence,
            groups=spec.groups,
            tags=spec.tags,
            update_frequency=spec.frequency,
            temporal_start=spec.temporal[0] if spec.temporal else None,
            temporal_end=spec.temporal[1] if spec.temporal else None,
            spatial_coverage=catalog.CITY_NAME,
            contact_name=actor.display_name if spec.state != DatasetState.RETURNED else "",
            contact_email=f"data.{spec.agency.lower()}@{catalog.DEMO_EMAIL_DOMAIN}",
            source=spec.source or agency.name,
        )
        for name, file_name, make in spec.files:
            services.add_resource(
                actor=actor,
                dataset=dataset,
                name=name,
                upload=Upload(name=file_name, content=make()),
            )
        for name, url, file_format in spec.links:
            services.add_resource(
                actor=actor, dataset=dataset, name=name, url=url, file_format=file_format
            )
        if spec.state != DatasetState.DRAFT:
            services.submit_dataset(actor=actor, dataset=dataset)
        if spec.state == DatasetState.PUBLISHED:
            services.verify_dataset(actor=walidata, dataset=dataset)
        elif spec.state == DatasetState.RETURNED:
            services.return_dataset(actor=walidata, dataset=dataset, note=spec.note)
        built.append((spec, dataset))
    _later_versions(builder, built, accounts, admin, walidata, agencies)
    _backdate(built, now=now, rng=rng)
    usage_rows = _usage(built, today=today, rng=rng)
    return {
        "datasets": len(built),
        "published datasets": sum(d.state == DatasetState.PUBLISHED for _s, d in built),
        "data resources": Resource.objects.count(),
        "datastore rows": DatastoreRow.objects.count(),
        "dataset usage days": usage_rows,
    }


def _later_versions(
    builder: Builder,
    built: list[tuple[Spec, Dataset]],
    accounts: Accounts,
    admin: User,
    walidata: User,
    agencies: dict[str, Any],
) -> None:
    """A second population file (verified), a pending dengue file and a refused road file."""
    by_title = {spec.title: dataset for spec, dataset in built}

    def first_resource(title: str) -> tuple[Dataset, Resource, User]:
        dataset = by_title[title]
        return (
            dataset,
            dataset.resources.order_by("position")[0],
            _actor(accounts, dataset.organization_id, admin),
        )

    dataset, resource, actor = first_resource("Jumlah Penduduk per Kelurahan")
    services.upload_version(
        actor=actor,
        resource=resource,
        upload=Upload(
            name="penduduk-kelurahan-terbaru.csv", content=builder.population_csv(builder.year)
        ),
    )
    services.verify_pending_changes(actor=walidata, dataset=dataset)
    _dataset, resource, actor = first_resource("Kasus Demam Berdarah Dengue (DBD) per Bulan")
    services.upload_version(
        actor=actor,
        resource=resource,
        upload=Upload(name="dbd-setahun.csv", content=builder.dengue_csv()),
    )
    _dataset, resource, actor = first_resource("Kondisi Jalan Kota")
    services.upload_version(
        actor=actor,
        resource=resource,
        upload=Upload(name="kondisi-jalan-revisi.csv", content=builder.roads_bad_csv()),
    )


def _backdate(built: list[tuple[Spec, Dataset]], *, now: dt.datetime, rng: random.Random) -> None:
    """Spread the history over the past year (the services stamped everything `now`)."""
    for spec, dataset in built:
        created = now - dt.timedelta(days=spec.age_days, hours=rng.randint(1, 9))
        submitted = created + dt.timedelta(days=max(1, spec.age_days // 6))
        published = submitted + dt.timedelta(days=rng.randint(1, 3))
        if spec.state in (DatasetState.SUBMITTED, DatasetState.RETURNED):
            submitted = now - dt.timedelta(days=rng.randint(1, 2), hours=rng.randint(1, 9))
        modified = published if spec.state == DatasetState.PUBLISHED else submitted
        if spec.state == DatasetState.DRAFT:
            modified = created + dt.timedelta(days=1)
        Dataset.objects.filter(pk=dataset.pk).update(
            created_at=created,
            modified_at=min(modified, now),
            submitted_at=submitted if spec.state != DatasetState.DRAFT else None,
            published_at=published if spec.state == DatasetState.PUBLISHED else None,
        )
        resources = Resource.objects.filter(dataset=dataset)
        resources.update(created_at=created, modified_at=created)
        resources.filter(published_at__isnull=False).update(published_at=published)
        versions = ResourceVersion.objects.filter(resource__dataset=dataset)
        versions.filter(number=1).update(created_at=created)
        later = min(now - dt.timedelta(days=rng.randint(1, 5)), created + dt.timedelta(days=200))
        versions.filter(number__gt=1).update(created_at=later)
        if versions.filter(number__gt=1, status=VersionStatus.CURRENT).exists():
            Dataset.objects.filter(pk=dataset.pk).update(modified_at=later)


def _usage(built: list[tuple[Spec, Dataset]], *, today: dt.date, rng: random.Random) -> int:
    """Daily views, downloads and API calls for the last 90 days of each published dataset."""
    rows = []
    totals: dict[Any, list[int]] = {}
    for spec, dataset in built:
        if spec.state != DatasetState.PUBLISHED:
            continue
        popularity = rng.uniform(0.5, 6.0)
        days = min(USAGE_DAYS, spec.age_days)
        sums = [0, 0, 0]
        for offset in range(days, 0, -1):
            day = today - dt.timedelta(days=offset)
            weekday = 1.0 if day.weekday() < 5 else 0.45
            views = int(rng.expovariate(1 / (popularity * 4 * weekday)))
            downloads = int(views * rng.uniform(0.05, 0.3))
            api = int(rng.expovariate(1 / (popularity * 2)))
            if views or downloads or api:
                rows.append(
                    DatasetUsage(
                        dataset=dataset, day=day, views=views, downloads=downloads, api_calls=api
                    )
                )
                sums = [sums[0] + views, sums[1] + downloads, sums[2] + api]
        totals[dataset.pk] = sums
    DatasetUsage.objects.bulk_create(rows, batch_size=1000)
    for pk, (views, downloads, api) in totals.items():
        Dataset.objects.filter(pk=pk).update(
            view_count=views, download_count=downloads, api_count=api
        )
    return len(rows)


def wipe() -> dict[str, int]:
    """Delete the demo rows (called by `seed-demo --reset` before agencies and users go);
    stored files are deleted from the storage too."""
    deleted: dict[str, int] = {}
    storage = ResourceVersion._meta.get_field("file").storage
    for name in ResourceVersion.objects.exclude(file="").values_list("file", flat=True):
        storage.delete(name)
    for label, model in (
        ("dataset usage days", DatasetUsage),
        ("datastore rows", DatastoreRow),
        ("resource versions", ResourceVersion),
        ("data resources", Resource),
        ("datasets", Dataset),
        ("data tags", Tag),
        ("data groups", DataGroup),
        ("licences", Licence),
        ("CKAN API tokens", ApiToken),
        ("data settings", DataSettings),
    ):
        deleted[label] = model.objects.all().delete()[1].get(model._meta.label, 0)
    return deleted
