"""Demo data for the ppid app, created by `seed-demo` inside its transaction.

The PPID sits in Diskominfo; its head is the atasan PPID. A year of information requests (56)
is filed by demo citizens (warga1-3 among them) and walked through the real services, so every
number, event and audit entry is what the desk would have produced: requests still received or
in process, one extended and still open, two past their deadline (the sweep flags them and they
show on the desk and the wall), withdrawn ones, answers of every kind (granted, partly granted
and refused with a Pasal 17 exemption and a consequence test, not held, forwarded), some
answered late, some after an extension, with documents delivered; objections answered (upheld
and rejected), one pending, one taken to the Komisi Informasi. Answered requests whose objection
window has passed are closed by the sweep, as in production. The DIP gets 24 entries in the four
categories; nine carry small generated PDFs whose text (read back by pypdf) is searchable.

Notifications the services queue along the way are removed: nobody should be e-mailed about a
simulated year.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from terang.core.calendar import add_working_days, is_working_day
from terang.core.models import Agency, Notification, User
from terang.ppid import services
from terang.ppid.documents import minimal_pdf
from terang.ppid.models import (
    DipDocument,
    DipEntry,
    InformationRequest,
    Objection,
    PpidSettings,
    RegisterCounter,
    RequestEvent,
    RequestFile,
)

from . import catalog
from .accounts import Accounts
from .city import City

AGENCY = "DISKOMINFO"
REQUESTS = 56
TZ = ZoneInfo(catalog.CITY_TIMEZONE)

CONSEQUENCE = {
    "h": (
        "Uji konsekuensi: membuka data ini mengungkap nama, NIK, alamat dan kondisi ekonomi "
        "warga penerima bantuan (rahasia pribadi, Pasal 17 huruf h). Kerugian bagi mereka, "
        "termasuk stigma dan risiko penyalahgunaan data, lebih besar daripada manfaat bagi "
        "publik; rekapitulasi jumlah penerima per kelurahan tetap diberikan."
    ),
    "a": (
        "Uji konsekuensi: dokumen pemeriksaan masih menjadi bagian proses penegakan Perda yang "
        "belum selesai (Pasal 17 huruf a). Membukanya sekarang dapat menghambat pemeriksaan; "
        "hasil akhir akan diumumkan setelah putusan."
    ),
    "i": (
        "Uji konsekuensi: telaahan staf internal yang belum menjadi keputusan (Pasal 17 huruf "
        "i). Membukanya dapat mengganggu proses perumusan kebijakan; keputusan akhirnya "
        "tersedia di DIP."
    ),
}

# information requested, purpose, the answer it usually gets, exemption when refused
TOPICS: list[tuple[str, str, str, str]] = [
    (
        "Salinan DPA Dinas PUPR tahun anggaran 2025 untuk program pemeliharaan jalan",
        "Kajian anggaran oleh forum warga",
        "granted",
        "",
    ),
    (
        "Laporan Kinerja Instansi Pemerintah (LKjIP) Dinas Kesehatan tahun 2024",
        "Bahan skripsi tentang kinerja layanan kesehatan",
        "granted",
        "",
    ),
    (
        "Daftar nama dan alamat penerima bantuan sosial di Kelurahan Sukamaju",
        "Memeriksa ketepatan sasaran bantuan",
        "refused",
        "h",
    ),
    (
        "Rekapitulasi jumlah penerima bantuan sosial per kelurahan tahun 2025",
        "Liputan media lokal",
        "granted",
        "",
    ),
    (
        "Kontrak dan addendum pekerjaan normalisasi saluran drainase Jl. Merdeka",
        "Pengawasan oleh LSM antikorupsi",
        "partly_granted",
        "h",
    ),
    (
        "Data titik rawan banjir dan peta genangan musim hujan 2025",
        "Perencanaan kegiatan relawan kebencanaan",
        "granted",
        "",
    ),
    (
        "Berita acara pemeriksaan penertiban pedagang kaki lima pasar lama",
        "Pembelaan pedagang yang ditertibkan",
        "refused",
        "a",
    ),
    (
        "Data kualitas air sungai hasil pemantauan DLH semester I 2025",
        "Penelitian kualitas lingkungan",
        "granted",
        "",
    ),
    (
        "Jumlah pengaduan layanan air minum PDAM per bulan tahun 2025",
        "Advokasi konsumen",
        "forwarded",
        "",
    ),
    (
        "Sertifikat tanah lokasi pembangunan puskesmas baru",
        "Memastikan status lahan",
        "forwarded",
        "",
    ),
    (
        "Hasil seleksi penerimaan peserta didik baru SD negeri zonasi 2025",
        "Memahami hasil seleksi anak saya",
        "granted",
        "",
    ),
    (
        "Telaahan staf rencana relokasi terminal angkutan kota",
        "Kajian transportasi",
        "refused",
        "i",
    ),
    ("Laporan realisasi APBD semester I tahun 2025", "Bahan diskusi publik", "granted", ""),
    (
        "Daftar izin PBG yang terbit di Kecamatan Timur tahun 2025",
        "Pengawasan tata ruang",
        "partly_granted",
        "h",
    ),
    (
        "Notulen rapat koordinasi penanganan sampah dengan kecamatan",
        "Advokasi pengelolaan sampah",
        "not_held",
        "",
    ),
    (
        "Data jumlah kendaraan dinas dan biaya pemeliharaannya tahun 2024",
        "Riset efisiensi belanja",
        "granted",
        "",
    ),
    (
        "Standar operasional prosedur pelayanan akta kelahiran",
        "Mendampingi warga mengurus dokumen",
        "granted",
        "",
    ),
    ("Laporan hasil pemeriksaan BPK atas LKPD 2024", "Kajian akuntabilitas", "granted", ""),
    (
        "Data penggunaan dana BOS sekolah dasar negeri tahun 2025",
        "Pengawasan komite sekolah",
        "forwarded",
        "",
    ),
    ("Rencana pembangunan ruang terbuka hijau 2026", "Usulan warga RW 05", "not_held", ""),
]
NAMED_OUTCOMES = ("granted", "partly_granted", "refused", "not_held", "forwarded")
OCCUPATIONS = (
    "Mahasiswa",
    "Wiraswasta",
    "Karyawan swasta",
    "Guru",
    "Wartawan",
    "Peneliti",
    "Ibu rumah tangga",
    "Pengurus RT",
)
STREETS = ("Jl. Melati", "Jl. Kenanga", "Jl. Merdeka", "Jl. Cempaka", "Jl. Flamboyan")


@dataclass
class Plan:
    """What happens to one demo request."""

    fate: str  # received | in_process | extended_open | breached | withdrawn | answered
    answer_days: int = 0  # working days from filing to the answer
    extended: bool = False
    outcome: str = ""
    objection: str = ""  # "" | pending | upheld | rejected | disputed
    close_by_staff: bool = False


def _at(day: dt.date, rng: random.Random, start: int = 8, end: int = 16) -> dt.datetime:
    moment = dt.datetime.combine(
        day, dt.time(rng.randrange(start, end), rng.randrange(60)), tzinfo=TZ
    )
    return moment.astimezone(dt.UTC)


def _working_day_before(day: dt.date, count: int) -> dt.date:
    """The working day `count` working days before `day`."""
    current = day
    while count:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def _nik(rng: random.Random, *, woman: bool) -> str:
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 44))
    day = born.day + (40 if woman else 0)
    region = catalog.REGION_CODE.replace(".", "")
    return f"{region}{rng.randrange(1, 11):02d}{day:02d}{born:%m%y}{rng.randrange(1, 9999):04d}"


def _outcome(rng: random.Random) -> str:
    return rng.choices(NAMED_OUTCOMES, weights=(45, 15, 10, 12, 18))[0]


def _plans(rng: random.Random) -> list[Plan]:
    """56 fates, newest first (the list index decides the filing date)."""
    plans = [
        Plan("received"),
        Plan("received"),
        Plan("received"),
        Plan("in_process"),
        Plan("in_process"),
        Plan("in_process"),
        Plan("extended_open", extended=True),
        Plan("breached"),
        Plan("breached"),
        Plan("withdrawn"),
        Plan("withdrawn"),
        Plan("withdrawn"),
    ]
    answered = [Plan("answered", answer_days=rng.randrange(2, 10)) for _ in range(33)]
    answered += [Plan("answered", answer_days=rng.randrange(11, 15)) for _ in range(4)]  # late
    answered += [
        Plan("answered", answer_days=rng.randrange(11, 17), extended=True) for _ in range(4)
    ]
    answered += [
        Plan("answered", answer_days=rng.randrange(2, 10), close_by_staff=True) for _ in range(3)
    ]
    rng.shuffle(answered)
    for plan in answered:
        plan.outcome = _outcome(rng)
    # The newest answer draws an objection still within the atasan's 30 working days; older
    # refusals and non-answers draw objections that were answered, one taken further.
    answered[0].outcome, answered[0].objection = "refused", "pending"
    older = answered[12:]
    for plan, (outcome, objection) in zip(
        rng.sample(older, 5),
        [
            ("refused", "disputed"),
            ("partly_granted", "upheld"),
            ("refused", "upheld"),
            ("not_held", "rejected"),
            ("refused", "rejected"),
        ],
        strict=True,
    ):
        plan.outcome, plan.objection, plan.close_by_staff = outcome, objection, False
    return plans + answered


def create(
    city: City, accounts: Accounts, *, now: dt.datetime, rng: random.Random
) -> dict[str, int]:
    """Create the demo rows; return counts by name for the seed summary."""
    rng = random.Random(rng.getrandbits(64))
    first_notification = (
        Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    )
    kominfo = city.agencies[AGENCY]
    PpidSettings.objects.create(
        pk=1,
        agency=kominfo,
        desk_address="Gedung Pelayanan Publik Lt. 1, Jl. Merdeka No. 1, " + catalog.CITY_NAME,
        desk_email=f"ppid@{catalog.DEMO_EMAIL_DOMAIN}",
    )
    officer = accounts.officers[kominfo.pk]
    head = accounts.heads[kominfo.pk]
    requests = _requests(accounts, officer, head, now=now, rng=rng)
    services.sweep_deadlines(now=now - dt.timedelta(minutes=1))
    entries, documents = _dip(city.agencies, officer, now=now, rng=rng)
    Notification.objects.filter(id__gt=first_notification).delete()
    return {
        "information requests": requests,
        "objections": Objection.objects.count(),
        "DIP entries": entries,
        "DIP documents": documents,
    }


def _requests(
    accounts: Accounts, officer: User, head: User, *, now: dt.datetime, rng: random.Random
) -> int:
    today = now.astimezone(TZ).date()
    yesterday = _working_day_before(today, 1)
    citizens = list(accounts.citizens) + list(accounts.pool[:40])
    filed: list[tuple[dt.datetime, Plan, User]] = []
    for index, plan in enumerate(_plans(rng)):
        if plan.fate in ("received", "in_process"):
            day = _working_day_before(today, 1 + index)
        elif plan.fate == "extended_open":
            day = _working_day_before(today, 9)
        elif plan.fate == "breached":
            day = _working_day_before(today, 12 + index)
        else:
            day = today - dt.timedelta(days=16 + int((index - 9) * 6.5) + rng.randrange(4))
            while not is_working_day(day):
                day -= dt.timedelta(days=1)
        requester = accounts.citizens[index % 3] if index % 7 == 0 else rng.choice(citizens)
        filed.append((_at(day, rng), plan, requester))
    filed.sort(key=lambda item: item[0])
    created = [(_submit(requester, at, plan, rng), plan) for at, plan, requester in filed]
    for request, plan in created:
        _walk(request, plan, officer, head, yesterday=yesterday, now=now, rng=rng)
    return len(created)


def _submit(requester: User, at: dt.datetime, plan: Plan, rng: random.Random) -> InformationRequest:
    topics = [topic for topic in TOPICS if not plan.outcome or topic[2] == plan.outcome]
    information, purpose, _outcome, _exemption = rng.choice(topics)
    organisation = rng.random() < 0.08
    form = services.RequestForm(
        requester_name=requester.full_name,
        identity_number=_nik(rng, woman=rng.random() < 0.5),
        address=f"{rng.choice(STREETS)} No. {rng.randrange(1, 120)}, {catalog.CITY_NAME}",
        phone=f"08{rng.randrange(11, 99)}{rng.randrange(10_000_000, 99_999_999)}",
        email=requester.email or "",
        occupation=rng.choice(OCCUPATIONS),
        purpose=purpose,
        information_requested=information,
        preferred_format=rng.choice(["softcopy", "softcopy", "hardcopy", "view"]),
        delivery=rng.choice(["email", "email", "pickup", "post"]),
        requester_kind="organisation" if organisation else "individual",
        organisation_name="Forum Warga Peduli Anggaran" if organisation else "",
        legal_entity_document=(
            SimpleUploadedFile(
                "akta-pendirian.pdf",
                minimal_pdf(
                    [
                        "Akta Pendirian Perkumpulan Forum Warga Peduli Anggaran",
                        "Pengesahan Menteri Hukum dan HAM",
                    ]
                ),
                content_type="application/pdf",
            )
            if organisation
            else None
        ),
    )
    return services.submit_request(actor=requester, form=form, at=at)


def _topic_of(request: InformationRequest) -> tuple[str, str]:
    for information, _purpose, outcome, exemption in TOPICS:
        if information == request.information_requested:
            return outcome, exemption
    return "granted", ""


def _day_after(at: dt.datetime, days: int, rng: random.Random, *, latest: dt.date) -> dt.datetime:
    local = at.astimezone(TZ).date()
    day = min(add_working_days(local, days), latest)
    moment = _at(day, rng, 9, 15)
    return max(moment, at + dt.timedelta(minutes=30))


def _walk(
    request: InformationRequest,
    plan: Plan,
    officer: User,
    head: User,
    *,
    yesterday: dt.date,
    now: dt.datetime,
    rng: random.Random,
) -> None:
    at = request.submitted_at
    if plan.fate == "received":
        return
    if plan.fate == "withdrawn":
        services.withdraw_request(
            actor=request.requester or officer,
            request=request,
            reason="Informasi sudah saya peroleh dari situs web kota.",
            at=_day_after(at, 1, rng, latest=yesterday),
        )
        return
    step = _day_after(at, 1, rng, latest=yesterday)
    if step < now:
        services.start_processing(
            actor=officer, request=request, note="Diteruskan ke OPD pemilik informasi.", at=step
        )
    if plan.extended:
        services.extend_request(
            actor=officer,
            request=request,
            reason="Informasi tersebar di beberapa OPD dan perlu dihimpun serta dipilah.",
            at=_day_after(at, 8, rng, latest=yesterday),
        )
    if plan.fate in ("in_process", "extended_open", "breached"):
        return
    outcome, exemption = _topic_of(request)
    answered_at = _day_after(at, plan.answer_days, rng, latest=yesterday)
    documents = []
    if outcome in ("granted", "partly_granted") and rng.random() < 0.4:
        documents = [
            SimpleUploadedFile(
                "salinan-informasi.pdf",
                minimal_pdf(
                    [
                        f"Salinan informasi untuk permohonan {request.register_number}",
                        request.information_requested[:90],
                    ]
                ),
                content_type="application/pdf",
            )
        ]
    services.answer_request(
        actor=officer,
        request=request,
        answer=services.Answer(
            outcome=outcome,
            text=_answer_text(outcome),
            exemption=exemption,
            legal_basis="UU 14/2008 Pasal 17" if exemption else "",
            consequence_test=CONSEQUENCE.get(exemption, ""),
            forwarded_to=(
                "Perumda Air Minum Tirta Contoh"
                if "PDAM" in request.information_requested
                else "Kantor Pertanahan " + catalog.CITY_NAME
                if "tanah" in request.information_requested
                else "Dinas Pendidikan Provinsi"
            )
            if outcome == "forwarded"
            else "",
            documents=documents,
        ),
        at=answered_at,
    )
    if outcome in ("granted", "partly_granted") and not documents and rng.random() < 0.5:
        services.deliver_documents(
            actor=officer,
            request=request,
            files=[],
            note="Salinan cetak diambil langsung oleh pemohon di meja PPID.",
            at=_day_after(answered_at, 1, rng, latest=yesterday),
        )
    if plan.objection:
        _object(request, plan.objection, head, officer, answered_at, yesterday=yesterday, rng=rng)
    elif plan.close_by_staff:
        services.close_request(
            actor=officer,
            request=request,
            note="Informasi telah diterima.",
            at=_day_after(answered_at, 2, rng, latest=yesterday),
        )


def _answer_text(outcome: str) -> str:
    return {
        "granted": "Informasi yang Saudara minta kami berikan seluruhnya sesuai bentuk yang "
        "dipilih.",
        "partly_granted": "Sebagian informasi kami berikan; bagian yang memuat data pribadi "
        "dihitamkan sesuai Pasal 17 UU 14/2008.",
        "refused": "Informasi yang diminta termasuk informasi yang dikecualikan.",
        "not_held": "Informasi yang diminta tidak dikuasai oleh Pemerintah Kota.",
        "forwarded": "Informasi dikuasai badan publik lain; permohonan kami teruskan.",
    }[outcome]


def _object(
    request: InformationRequest,
    kind: str,
    head: User,
    officer: User,
    answered_at: dt.datetime,
    *,
    yesterday: dt.date,
    rng: random.Random,
) -> None:
    grounds = ["a"] if request.outcome == "refused" else ["d", "e"]
    filed_at = _day_after(answered_at, rng.randrange(2, 8), rng, latest=yesterday)
    objection = services.file_objection(
        actor=request.requester or officer,
        request=request,
        grounds=grounds,
        statement="Saya keberatan: informasi ini menyangkut kepentingan publik dan seharusnya "
        "dapat diberikan, setidaknya sebagian.",
        at=filed_at,
    )
    if kind == "pending":
        return
    answered = _day_after(filed_at, rng.randrange(8, 25), rng, latest=yesterday)
    outcome = "upheld" if kind == "upheld" else "rejected"
    services.answer_objection(
        actor=head,
        objection=objection,
        outcome=outcome,
        text=(
            "Keberatan diterima. PPID diperintahkan memberikan informasi dengan menghitamkan "
            "data pribadi."
            if outcome == "upheld"
            else "Keberatan ditolak. Atasan PPID menguatkan jawaban PPID dan uji konsekuensinya."
        ),
        at=answered,
    )
    if kind == "disputed":
        recorded = _day_after(answered, 9, rng, latest=yesterday)
        services.record_dispute(
            actor=officer,
            objection=objection,
            reference=f"{rng.randrange(10, 99):03d}/REG-PSI/{recorded:%m}/{recorded:%Y}",
            filed_on=answered.astimezone(TZ).date() + dt.timedelta(days=7),
            note="Pemohon mengajukan sengketa informasi ke Komisi Informasi Provinsi.",
            at=recorded,
        )


# category, title, summary, agency code, official, produced when, retention, exemption,
# document kind and lines (empty: no document)
DIP_ENTRIES: list[tuple[str, str, str, str, str, str, str, str, str, list[str]]] = [
    (
        "berkala",
        "Peraturan Daerah tentang APBD Tahun Anggaran 2026",
        "Perda APBD 2026 beserta lampiran ringkasan pendapatan, belanja dan pembiayaan.",
        "SETDA",
        "Sekretaris Daerah",
        "Desember 2025",
        "Permanen",
        "",
        "budget",
        [
            "Peraturan Daerah Kota Contoh Nomor 12 Tahun 2025",
            "Anggaran Pendapatan dan Belanja Daerah Tahun Anggaran 2026",
            "Pendapatan daerah Rp 4,8 triliun; belanja daerah Rp 5,1 triliun",
            "Pembiayaan netto menutup defisit",
        ],
    ),
    (
        "berkala",
        "Laporan Kinerja Instansi Pemerintah Diskominfo 2025",
        "Capaian indikator kinerja utama Diskominfo tahun 2025.",
        "DISKOMINFO",
        "Kepala Dinas Komunikasi dan Informatika",
        "Februari 2026",
        "10 tahun",
        "",
        "performance",
        [
            "LKjIP Dinas Komunikasi dan Informatika Tahun 2025",
            "Indikator kinerja utama: indeks SPBE 3,4 (target 3,2)",
            "Persentase layanan informasi dijawab tepat waktu 94 persen",
            "Realisasi anggaran 96,2 persen",
        ],
    ),
    (
        "berkala",
        "Laporan Kinerja Instansi Pemerintah Dinas PUPR 2025",
        "Capaian kinerja pembangunan dan pemeliharaan jalan, jembatan dan drainase.",
        "PUPR",
        "Kepala Dinas PUPR",
        "Februari 2026",
        "10 tahun",
        "",
        "performance",
        [
            "LKjIP Dinas Pekerjaan Umum dan Penataan Ruang 2025",
            "Panjang jalan kondisi mantap 91,4 persen",
            "Normalisasi saluran drainase 38 kilometer",
            "Realisasi fisik 98 persen",
        ],
    ),
    (
        "berkala",
        "Laporan Kinerja Instansi Pemerintah Dinas Kesehatan 2025",
        "Capaian kinerja layanan kesehatan dasar dan rujukan.",
        "DINKES",
        "Kepala Dinas Kesehatan",
        "Februari 2026",
        "10 tahun",
        "",
        "performance",
        [
            "LKjIP Dinas Kesehatan 2025",
            "Cakupan imunisasi dasar lengkap 96 persen",
            "Prevalensi stunting turun menjadi 12,8 persen",
            "Puskesmas terakreditasi paripurna 9",
        ],
    ),
    (
        "berkala",
        "Laporan Realisasi Anggaran Semester I 2025",
        "Realisasi pendapatan dan belanja daerah per 30 Juni 2025.",
        "SETDA",
        "Sekretaris Daerah",
        "Juli 2025",
        "Permanen",
        "",
        "budget",
        [
            "Laporan Realisasi Semester Pertama APBD 2025",
            "Realisasi pendapatan 47,3 persen",
            "Realisasi belanja 41,8 persen",
            "Prognosis enam bulan berikutnya",
        ],
    ),
    (
        "berkala",
        "Rencana Pembangunan Jangka Menengah Daerah 2025-2029",
        "Visi, misi, sasaran dan program prioritas lima tahun.",
        "SETDA",
        "Sekretaris Daerah",
        "Juni 2025",
        "Permanen",
        "",
        "regulation",
        [
            "Peraturan Daerah tentang RPJMD 2025-2029",
            "Visi: kota yang terang, sehat dan berkelanjutan",
            "Program prioritas: transportasi massal, pengendalian banjir",
        ],
    ),
    (
        "berkala",
        "Laporan Layanan Informasi Publik Tahun 2025",
        "Laporan tahunan PPID: jumlah permohonan, jawaban, keberatan dan sengketa.",
        "DISKOMINFO",
        "PPID Utama",
        "Januari 2026",
        "5 tahun",
        "",
        "report",
        [
            "Laporan Tahunan Layanan Informasi Publik 2025",
            "Permohonan diterima, dikabulkan, ditolak dengan uji konsekuensi",
            "Keberatan dan sengketa informasi",
        ],
    ),
    (
        "berkala",
        "Profil dan struktur organisasi perangkat daerah",
        "Tugas, fungsi dan struktur organisasi seluruh OPD.",
        "SETDA-UMUM",
        "Kepala Bagian Organisasi",
        "Januari 2026",
        "Selama berlaku",
        "",
        "",
        [],
    ),
    (
        "berkala",
        "Laporan Keuangan Pemerintah Daerah 2024 (audited)",
        "LKPD 2024 yang telah diperiksa BPK dengan opini WTP.",
        "SETDA",
        "Sekretaris Daerah",
        "Mei 2025",
        "Permanen",
        "",
        "",
        [],
    ),
    (
        "serta_merta",
        "Peringatan dini banjir dan jalur evakuasi",
        "Peta genangan, titik pengungsian dan jalur evakuasi saat hujan lebat.",
        "BPBD",
        "Kepala Pelaksana BPBD",
        "Setiap kejadian",
        "5 tahun",
        "",
        "report",
        [
            "Peta jalur evakuasi banjir Kota Contoh",
            "Titik pengungsian: GOR, masjid raya, sekolah",
            "Nomor darurat 112",
        ],
    ),
    (
        "serta_merta",
        "Informasi kualitas udara (ISPU) harian",
        "Indeks Standar Pencemar Udara per stasiun, diperbarui setiap jam.",
        "DLH",
        "Kepala Dinas Lingkungan Hidup",
        "Setiap jam",
        "2 tahun",
        "",
        "",
        [],
    ),
    (
        "serta_merta",
        "Kewaspadaan demam berdarah dengue",
        "Jumlah kasus DBD per kecamatan dan langkah pencegahan 3M plus.",
        "DINKES",
        "Kepala Dinas Kesehatan",
        "Setiap pekan saat musim hujan",
        "5 tahun",
        "",
        "",
        [],
    ),
    (
        "serta_merta",
        "Gangguan layanan air minum",
        "Jadwal gangguan dan perbaikan jaringan distribusi air minum.",
        "PDAM",
        "Direktur Utama Perumda Air Minum",
        "Setiap kejadian",
        "2 tahun",
        "",
        "",
        [],
    ),
    (
        "setiap_saat",
        "Daftar Informasi Publik Pemerintah Kota",
        "Seluruh informasi yang dikuasai dan dapat diminta.",
        "DISKOMINFO",
        "PPID Utama",
        "Diperbarui setiap triwulan",
        "Selama berlaku",
        "",
        "",
        [],
    ),
    (
        "setiap_saat",
        "Standar pelayanan perizinan PBG dan izin usaha",
        "Persyaratan, prosedur, waktu dan biaya pelayanan perizinan.",
        "DPMPTSP",
        "Kepala DPMPTSP",
        "Januari 2026",
        "Selama berlaku",
        "",
        "procedure",
        [
            "Standar Pelayanan Persetujuan Bangunan Gedung",
            "Waktu penyelesaian 28 hari kerja",
            "Biaya sesuai retribusi daerah",
        ],
    ),
    (
        "setiap_saat",
        "Daftar aset dan barang milik daerah",
        "Kartu inventaris barang per OPD.",
        "SETDA",
        "Sekretaris Daerah",
        "Desember 2025",
        "Permanen",
        "",
        "",
        [],
    ),
    (
        "setiap_saat",
        "Kontrak pengadaan barang dan jasa di atas Rp 200 juta",
        "Kontrak, addendum dan berita acara serah terima pekerjaan.",
        "SETDA-UMUM",
        "Kepala Bagian Pengadaan",
        "Setiap kontrak",
        "10 tahun",
        "",
        "",
        [],
    ),
    (
        "setiap_saat",
        "Data penerima bantuan sosial (rekapitulasi per kelurahan)",
        "Jumlah penerima bantuan sosial per kelurahan tanpa data pribadi.",
        "DINSOS",
        "Kepala Dinas Sosial",
        "Setiap semester",
        "5 tahun",
        "",
        "",
        [],
    ),
    (
        "setiap_saat",
        "SOP pelayanan administrasi kependudukan",
        "Standar operasional prosedur KTP-el, KK dan akta.",
        "DISDUKCAPIL",
        "Kepala Disdukcapil",
        "Maret 2025",
        "Selama berlaku",
        "",
        "procedure",
        [
            "SOP Pelayanan Akta Kelahiran",
            "Persyaratan: surat keterangan lahir, KK, KTP orang tua",
            "Selesai satu hari kerja tanpa biaya",
        ],
    ),
    (
        "setiap_saat",
        "Rencana kerja dan anggaran Dinas Perhubungan 2026",
        "RKA program angkutan umum dan keselamatan lalu lintas.",
        "DISHUB",
        "Kepala Dinas Perhubungan",
        "Oktober 2025",
        "10 tahun",
        "",
        "",
        [],
    ),
    (
        "dikecualikan",
        "Data pribadi penerima bantuan sosial",
        "Nama, NIK, alamat dan kondisi ekonomi penerima bantuan.",
        "DINSOS",
        "Kepala Dinas Sosial",
        "Setiap semester",
        "5 tahun",
        "h",
        "",
        [],
    ),
    (
        "dikecualikan",
        "Berkas pemeriksaan pelanggaran Perda yang sedang berjalan",
        "Berita acara pemeriksaan dan bukti dalam proses penegakan Perda.",
        "SATPOLPP",
        "Kepala Satpol PP",
        "Setiap perkara",
        "Sampai perkara selesai",
        "a",
        "",
        [],
    ),
    (
        "dikecualikan",
        "Rekam medis pasien puskesmas",
        "Catatan medis pasien layanan kesehatan daerah.",
        "DINKES",
        "Kepala Dinas Kesehatan",
        "Setiap layanan",
        "25 tahun",
        "h",
        "",
        [],
    ),
    (
        "dikecualikan",
        "Telaahan staf internal yang belum menjadi kebijakan",
        "Memorandum dan telaahan antarperangkat daerah sebelum keputusan diambil.",
        "SETDA",
        "Sekretaris Daerah",
        "Setiap telaahan",
        "5 tahun",
        "i",
        "",
        [],
    ),
]


def _dip(
    agencies: dict[str, Agency], officer: User, *, now: dt.datetime, rng: random.Random
) -> tuple[int, int]:
    documents = 0
    for index, row in enumerate(DIP_ENTRIES):
        (category, title, summary, code, official, when, retention, exemption, kind, lines) = row
        at = now - dt.timedelta(days=200 - index * 7, hours=rng.randrange(6))
        entry = services.create_dip_entry(
            actor=None,
            data=services.DipEntryData(
                category=category,
                title=title,
                summary=summary,
                agency=agencies[code],
                official=official,
                person_in_charge="Sekretaris " + agencies[code].name,
                produced_when=when,
                produced_where=catalog.CITY_NAME,
                retention=retention,
                has_softcopy=True,
                has_hardcopy=category != "serta_merta",
                exemption=exemption,
                legal_basis=(f"UU 14/2008 Pasal 17 huruf {exemption}" if exemption else ""),
                consequence_test=CONSEQUENCE.get(exemption, ""),
                exempt_until=(now + dt.timedelta(days=365 * 5)).date() if exemption else None,
            ),
            at=at,
        )
        if lines:
            services.add_dip_document(
                actor=officer,
                entry=entry,
                file=SimpleUploadedFile(
                    f"dip-{index + 1:02d}.pdf",
                    minimal_pdf(lines, title=title),
                    content_type="application/pdf",
                ),
                title=title,
                kind=kind,
                at=at + dt.timedelta(hours=1),
            )
            documents += 1
    return len(DIP_ENTRIES), documents


def wipe() -> dict[str, int]:
    """Delete the demo rows (called by `seed-demo --reset` before agencies and users go),
    with their stored files."""
    deleted: dict[str, int] = {}
    for file_model in (RequestFile, DipDocument):
        for record in file_model.objects.all().iterator():
            record.file.delete(save=False)
    for name, model in (
        ("request events", RequestEvent),
        ("objections", Objection),
        ("request files", RequestFile),
        ("information requests", InformationRequest),
        ("register counters", RegisterCounter),
        ("DIP documents", DipDocument),
        ("DIP entries", DipEntry),
        ("PPID settings", PpidSettings),
    ):
        deleted[name] = model.objects.all().delete()[0]
    return deleted
