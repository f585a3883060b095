"""The benchmark data set and the in-process probes that need the ORM.

Run as a child of the benchmarks, one process per scratch database (Django binds one
`DATABASE_URL` per process; `bench/common.py:bench_env` sets it):

    dataset.py generate --rows N   build a small city and N aspirations (bulk inserts)
    dataset.py probe               facts for the list benchmark plus EXPLAIN ANALYZE per case
    dataset.py capture-create      the SQL one POST /api/v1/aspirations runs (query count)

Each subcommand prints one JSON document on its last line.

The city is the benchmark's own (not `terang seed-demo`, so the numbers do not move when the
demo changes): 6 kecamatan of 5 kelurahan each with polygon boundaries, 10 agencies,
20 categories, 300 citizens, and aspirations spread over the last 12 months with a status mix
that depends on age (recent ones still open, old ones mostly closed) and a privacy mix of 72%
public, 18% anonymous, 10% confidential. Rows are inserted in time order, as a live table grows.
Aspiration events and audit entries are not generated: no list query reads them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATASET_VERSION = 1
SEED = 20240601
META_TABLE = "bench_dataset"  # written by generate(); the name is spelled out there
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

# City box: a fictional city on the north coast of Java.
LAT_MIN, LAT_MAX = -6.30, -6.10
LON_MIN, LON_MAX = 106.55, 106.79
KECAMATAN = ["Sukamaju", "Cibening", "Karangsari", "Pasirjaya", "Margahayu", "Tanjungbaru"]
KELURAHAN_SUFFIX = ["Utara", "Selatan", "Barat", "Timur", "Tengah"]

AGENCIES = [
    ("PUPR", "Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("DLH", "DLH", "Dinas Lingkungan Hidup"),
    ("DISHUB", "Dishub", "Dinas Perhubungan"),
    ("DINKES", "Dinkes", "Dinas Kesehatan"),
    ("DISDIK", "Disdik", "Dinas Pendidikan"),
    ("DINSOS", "Dinsos", "Dinas Sosial"),
    ("DISDUKCAPIL", "Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("SATPOLPP", "Satpol PP", "Satuan Polisi Pamong Praja"),
    ("BPBD", "BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("DISPERKIM", "Disperkim", "Dinas Perumahan dan Kawasan Permukiman"),
]

# code, name, agency, group, topic words used in titles and texts
CATEGORIES = [
    ("jalan-rusak", "Jalan rusak / berlubang", "PUPR", "Infrastruktur", ["jalan", "berlubang"]),
    ("drainase", "Saluran air / drainase", "PUPR", "Infrastruktur", ["saluran", "banjir"]),
    ("jembatan", "Jembatan", "PUPR", "Infrastruktur", ["jembatan", "retak"]),
    ("sampah", "Sampah tidak diangkut", "DLH", "Lingkungan", ["sampah", "bau"]),
    ("pencemaran", "Pencemaran", "DLH", "Lingkungan", ["limbah", "pencemaran"]),
    ("pohon", "Pohon tumbang / rawan", "DLH", "Lingkungan", ["pohon", "tumbang"]),
    ("lampu-jalan", "Lampu penerangan jalan", "DISHUB", "Perhubungan", ["lampu", "gelap"]),
    ("lalu-lintas", "Lalu lintas / rambu", "DISHUB", "Perhubungan", ["macet", "rambu"]),
    ("parkir-liar", "Parkir liar", "DISHUB", "Perhubungan", ["parkir", "liar"]),
    ("puskesmas", "Layanan puskesmas", "DINKES", "Kesehatan", ["puskesmas", "antrean"]),
    ("dbd", "Demam berdarah / fogging", "DINKES", "Kesehatan", ["nyamuk", "fogging"]),
    ("sekolah", "Layanan sekolah", "DISDIK", "Pendidikan", ["sekolah", "guru"]),
    ("bansos", "Bantuan sosial", "DINSOS", "Sosial", ["bansos", "bantuan"]),
    ("ktp-kk", "KTP / KK", "DISDUKCAPIL", "Kependudukan", ["ktp", "antrean"]),
    ("akta", "Akta kelahiran", "DISDUKCAPIL", "Kependudukan", ["akta", "berkas"]),
    ("pkl", "Pedagang kaki lima", "SATPOLPP", "Ketertiban", ["pedagang", "trotoar"]),
    ("bangunan-liar", "Bangunan liar", "SATPOLPP", "Ketertiban", ["bangunan", "izin"]),
    ("banjir", "Banjir / genangan", "BPBD", "Kebencanaan", ["banjir", "genangan"]),
    ("rumah-tidak-layak", "Rumah tidak layak huni", "DISPERKIM", "Perumahan", ["rumah", "atap"]),
    ("psu", "Prasarana perumahan", "DISPERKIM", "Perumahan", ["taman", "fasum"]),
]

FIRST_NAMES = [
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Rudi",
    "Sri",
    "Andi",
    "Rina",
    "Joko",
    "Maya",
    "Hendra",
    "Nur",
    "Bambang",
    "Lestari",
    "Yusuf",
    "Ayu",
    "Dedi",
    "Fitri",
    "Eko",
    "Wati",
]
LAST_NAMES = [
    "Santoso",
    "Rahayu",
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Kusuma",
    "Pratama",
    "Lestari",
    "Setiawan",
    "Nugroho",
    "Siregar",
    "Hasibuan",
    "Purnomo",
    "Halim",
]
STREETS = [
    "Melati",
    "Kenanga",
    "Mawar",
    "Diponegoro",
    "Sudirman",
    "Merdeka",
    "Pahlawan",
    "Cendana",
    "Anggrek",
    "Kartini",
    "Gatot Subroto",
    "Veteran",
    "Siliwangi",
]
OPENINGS = [
    "Selamat pagi Bapak/Ibu.",
    "Mohon izin melapor.",
    "Lapor Pak Wali,",
    "Selamat siang.",
    "Yth. Pemerintah Kota,",
    "",
]
MIDDLES = [
    "Kondisi ini sudah berlangsung lebih dari dua minggu dan belum ada perbaikan.",
    "Warga sekitar sudah beberapa kali melapor ke RT tetapi belum ada tindak lanjut.",
    "Saat hujan keadaannya semakin parah dan membahayakan pengendara motor.",
    "Anak-anak sekolah melewati lokasi ini setiap hari.",
    "Mohon petugas dapat meninjau langsung ke lokasi.",
    "Kami khawatir akan terjadi kecelakaan jika dibiarkan.",
    "Sudah ada korban terjatuh minggu lalu.",
    "Malam hari lokasi ini sangat gelap dan rawan.",
]
CLOSINGS = [
    "Mohon segera ditindaklanjuti.",
    "Terima kasih.",
    "Semoga cepat ditangani.",
    "Terima kasih atas perhatiannya.",
    "Mohon perhatiannya, warga sudah resah.",
]
ANSWERS = [
    "Terima kasih atas laporannya. Tim kami telah melakukan perbaikan di lokasi.",
    "Laporan telah ditindaklanjuti oleh petugas lapangan dan kondisi sudah normal.",
    "Sudah dijadwalkan dalam program pemeliharaan rutin bulan ini.",
]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")
    import django

    django.setup()


def _weighted(rng: random.Random, table: list[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _status_for_age(rng: random.Random, age_days: float) -> str:
    """Recent reports are still moving through the workflow; old ones are mostly settled."""
    if age_days < 3:
        table = [
            ("submitted", 45),
            ("verified", 20),
            ("dispositioned", 20),
            ("rejected", 5),
            ("in_progress", 10),
        ]
    elif age_days < 21:
        table = [
            ("submitted", 3),
            ("verified", 7),
            ("dispositioned", 20),
            ("in_progress", 35),
            ("resolved", 25),
            ("rejected", 7),
            ("merged", 3),
        ]
    else:
        table = [
            ("in_progress", 6),
            ("resolved", 10),
            ("closed", 70),
            ("rejected", 9),
            ("merged", 4),
            ("dispositioned", 1),
        ]
    return _weighted(rng, table)


def _rect(lat0: float, lat1: float, lon0: float, lon1: float) -> dict[str, Any]:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def _build_city(rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password

    from terang.aspirations.models import Category
    from terang.core.models import AdministrativeArea, Agency, CityProfile, User

    no_login = make_password(None)
    CityProfile.objects.all().delete()
    CityProfile.objects.create(
        name="Kota Sukamaju (bench)",
        slug="sukamaju-bench",
        timezone="Asia/Jakarta",
        boundary=_rect(LAT_MIN, LAT_MAX, LON_MIN, LON_MAX),
        min_lat=LAT_MIN,
        max_lat=LAT_MAX,
        min_lon=LON_MIN,
        max_lon=LON_MAX,
    )
    agencies = {
        code: Agency.objects.create(code=code, short_name=short, name=name)
        for code, short, name in AGENCIES
    }
    categories = [
        Category.objects.create(
            code=code, name=name, agency=agencies[agency], group=group, keywords=" ".join(words)
        )
        for code, name, agency, group, words in CATEGORIES
    ]
    kelurahan: list[AdministrativeArea] = []
    lat_step = (LAT_MAX - LAT_MIN) / 2
    lon_step = (LON_MAX - LON_MIN) / 3
    for k, kec_name in enumerate(KECAMATAN):
        lat0 = LAT_MIN + (k // 3) * lat_step
        lon0 = LON_MIN + (k % 3) * lon_step
        kec = AdministrativeArea.objects.create(
            code=f"99.71.{k + 1:02d}",
            name=kec_name,
            level="kecamatan",
            boundary=_rect(lat0, lat0 + lat_step, lon0, lon0 + lon_step),
            min_lat=lat0,
            max_lat=lat0 + lat_step,
            min_lon=lon0,
            max_lon=lon0 + lon_step,
        )
        strip = lon_step / len(KELURAHAN_SUFFIX)
        for j, suffix in enumerate(KELURAHAN_SUFFIX):
            a, b = lon0 + j * strip, lon0 + (j + 1) * strip
            kelurahan.append(
                AdministrativeArea.objects.create(
                    code=f"99.71.{k + 1:02d}.{1001 + j}",
                    name=f"{kec_name} {suffix}",
                    level="kelurahan",
                    parent=kec,
                    boundary=_rect(lat0, lat0 + lat_step, a, b),
                    min_lat=lat0,
                    max_lat=lat0 + lat_step,
                    min_lon=a,
                    max_lon=b,
                )
            )
    citizens = User.objects.bulk_create(
        [
            User(
                username=f"warga{i:04d}",
                email=f"warga{i:04d}@bench.invalid",
                password=no_login,
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                role="citizen",
            )
            for i in range(300)
        ]
    )
    return {
        "categories": categories,
        "kelurahan": kelurahan,
        "citizens": citizens,
        "agencies": list(agencies.values()),
    }


def _text(rng: random.Random, words: list[str], kel: str, name: str) -> str:
    street = rng.choice(STREETS)
    parts = [
        rng.choice(OPENINGS),
        f"Saya ingin melaporkan {words[0]} {words[1]} di Jl. {street} RT 0{rng.randint(1, 9)}"
        f"/RW 0{rng.randint(1, 9)}, Kelurahan {kel}.",
        *rng.sample(MIDDLES, rng.randint(1, 3)),
    ]
    roll = rng.random()
    if roll < 0.06:
        phone = f"08{rng.randint(11, 59)}{rng.randint(10**7, 10**8 - 1)}"
        parts.append(f"Bisa hubungi saya di {phone}.")
    elif roll < 0.09:
        parts.append(f"Nama saya {name}, NIK {rng.randint(10**15, 10**16 - 1)}.")
    elif roll < 0.12:
        parts.append(f"Salam, {name}.")
    parts.append(rng.choice(CLOSINGS))
    return " ".join(p for p in parts if p)


def _copy_rows(model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY rows into the model's table; fields a row leaves out get their model default.

    COPY instead of bulk_create: building and preparing model instances cost ~3 ms per row
    here, so 100k rows took minutes; COPY of plain tuples takes seconds.
    """
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    for value in defaults.values():
        if isinstance(value, dict | list):
            raise SystemExit("dataset.py: a JSON column needs an explicit value")
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        # The rows reference only ids just created: skip the per-row foreign-key triggers.
        cursor.execute("SET session_replication_role = replica")
        raw = cursor.cursor
        with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] if n in row else defaults[n] for n in names])
        cursor.execute("SET session_replication_role = DEFAULT")


@contextlib.contextmanager
def _indexes_rebuilt_after(table: str) -> Iterator[None]:
    """Drop the table's plain indexes for a bulk load and build them again afterwards.

    A fresh build is faster than maintaining ten indexes (one GIN) row by row; the resulting
    indexes are the same definitions, only more compact than ones grown by live inserts.
    Indexes behind constraints (primary key, unique) stay.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT "
            "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def generate(rows: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from terang.aspirations.models import Aspiration
    from terang.core.crypto import encrypt
    from terang.core.privacy import mask_personal_data

    started = time.monotonic()
    rng = random.Random(SEED)
    with transaction.atomic():  # one commit (one fsync) for the whole city
        city = _build_city(rng)
    categories, kelurahan, citizens = city["categories"], city["kelurahan"], city["citizens"]
    agency_ids = [a.pk for a in city["agencies"]]
    topic = {c.pk: CATEGORIES[i][4] for i, c in enumerate(categories)}
    contacts = [
        encrypt(f"08{rng.randint(11, 59)}{rng.randint(10**7, 10**8 - 1)}") for _ in range(200)
    ]
    now = timezone.now()
    ages = sorted((rng.random() * 365 for _ in range(rows)), reverse=True)
    codes: set[str] = set()
    batch: list[dict[str, Any]] = []
    for age in ages:
        created = now - dt.timedelta(days=age, seconds=rng.randint(0, 3600))
        category = rng.choice(categories)
        kel = rng.choice(kelurahan)
        privacy = _weighted(rng, [("public", 72), ("anonymous", 18), ("confidential", 10)])
        status = _status_for_age(rng, age)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        reporter_id = None
        contact = ""
        if privacy == "anonymous":
            name = ""
        elif rng.random() < 0.3:
            reporter = rng.choice(citizens)
            reporter_id, name = reporter.pk, reporter.full_name
        else:
            contact = rng.choice(contacts)
        has_point = rng.random() < 0.85
        while True:
            code = "ASP-" + "".join(rng.choices(CODE_ALPHABET, k=8))
            if code not in codes:
                codes.add(code)
                break
        settled = status in ("resolved", "closed")
        answered = status in ("in_progress", "resolved", "closed")
        moved = rng.random() < 0.06
        resolved_at = created + dt.timedelta(days=rng.uniform(2, 20)) if settled else None
        batch.append(
            {
                "code": code,
                "kind": _weighted(
                    rng,
                    [("complaint", 70), ("suggestion", 15), ("question", 10), ("information", 5)],
                ),
                "channel": _weighted(
                    rng,
                    [
                        ("web", 40),
                        ("app", 30),
                        ("whatsapp", 15),
                        ("counter", 5),
                        ("sms", 5),
                        ("email", 3),
                        ("open311", 2),
                    ],
                ),
                "title": f"{category.name} di Jl. {rng.choice(STREETS)}, {kel.name}"[:200],
                "text": _text(rng, topic[category.pk], kel.name, name or "warga"),
                "category_id": category.pk,
                "agency_id": rng.choice(agency_ids) if moved else category.agency_id,
                "status": status,
                "privacy": privacy,
                "reporter_id": reporter_id,
                "reporter_name": name,
                "reporter_contact_encrypted": contact,
                "latitude": rng.uniform(kel.min_lat, kel.max_lat) if has_point else None,
                "longitude": rng.uniform(kel.min_lon, kel.max_lon) if has_point else None,
                "address": f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
                "kelurahan_id": kel.pk if has_point else None,
                "created_at": created,
                "updated_at": resolved_at or created + dt.timedelta(hours=rng.uniform(0, 48)),
                "verify_due_at": created + dt.timedelta(days=4),
                "response_due_at": created + dt.timedelta(days=8)
                if status != "submitted"
                else None,
                "resolution_due_at": created + dt.timedelta(days=20) if answered else None,
                "first_response_at": created + dt.timedelta(days=rng.uniform(0.2, 6))
                if answered
                else None,
                "resolved_at": resolved_at,
                "closed_at": resolved_at + dt.timedelta(days=10)
                if status == "closed" and resolved_at
                else None,
                "breached": answered and rng.random() < 0.15,
                "disposition_count": rng.randint(1, 3) if moved else 0,
                "is_ping_pong": moved and rng.random() < 0.2,
                "rating": rng.randint(2, 5) if status == "closed" and rng.random() < 0.5 else None,
                "public_answer": rng.choice(ANSWERS) if settled else "",
                "open311_token": None,
                "merged_into_id": None,
            }
        )
        row = batch[-1]
        names = [row["reporter_name"]] if row["reporter_name"] else []
        # The masked public copies the intake service writes (public search runs on them).
        for copy, original in (
            ("public_title", "title"),
            ("public_text", "text"),
            ("public_address", "address"),
        ):
            row[copy] = mask_personal_data(row[original], names=names)
    timings = {"python": round(time.monotonic() - started, 1)}
    with _indexes_rebuilt_after(Aspiration._meta.db_table):
        _copy_rows(Aspiration, batch)
    timings["copy"] = round(time.monotonic() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE aspirations_aspiration AS a SET merged_into_id = ("
            "  SELECT max(b.id) FROM aspirations_aspiration AS b"
            "  WHERE b.id < a.id AND b.category_id = a.category_id AND b.status <> 'merged')"
            " WHERE a.status = 'merged'"
        )
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset "
            "(version int, rows int, seed int, created_at timestamptz)"
        )
        cursor.execute("DELETE FROM bench_dataset")
        cursor.execute(
            "INSERT INTO bench_dataset VALUES (%s, %s, %s, now())", [DATASET_VERSION, rows, SEED]
        )
        timings["update"] = round(time.monotonic() - started, 1)
        cursor.execute("VACUUM ANALYZE")
    timings["vacuum"] = round(time.monotonic() - started, 1)
    return {"rows": rows, "seconds": round(time.monotonic() - started, 1), "timings": timings}


# Probes ----------------------------------------------------------------------------------------

LIST_Q = "banjir"  # a topic word: about 1 row in 10
RARE_Q = "Hasibuan"  # a surname some reporters sign with: about 1 row in 300
ASPIRATION_TABLE = "on aspirations_aspiration "


def _main_list_sql(path: str) -> tuple[int, str, int]:
    """Run one GET in-process; return (status, the SQL of its aspirations list query, #queries)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path)
    candidates = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "aspirations_aspiration"' in q["sql"] and "ORDER BY" in q["sql"]
    ]
    return response.status_code, (candidates[0] if candidates else ""), len(captured)


def _explain(sql: str) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    indexes = sorted(
        {
            line.split(" using ")[1].split(" on ")[0].strip()
            for line in plan.splitlines()
            if " using " in line and ASPIRATION_TABLE in line
        }
        | {
            line.split(" on ")[1].split()[0]
            for line in plan.splitlines()
            if "Bitmap Index Scan on " in line
        }
    )
    execution = next((line for line in plan.splitlines() if "Execution Time" in line), "")
    return {
        "seq_scan_on_aspirations": "Seq Scan on aspirations_aspiration" in plan,
        "indexes": indexes,
        "execution_ms": float(execution.split(":")[1].split("ms")[0]) if execution else None,
        "plan": plan,
    }


def probe() -> dict[str, Any]:
    """Parameters for the list cases (kelurahan, deep cursor, query) and their query plans."""
    from django.db.models import Count

    from terang.aspirations import selectors
    from terang.aspirations.models import Aspiration
    from terang.core.pagination import encode_cursor

    public = selectors.public_aspirations()
    public_count = public.count()
    by_kel = list(
        public.exclude(kelurahan=None)
        .values("kelurahan__code")
        .annotate(n=Count("id"))
        .order_by("n", "kelurahan__code")
    )
    kel = by_kel[len(by_kel) // 2]
    depth = int(public_count * 0.9)
    deep = public.order_by("-created_at", "-id").values_list("created_at", "id")[depth]
    cursor = encode_cursor(deep[0], deep[1])
    cases = {
        "api_first_page": "/api/v1/aspirations",
        "api_deep_page": f"/api/v1/aspirations?cursor={cursor}",
        "api_kelurahan": f"/api/v1/aspirations?kelurahan={kel['kelurahan__code']}",
        "api_fulltext": f"/api/v1/aspirations?q={LIST_Q}",
        "api_fulltext_rare": f"/api/v1/aspirations?q={RARE_Q}",
        "html_list": "/aspirasi/",
    }
    plans: dict[str, Any] = {}
    for name, path in cases.items():
        status, sql, queries = _main_list_sql(path)
        entry: dict[str, Any] = {"status": status, "queries": queries}
        if sql:
            entry.update(_explain(sql), sql=sql)
        plans[name] = entry
    return {
        "rows": Aspiration.objects.count(),
        "public_rows": public_count,
        "kelurahan": kel["kelurahan__code"],
        "kelurahan_public_rows": kel["n"],
        "q": LIST_Q,
        "q_public_rows": selectors.full_text(public, LIST_Q).count(),
        "rare_q": RARE_Q,
        "rare_q_public_rows": selectors.full_text(public, RARE_Q).count(),
        "deep_page_depth": depth,
        "cases": cases,
        "plans": plans,
    }


def capture_create(body: dict[str, Any]) -> dict[str, Any]:
    """The statements one anonymous JSON create runs, as the raw-SQL baseline must mirror."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.post("/api/v1/aspirations", data=body, content_type="application/json")  # warm caches
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/api/v1/aspirations", data=body, content_type="application/json")
    return {
        "status": response.status_code,
        "body": response.json(),
        "queries": [q["sql"] for q in captured.captured_queries],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--rows", type=int, required=True)
    sub.add_parser("probe")
    cap = sub.add_parser("capture-create")
    cap.add_argument("--body", required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    _setup_django()
    if args.command == "generate":
        result = generate(args.rows)
    elif args.command == "probe":
        result = probe()
    else:
        result = capture_create(json.loads(args.body))
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
