"""Demo data for the budget app, created by `seed-demo` inside its transaction.

Two budget years of the demo city, imported through the real import service (so versions,
code names and audit entries are what an upload would give):

* last year: the APBD murni as imported on 1 October (realisation January to September), then
  the APBD-P imported in January with the full year's realisation; some lines revised up or
  down, a flood-recovery sub kegiatan added; the year is then closed;
* this year: the APBD murni with realisation up to today (this month partly).

Proportions follow a mid-size Indonesian city of about Rp 4-5 trillion: employee spending
(belanja pegawai) around two fifths, goods and services and capital spending the rest, PAD
(own revenue, mostly local taxes) under two fifths of revenue and central transfers most of
the remainder, the deficit closed by last year's SiLPA. Months follow the usual rhythm:
salaries every month with the THR and 13th-month pay in April and June, capital spending
back-loaded into the last quarter, property tax (PBB) peaking at its due date in August and
September. The demo city has no finance agency (BPKAD), so its revenue and financing lines sit
with the Sekretariat Daerah, and only administrators import (BudgetSettings is left empty).
Codes follow the Permendagri 90/2019 patterns; names and numbering below the kelompok level
are illustrative.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from terang.budget import codes
from terang.budget.choices import Scheme, VersionKind, YearStatus
from terang.budget.models import BudgetCode, BudgetLine, BudgetSettings, BudgetVersion, BudgetYear
from terang.budget.services import import_budget, set_budget_year_status

from . import catalog
from .accounts import Accounts
from .city import City

MILLION = 1_000_000
PENUNJANG = "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"
REVENUE_AGENCY = "SETDA"

#: monthly rhythm of realisation, January first (relative weights)
PROFILES: dict[str, tuple[float, ...]] = {
    "salary": (1, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1),
    "goods": (2, 5, 7, 8, 8, 9, 9, 9, 9, 10, 11, 13),
    "capital": (0, 1, 2, 3, 5, 6, 7, 8, 10, 13, 18, 27),
    "grants": (0, 2, 10, 10, 5, 15, 5, 10, 10, 8, 10, 15),
    "tax": (6, 7, 8, 8, 8, 8, 8, 12, 12, 8, 7, 8),
    "even": (1,) * 12,
    "tranche": (0, 0, 3, 0, 0, 0, 4, 0, 0, 3, 0, 0),
    "january": (1,) + (0,) * 11,
    "september": (0,) * 8 + (1, 0, 0, 0),
}
#: the share of the plan realised by year end: (low, high)
FINAL_SHARE: dict[str, tuple[float, float]] = {
    "salary": (0.94, 0.99),
    "goods": (0.82, 0.95),
    "capital": (0.72, 0.93),
    "grants": (0.88, 0.99),
    "tax": (1.00, 1.09),
    "even": (0.96, 1.00),
    "tranche": (0.88, 0.99),
    "january": (0.99, 1.03),
    "september": (1.0, 1.0),
}

ACCOUNTS: dict[str, tuple[str, str]] = {
    # rincian objek: (name, profile)
    "5.1.01.01.01": ("Belanja Gaji Pokok ASN", "salary"),
    "5.1.01.01.02": ("Belanja Tunjangan Keluarga ASN", "salary"),
    "5.1.01.01.03": ("Belanja Tunjangan Jabatan ASN", "salary"),
    "5.1.01.02.01": ("Tambahan Penghasilan berdasarkan Beban Kerja ASN", "salary"),
    "5.1.02.01.01": ("Belanja Barang Pakai Habis", "goods"),
    "5.1.02.02.01": ("Belanja Jasa Kantor", "goods"),
    "5.1.02.02.02": ("Belanja Iuran Jaminan Kesehatan bagi Peserta PBI", "even"),
    "5.1.02.02.12": ("Belanja Jasa Konsultansi", "goods"),
    "5.1.02.03.02": ("Belanja Pemeliharaan Peralatan dan Mesin", "goods"),
    "5.1.02.03.03": ("Belanja Pemeliharaan Jalan dan Jembatan", "goods"),
    "5.1.02.04.01": ("Belanja Perjalanan Dinas Dalam Negeri", "goods"),
    "5.1.05.05.01": (
        "Belanja Hibah kepada Badan, Lembaga, Organisasi Kemasyarakatan yang Berbadan Hukum",
        "grants",
    ),
    "5.1.06.01.01": ("Belanja Bantuan Sosial kepada Individu", "grants"),
    "5.2.02.02.04": ("Belanja Modal Kendaraan Bermotor Khusus", "capital"),
    "5.2.02.05.01": ("Belanja Modal Alat Kantor", "capital"),
    "5.2.02.07.01": ("Belanja Modal Alat Kedokteran", "capital"),
    "5.2.02.10.01": ("Belanja Modal Komputer Unit", "capital"),
    "5.2.03.01.01": ("Belanja Modal Bangunan Gedung Kantor", "capital"),
    "5.2.03.01.03": ("Belanja Modal Bangunan Gedung Tempat Pendidikan", "capital"),
    "5.2.03.01.04": ("Belanja Modal Bangunan Gedung Tempat Pelayanan Kesehatan", "capital"),
    "5.2.03.01.05": ("Belanja Modal Bangunan Gedung Pasar", "capital"),
    "5.2.04.01.01": ("Belanja Modal Jalan Kota", "capital"),
    "5.2.04.02.01": ("Belanja Modal Saluran Drainase", "capital"),
    "4.1.01.06.01": ("Pajak Hotel", "tax"),
    "4.1.01.07.01": ("Pajak Restoran", "tax"),
    "4.1.01.09.01": ("Pajak Reklame Papan/Billboard/Videotron/Megatron", "tax"),
    "4.1.01.10.01": ("Pajak Penerangan Jalan", "tax"),
    "4.1.01.15.01": ("Pajak Bumi dan Bangunan Perdesaan dan Perkotaan (PBB-P2)", "tax"),
    "4.1.01.16.01": ("Bea Perolehan Hak atas Tanah dan Bangunan (BPHTB)", "tax"),
    "4.1.02.01.01": ("Retribusi Pelayanan Kesehatan di Puskesmas", "even"),
    "4.1.02.01.02": ("Retribusi Pelayanan Persampahan/Kebersihan", "even"),
    "4.1.02.01.03": ("Retribusi Pelayanan Pasar", "even"),
    "4.1.02.01.04": ("Retribusi Pemeriksaan Alat Pemadam Kebakaran", "even"),
    "4.1.02.01.05": ("Retribusi Pelayanan Parkir di Tepi Jalan Umum", "even"),
    "4.1.02.03.01": ("Retribusi Persetujuan Bangunan Gedung", "even"),
    "4.1.03.01.01": ("Bagian Laba atas Penyertaan Modal pada BUMD Air Minum", "september"),
    "4.1.04.05.01": ("Jasa Giro Kas Daerah", "even"),
    "4.2.01.01.01": ("Dana Bagi Hasil Pajak", "tranche"),
    "4.2.01.01.02": ("Dana Alokasi Umum (DAU)", "even"),
    "4.2.01.01.03": ("Dana Alokasi Khusus (DAK) Fisik", "tranche"),
    "4.2.01.01.04": ("Dana Alokasi Khusus (DAK) Non Fisik", "tranche"),
    "4.2.02.01.01": ("Pendapatan Bagi Hasil Pajak dari Pemerintah Provinsi", "tranche"),
    "4.3.01.01.01": ("Pendapatan Hibah dari Pemerintah Pusat", "tranche"),
    "6.1.01.01.01": ("Sisa Lebih Perhitungan Anggaran Tahun Sebelumnya", "january"),
    "6.2.02.01.01": ("Penyertaan Modal Daerah pada BUMD Air Minum", "september"),
}
PARENT_NAMES: dict[str, str] = {
    "4.1.03": "Hasil Pengelolaan Kekayaan Daerah yang Dipisahkan",
    "4.1.04": "Lain-lain PAD yang Sah",
    "4.2.01": "Pendapatan Transfer Pemerintah Pusat",
    "4.2.02": "Pendapatan Transfer Antar Daerah",
    "4.3.01": "Pendapatan Hibah",
    "6.2.02": "Penyertaan Modal Daerah",
    "4.1.01.06": "Pajak Hotel",
    "4.1.01.07": "Pajak Restoran",
    "4.1.01.09": "Pajak Reklame",
    "4.1.01.10": "Pajak Penerangan Jalan",
    "4.1.01.15": "Pajak Bumi dan Bangunan Perdesaan dan Perkotaan",
    "4.1.01.16": "Bea Perolehan Hak atas Tanah dan Bangunan",
    "4.1.02.01": "Retribusi Jasa Umum",
    "4.1.02.03": "Retribusi Perizinan Tertentu",
    "4.1.03.01": "Bagian Laba atas Penyertaan Modal pada BUMD",
    "4.1.04.05": "Jasa Giro",
    "4.2.01.01": "Dana Perimbangan",
    "4.2.02.01": "Pendapatan Bagi Hasil",
    "4.3.01.01": "Pendapatan Hibah dari Pemerintah Pusat",
    "5.1.01.01": "Belanja Gaji dan Tunjangan ASN",
    "5.1.01.02": "Belanja Tambahan Penghasilan ASN",
    "5.1.02.01": "Belanja Barang",
    "5.1.02.02": "Belanja Jasa",
    "5.1.02.03": "Belanja Pemeliharaan",
    "5.1.02.04": "Belanja Perjalanan Dinas",
    "5.1.05.05": "Belanja Hibah kepada Badan, Lembaga, Organisasi Kemasyarakatan",
    "5.1.06.01": "Belanja Bantuan Sosial kepada Individu",
    "5.2.02.02": "Belanja Modal Alat Angkutan",
    "5.2.02.05": "Belanja Modal Alat Kantor dan Rumah Tangga",
    "5.2.02.07": "Belanja Modal Alat Kedokteran dan Kesehatan",
    "5.2.02.10": "Belanja Modal Komputer",
    "5.2.03.01": "Belanja Modal Bangunan Gedung",
    "5.2.04.01": "Belanja Modal Jalan dan Jembatan",
    "5.2.04.02": "Belanja Modal Bangunan Air",
    "6.1.01.01": "Sisa Lebih Perhitungan Anggaran Tahun Sebelumnya",
    "6.2.02.01": "Penyertaan Modal Daerah pada BUMD",
}

Sub = tuple[str, str, dict[str, int]]  # sub kegiatan suffix, name, {account: Rp million}
Activity = tuple[str, str, list[Sub]]  # kegiatan suffix "2.01", name, subs
Program = tuple[str, str, list[Activity]]  # program suffix "02", name, activities

# agency: (bidang code, bidang name, annual employee spending in Rp million, programs)
# fmt: off
AGENCIES: dict[str, tuple[str, str, int, list[Program]]] = {
    "DISDIK": ("1.01", "PENDIDIKAN", 950_000, [
        ("02", "PROGRAM PENGELOLAAN PENDIDIKAN", [
            ("2.01", "Pengelolaan Pendidikan Sekolah Dasar", [
                ("0001", "Pembangunan Unit Sekolah Baru (USB)", {"5.2.03.01.03": 95_000}),
                ("0009", "Rehabilitasi Sedang/Berat Ruang Kelas Sekolah",
                 {"5.2.03.01.03": 70_000, "5.1.02.02.12": 4_000}),
                ("0025", "Pengelolaan Dana BOS Sekolah Dasar",
                 {"5.1.02.01.01": 85_000, "5.1.02.02.01": 30_000}),
            ]),
            ("2.02", "Pengelolaan Pendidikan Sekolah Menengah Pertama", [
                ("0024", "Pengadaan Perlengkapan Sekolah",
                 {"5.2.02.05.01": 28_000, "5.2.02.10.01": 18_000}),
                ("0025", "Pengelolaan Dana BOS Sekolah Menengah Pertama",
                 {"5.1.02.01.01": 60_000, "5.1.02.02.01": 22_000}),
            ]),
        ]),
    ]),
    "DINKES": ("1.02", "KESEHATAN", 420_000, [
        ("02", "PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT", [
            ("2.01", "Penyediaan Fasilitas Pelayanan Kesehatan untuk UKM dan UKP Kewenangan "
             "Daerah Kabupaten/Kota", [
                ("0001", "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya",
                 {"5.2.03.01.04": 140_000, "5.1.02.02.12": 6_000}),
                ("0003", "Pembangunan Puskesmas", {"5.2.03.01.04": 42_000}),
                ("0014", "Pengadaan Alat Kesehatan/Alat Penunjang Medik Fasilitas Pelayanan "
                 "Kesehatan", {"5.2.02.07.01": 35_000}),
            ]),
            ("2.02", "Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan Tingkat Daerah "
             "Kabupaten/Kota", [
                ("0001", "Pengelolaan Pelayanan Kesehatan Ibu Hamil",
                 {"5.1.02.01.01": 7_000, "5.1.02.02.01": 5_000}),
                ("0038", "Pengelolaan Jaminan Kesehatan Masyarakat", {"5.1.02.02.02": 185_000}),
            ]),
        ]),
    ]),
    "PUPR": ("1.03", "PEKERJAAN UMUM DAN PENATAAN RUANG", 85_000, [
        ("03", "PROGRAM PENGELOLAAN DAN PENGEMBANGAN SISTEM DRAINASE", [
            ("2.01", "Pengelolaan dan Pengembangan Sistem Drainase yang Terhubung Langsung "
             "dengan Sungai dalam Daerah Kabupaten/Kota", [
                ("0001", "Pembangunan Sistem Drainase Perkotaan",
                 {"5.2.04.02.01": 180_000, "5.1.02.02.12": 9_000}),
                ("0004", "Pemeliharaan Sistem Drainase Perkotaan",
                 {"5.1.02.02.01": 24_000, "5.1.02.01.01": 6_000}),
            ]),
        ]),
        ("10", "PROGRAM PENYELENGGARAAN JALAN", [
            ("2.01", "Penyelenggaraan Jalan Kabupaten/Kota", [
                ("0007", "Rekonstruksi Jalan", {"5.2.04.01.01": 290_000, "5.1.02.02.12": 12_000}),
                ("0012", "Pemeliharaan Rutin Jalan", {"5.1.02.03.03": 85_000}),
            ]),
        ]),
        ("15", "PROGRAM PENATAAN BANGUNAN DAN LINGKUNGANNYA", [
            ("2.01", "Penyelenggaraan Penataan Bangunan dan Lingkungannya di Kabupaten/Kota", [
                ("0002", "Penyusunan Rencana Tata Bangunan dan Lingkungan",
                 {"5.1.02.02.12": 7_000}),
            ]),
        ]),
    ]),
    "DISPERKIM": ("1.04", "PERUMAHAN DAN KAWASAN PERMUKIMAN", 30_000, [
        ("02", "PROGRAM PENGEMBANGAN PERUMAHAN", [
            ("2.01", "Pendataan Penyediaan dan Rehabilitasi Rumah Korban Bencana atau Relokasi "
             "Program Kabupaten/Kota", [
                ("0005", "Rehabilitasi Rumah Tidak Layak Huni", {"5.1.06.01.01": 42_000}),
            ]),
        ]),
        ("04", "PROGRAM PENINGKATAN PRASARANA, SARANA DAN UTILITAS UMUM (PSU)", [
            ("2.01", "Urusan Penyelenggaraan PSU Perumahan", [
                ("0003", "Pembangunan Jalan Lingkungan Permukiman", {"5.2.04.01.01": 65_000}),
            ]),
        ]),
    ]),
    "SATPOLPP": ("1.05", "KETENTERAMAN DAN KETERTIBAN UMUM SERTA PERLINDUNGAN MASYARAKAT",
                 55_000, [
        ("02", "PROGRAM PENINGKATAN KETENTERAMAN DAN KETERTIBAN UMUM", [
            ("2.01", "Penanganan Gangguan Ketenteraman dan Ketertiban Umum dalam 1 (Satu) "
             "Daerah Kabupaten/Kota", [
                ("0001", "Penanganan Gangguan Ketenteraman dan Ketertiban Umum",
                 {"5.1.02.01.01": 6_000, "5.1.02.02.01": 5_500, "5.1.02.04.01": 1_500}),
            ]),
        ]),
    ]),
    "BPBD": ("1.05", "KETENTERAMAN DAN KETERTIBAN UMUM SERTA PERLINDUNGAN MASYARAKAT", 15_000, [
        ("03", "PROGRAM PENANGGULANGAN BENCANA", [
            ("2.01", "Pelayanan Informasi Rawan Bencana Kabupaten/Kota", [
                ("0001", "Penyediaan Informasi Rawan Bencana",
                 {"5.1.02.02.01": 3_000, "5.2.02.10.01": 2_500}),
            ]),
            ("2.03", "Pelayanan Penyelamatan dan Evakuasi Korban Bencana Kabupaten/Kota", [
                ("0002", "Penyediaan Logistik Penyelamatan dan Evakuasi Korban Bencana",
                 {"5.1.02.01.01": 6_500}),
            ]),
        ]),
    ]),
    "DAMKAR": ("1.05", "KETENTERAMAN DAN KETERTIBAN UMUM SERTA PERLINDUNGAN MASYARAKAT", 35_000, [
        ("04", "PROGRAM PENCEGAHAN, PENANGGULANGAN, PENYELAMATAN KEBAKARAN DAN PENYELAMATAN "
         "NON KEBAKARAN", [
            ("2.01", "Pencegahan, Pengendalian, Pemadaman, Penyelamatan, dan Penanganan Bahan "
             "Berbahaya dan Beracun Kebakaran dalam Daerah Kabupaten/Kota", [
                ("0004", "Pengadaan Sarana dan Prasarana Pemadam Kebakaran",
                 {"5.2.02.02.04": 28_000}),
                ("0001", "Pencegahan Kebakaran dan Penyelamatan Non Kebakaran",
                 {"5.1.02.01.01": 3_500, "5.1.02.02.01": 2_500}),
            ]),
        ]),
    ]),
    "DINSOS": ("1.06", "SOSIAL", 25_000, [
        ("04", "PROGRAM REHABILITASI SOSIAL", [
            ("2.02", "Rehabilitasi Sosial Dasar Penyandang Disabilitas Terlantar, Anak "
             "Terlantar, Lanjut Usia Terlantar, serta Gelandangan Pengemis di Luar Panti Sosial", [
                ("0001", "Pemberian Bantuan Sosial bagi Penyandang Masalah Kesejahteraan Sosial",
                 {"5.1.06.01.01": 62_000}),
                ("0003", "Pemberian Layanan Rehabilitasi Sosial",
                 {"5.1.02.01.01": 7_000, "5.1.02.02.01": 5_000}),
            ]),
        ]),
    ]),
    "DLH": ("2.11", "LINGKUNGAN HIDUP", 60_000, [
        ("11", "PROGRAM PENGELOLAAN PERSAMPAHAN", [
            ("2.01", "Pengelolaan Sampah", [
                ("0004", "Pengangkutan Sampah ke Tempat Pemrosesan Akhir",
                 {"5.1.02.01.01": 48_000, "5.1.02.02.01": 45_000}),
                ("0006", "Pembangunan dan Pengembangan Tempat Pemrosesan Akhir Sampah",
                 {"5.2.04.02.01": 55_000, "5.1.02.02.12": 3_000}),
            ]),
        ]),
        ("03", "PROGRAM PENGENDALIAN PENCEMARAN DAN/ATAU KERUSAKAN LINGKUNGAN HIDUP", [
            ("2.01", "Pencegahan Pencemaran dan/atau Kerusakan Lingkungan Hidup", [
                ("0002", "Pemantauan Kualitas Lingkungan Hidup",
                 {"5.1.02.02.01": 4_000, "5.2.02.10.01": 3_000}),
            ]),
        ]),
    ]),
    "DISDUKCAPIL": ("2.12", "ADMINISTRASI KEPENDUDUKAN DAN PENCATATAN SIPIL", 30_000, [
        ("02", "PROGRAM PENDAFTARAN PENDUDUK", [
            ("2.01", "Pelayanan Pendaftaran Penduduk", [
                ("0001", "Penerbitan Dokumen Pendaftaran Penduduk",
                 {"5.1.02.01.01": 6_500, "5.1.02.02.01": 3_000}),
                ("0002", "Pelayanan Administrasi Kependudukan Keliling",
                 {"5.1.02.04.01": 1_200, "5.1.02.02.01": 2_600}),
            ]),
        ]),
    ]),
    "DISHUB": ("2.15", "PERHUBUNGAN", 45_000, [
        ("02", "PROGRAM PENYELENGGARAAN LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)", [
            ("2.01", "Penetapan Rencana Induk Jaringan LLAJ Kabupaten/Kota", [
                ("0005", "Penyediaan Perlengkapan Jalan di Jalan Kabupaten/Kota",
                 {"5.2.02.05.01": 6_000, "5.2.04.01.01": 19_000}),
                ("0007", "Penyediaan dan Pemeliharaan Penerangan Jalan Umum",
                 {"5.1.02.02.01": 38_000, "5.2.04.01.01": 16_000}),
            ]),
            ("2.06", "Penyediaan Angkutan Umum untuk Jasa Angkutan Orang dan/atau Barang "
             "antar Kota dalam 1 (Satu) Daerah Kabupaten/Kota", [
                ("0001", "Penyediaan Layanan Angkutan Umum Massal Perkotaan",
                 {"5.1.02.02.01": 41_000}),
            ]),
        ]),
    ]),
    "DISKOMINFO": ("2.16", "KOMUNIKASI DAN INFORMATIKA", 18_000, [
        ("03", "PROGRAM APLIKASI INFORMATIKA", [
            ("2.02", "Pengelolaan E-government di Lingkup Pemerintah Daerah Kabupaten/Kota", [
                ("0005", "Pengembangan dan Pengelolaan Pusat Data dan Jaringan Intra "
                 "Pemerintah Daerah", {"5.2.02.10.01": 22_000, "5.1.02.02.01": 16_000}),
                ("0011", "Pengembangan Aplikasi dan Proses Bisnis Pemerintahan Berbasis "
                 "Elektronik", {"5.1.02.02.12": 9_000}),
            ]),
        ]),
        ("02", "PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK", [
            ("2.01", "Pengelolaan Informasi dan Komunikasi Publik Pemerintah Daerah "
             "Kabupaten/Kota", [
                ("0002", "Diseminasi Informasi Kebijakan Pemerintah Daerah",
                 {"5.1.02.02.01": 8_500}),
            ]),
        ]),
    ]),
    "DPMPTSP": ("2.18", "PENANAMAN MODAL", 20_000, [
        ("05", "PROGRAM PELAYANAN PENANAMAN MODAL", [
            ("2.01", "Pelayanan Perizinan dan Nonperizinan secara Terpadu Satu Pintu", [
                ("0001", "Penyediaan Pelayanan Terpadu Perizinan dan Nonperizinan",
                 {"5.1.02.01.01": 3_500, "5.1.02.02.01": 4_500}),
            ]),
        ]),
    ]),
    "DISDAG": ("3.30", "PERDAGANGAN", 22_000, [
        ("04", "PROGRAM PENGEMBANGAN SARANA DISTRIBUSI PERDAGANGAN", [
            ("2.01", "Pembangunan dan Pengelolaan Sarana Distribusi Perdagangan", [
                ("0003", "Revitalisasi Pasar Rakyat", {"5.2.03.01.05": 62_000}),
            ]),
        ]),
        ("05", "PROGRAM STABILISASI HARGA BARANG KEBUTUHAN POKOK DAN BARANG PENTING", [
            ("2.01", "Menjamin Ketersediaan Barang Kebutuhan Pokok dan Barang Penting", [
                ("0003", "Pemantauan Harga dan Stok Barang Kebutuhan Pokok dan Barang Penting",
                 {"5.1.02.01.01": 1_500, "5.1.02.02.01": 1_800}),
            ]),
        ]),
    ]),
    "SETDA": ("4.01", "SEKRETARIAT DAERAH", 90_000, [
        ("02", "PROGRAM PEMERINTAHAN DAN KESEJAHTERAAN RAKYAT", [
            ("2.04", "Fasilitasi Kesejahteraan Rakyat", [
                ("0003", "Pemberian Hibah kepada Lembaga dan Organisasi Kemasyarakatan",
                 {"5.1.05.05.01": 115_000}),
            ]),
        ]),
        ("03", "PROGRAM PEREKONOMIAN DAN PEMBANGUNAN", [
            ("2.05", "Pelaksanaan Administrasi Pengadaan Barang dan Jasa", [
                ("0002", "Pengelolaan Layanan Pengadaan Secara Elektronik",
                 {"5.1.02.02.01": 4_000}),
            ]),
        ]),
    ]),
    "SETDA-UMUM": ("4.01", "SEKRETARIAT DAERAH", 25_000, [
        ("04", "PROGRAM DUKUNGAN PELAKSANAAN TUGAS DAN PELAYANAN", [
            ("2.02", "Pelaksanaan Administrasi Umum dan Rumah Tangga Pimpinan", [
                ("0001", "Penyediaan Kebutuhan Rumah Tangga Kepala Daerah",
                 {"5.1.02.01.01": 9_000, "5.1.02.02.01": 11_000, "5.2.02.05.01": 5_000}),
            ]),
        ]),
    ]),
    "INSPEKTORAT": ("6.01", "INSPEKTORAT DAERAH", 20_000, [
        ("02", "PROGRAM PENYELENGGARAAN PENGAWASAN", [
            ("2.01", "Penyelenggaraan Pengawasan Internal", [
                ("0001", "Pengawasan Kinerja Pemerintah Daerah",
                 {"5.1.02.04.01": 4_500, "5.1.02.01.01": 2_000}),
                ("0002", "Pengawasan Keuangan Pemerintah Daerah",
                 {"5.1.02.04.01": 3_000, "5.1.02.02.01": 1_500}),
            ]),
        ]),
    ]),
}
# fmt: on

# revenue: (agency, account, share of total spending)
REVENUE: list[tuple[str, str, float]] = [
    (REVENUE_AGENCY, "4.1.01.06.01", 0.018),
    (REVENUE_AGENCY, "4.1.01.07.01", 0.045),
    (REVENUE_AGENCY, "4.1.01.09.01", 0.012),
    (REVENUE_AGENCY, "4.1.01.10.01", 0.040),
    (REVENUE_AGENCY, "4.1.01.15.01", 0.085),
    (REVENUE_AGENCY, "4.1.01.16.01", 0.095),
    ("DINKES", "4.1.02.01.01", 0.006),
    ("DLH", "4.1.02.01.02", 0.004),
    ("DISDAG", "4.1.02.01.03", 0.002),
    ("DAMKAR", "4.1.02.01.04", 0.0005),
    ("DISHUB", "4.1.02.01.05", 0.003),
    ("DPMPTSP", "4.1.02.03.01", 0.010),
    (REVENUE_AGENCY, "4.1.03.01.01", 0.003),
    (REVENUE_AGENCY, "4.1.04.05.01", 0.025),
    (REVENUE_AGENCY, "4.2.01.01.01", 0.070),
    (REVENUE_AGENCY, "4.2.01.01.02", 0.330),
    (REVENUE_AGENCY, "4.2.01.01.03", 0.040),
    (REVENUE_AGENCY, "4.2.01.01.04", 0.045),
    (REVENUE_AGENCY, "4.2.02.01.01", 0.060),
    (REVENUE_AGENCY, "4.3.01.01.01", 0.010),
]
SILPA_SHARE = 0.045
EQUITY_PARTICIPATION = 25_000 * MILLION  # penyertaan modal to the water company (PDAM)

#: office sub kegiatan every agency has under its supporting program (program .01)
# fmt: off
OFFICE: list[tuple[str, str, str, str, dict[str, float]]] = [
    # kegiatan, kegiatan name, sub, sub name, {account: share of the agency's office budget}
    ("2.02", "Administrasi Keuangan Perangkat Daerah", "0001",
     "Penyediaan Gaji dan Tunjangan ASN", {}),
    ("2.06", "Administrasi Umum Perangkat Daerah", "0002",
     "Penyediaan Peralatan dan Perlengkapan Kantor", {"5.1.02.01.01": 0.25, "5.2.02.05.01": 0.1}),
    ("2.06", "Administrasi Umum Perangkat Daerah", "0009",
     "Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD", {"5.1.02.04.01": 0.15}),
    ("2.08", "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah", "0002",
     "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik", {"5.1.02.02.01": 0.3}),
    ("2.09", "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah", "0009",
     "Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya",
     {"5.1.02.03.02": 0.12, "5.2.03.01.01": 0.08}),
]
SALARY_SPLIT = {"5.1.01.01.01": 0.52, "5.1.01.01.02": 0.06, "5.1.01.01.03": 0.07,
                "5.1.01.02.01": 0.35}
OFFICE_SHARE = 0.14  # office running costs as a share of employee spending

COLUMNS = [
    "kode_opd", "kode_urusan", "nama_urusan", "kode_bidang_urusan", "nama_bidang_urusan",
    "kode_program", "nama_program", "kode_kegiatan", "nama_kegiatan", "kode_sub_kegiatan",
    "nama_sub_kegiatan", "nama_akun", "nama_kelompok", "nama_jenis", "nama_objek",
    "kode_rekening", "nama_rekening", "pagu",
    *[f"realisasi_{month:02d}" for month in range(1, 13)],
]
# fmt: on


@dataclass
class Plan:
    """One line of the demo budget before realisation."""

    agency: str
    sub: tuple[str, ...]  # (urusan, bidang, program, kegiatan, sub kegiatan) codes
    names: tuple[str, ...]  # their names
    account: str
    planned: int
    final: float  # share of the plan realised by year end

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.agency, self.sub[-1] if self.sub else "", self.account)


def _thousands(amount: float) -> int:
    return max(1_000, int(round(amount / 1_000)) * 1_000)


def _final_share(account: str, rng: random.Random) -> float:
    low, high = FINAL_SHARE[ACCOUNTS[account][1]]
    share = rng.uniform(low, high)
    if not codes.realisation_may_exceed_plan(account):
        share = min(share, 0.995)
    return share


def _spending_plans(rng: random.Random, growth: float) -> list[Plan]:
    plans: list[Plan] = []
    for agency, (bidang, bidang_name, salary, programs) in AGENCIES.items():
        urusan = bidang.split(".")[0]
        urusan_name = codes.REFERENCE_NAMES[(Scheme.PROGRAM, urusan)]
        scale = growth * rng.uniform(0.96, 1.04)
        office = salary * MILLION * OFFICE_SHARE * scale
        entries: list[tuple[str, str, str, str, str, str, dict[str, float]]] = []
        for kegiatan, kegiatan_name, sub, sub_name, split in OFFICE:
            if split:
                amounts = {a: office * s * rng.uniform(0.85, 1.15) for a, s in split.items()}
            else:
                amounts = {
                    a: salary * MILLION * scale * s * rng.uniform(0.97, 1.03)
                    for a, s in SALARY_SPLIT.items()
                }
            entries.append(("01", PENUNJANG, kegiatan, kegiatan_name, sub, sub_name, amounts))
        for program, program_name, activities in programs:
            for kegiatan, kegiatan_name, subs in activities:
                for sub, sub_name, millions in subs:
                    amounts = {
                        a: m * MILLION * scale * rng.uniform(0.9, 1.1) for a, m in millions.items()
                    }
                    entries.append(
                        (program, program_name, kegiatan, kegiatan_name, sub, sub_name, amounts)
                    )
        for program, program_name, kegiatan, kegiatan_name, sub, sub_name, amounts in entries:
            program_code = f"{bidang}.{program}"
            kegiatan_code = f"{program_code}.{kegiatan}"
            path = (urusan, bidang, program_code, kegiatan_code, f"{kegiatan_code}.{sub}")
            names = (urusan_name, bidang_name, program_name, kegiatan_name, sub_name)
            for account, amount in amounts.items():
                plans.append(
                    Plan(
                        agency, path, names, account, _thousands(amount), _final_share(account, rng)
                    )
                )
    return plans


def _other_plans(rng: random.Random, spending: int) -> list[Plan]:
    """Revenue lines, then the SiLPA that closes the gap exactly (a balanced APBD)."""
    silpa = spending * SILPA_SHARE * rng.uniform(0.9, 1.1)
    revenue_total = spending + EQUITY_PARTICIPATION - silpa
    weights = {account: share * rng.uniform(0.9, 1.1) for _a, account, share in REVENUE}
    scale = revenue_total / sum(weights.values())
    plans = [
        Plan(
            agency,
            (),
            (),
            account,
            _thousands(weights[account] * scale),
            _final_share(account, rng),
        )
        for agency, account, _share in REVENUE
    ]
    balance = spending + EQUITY_PARTICIPATION - sum(p.planned for p in plans)
    plans.append(
        Plan(REVENUE_AGENCY, (), (), "6.1.01.01.01", balance, _final_share("6.1.01.01.01", rng))
    )
    plans.append(Plan(REVENUE_AGENCY, (), (), "6.2.02.01.01", EQUITY_PARTICIPATION, 1.0))
    return plans


def _months(plan: Plan, through: int, partial: float) -> list[int]:
    """Realisation per month up to `through` (its last month scaled by `partial`)."""
    weights = PROFILES[ACCOUNTS[plan.account][1]]
    total = sum(weights)
    target = plan.planned * plan.final
    found = []
    for month, weight in enumerate(weights, start=1):
        if month > through:
            found.append(0)
            continue
        amount = target * weight / total
        if month == through:
            amount *= partial
        found.append(int(amount))
    return found


def _csv(plans: list[Plan], months: dict[tuple[str, str, str], list[int]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for plan in plans:
        account = plan.account
        parts = account.split(".")
        parents = [".".join(parts[:n]) for n in range(1, 5)]
        parent_names = [
            PARENT_NAMES.get(code) or codes.REFERENCE_NAMES.get((Scheme.ACCOUNT, code), "")
            for code in parents
        ]
        program = list(plan.sub) or [""] * 5
        names = list(plan.names) or [""] * 5
        writer.writerow(
            [
                plan.agency,
                program[0],
                names[0],
                program[1],
                names[1],
                program[2],
                names[2],
                program[3],
                names[3],
                program[4],
                names[4],
                *parent_names,
                account,
                ACCOUNTS[account][0],
                plan.planned,
                *months[plan.key],
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _amend(rng: random.Random, plans: list[Plan]) -> list[Plan]:
    """The APBD-P: about a third of the lines revised, flood recovery added to BPBD."""
    amended = []
    for plan in plans:
        planned = plan.planned
        if plan.sub and rng.random() < 0.35:
            planned = _thousands(planned * rng.uniform(0.8, 1.2))
        amended.append(Plan(plan.agency, plan.sub, plan.names, plan.account, planned, plan.final))
    bidang, bidang_name = AGENCIES["BPBD"][0], AGENCIES["BPBD"][1]
    path = ("1", bidang, f"{bidang}.03", f"{bidang}.03.2.04", f"{bidang}.03.2.04.0001")
    names = (
        codes.REFERENCE_NAMES[(Scheme.PROGRAM, "1")],
        bidang_name,
        "PROGRAM PENANGGULANGAN BENCANA",
        "Penataan Sistem Dasar Penanggulangan Bencana",
        "Penanganan Pascabencana Banjir",
    )
    for account, millions in (("5.1.02.01.01", 4_500), ("5.2.04.02.01", 21_000)):
        amended.append(
            Plan("BPBD", path, names, account, millions * MILLION, _final_share(account, rng))
        )
    return amended


def create(
    city: City, accounts: Accounts, *, now: dt.datetime, rng: random.Random
) -> dict[str, int]:
    """Two years: last year's APBD murni and APBD-P (closed), this year's APBD murni."""
    zone = ZoneInfo(catalog.CITY_TIMEZONE)
    today = now.astimezone(zone).date()
    admin = accounts.staff["admin"]
    BudgetSettings.objects.get_or_create(pk=1)
    this_year, last_year = today.year, today.year - 1

    last_plans = _spending_plans(rng, growth=1.0)
    last_plans += _other_plans(rng, sum(p.planned for p in last_plans if p.sub))
    amended = _amend(rng, last_plans)
    spending_total = sum(p.planned for p in amended if p.sub)
    for plan in amended:  # keep the budget balanced after the amendment
        if plan.account == "6.1.01.01.01":
            revenue = sum(p.planned for p in amended if p.account.startswith("4"))
            plan.planned = max(1_000, spending_total + EQUITY_PARTICIPATION - revenue)
    full_year = {plan.key: _months(plan, 12, 1.0) for plan in amended}
    original_months = {}
    for plan in last_plans:
        months = full_year[plan.key][:9] + [0, 0, 0]
        if sum(months) > plan.planned and not codes.realisation_may_exceed_plan(plan.account):
            factor = plan.planned / sum(months)
            months = [int(amount * factor) for amount in months]
        original_months[plan.key] = months

    imported_original = dt.datetime(last_year, 10, 1, 9, 0, tzinfo=zone)
    imported_amended = min(dt.datetime(this_year, 1, 15, 9, 0, tzinfo=zone), now)
    import_budget(
        file=_csv(last_plans, original_months),
        file_name=f"apbd-murni-{last_year}-realisasi-september.csv",
        year=last_year,
        kind=VersionKind.ORIGINAL,
        actor=admin,
        now=imported_original,
    )
    amended_version = import_budget(
        file=_csv(amended, full_year),
        file_name=f"apbd-perubahan-{last_year}-realisasi-desember.csv",
        year=last_year,
        kind=VersionKind.AMENDED,
        actor=admin,
        now=imported_amended,
    ).version
    set_budget_year_status(
        budget_year=amended_version.budget_year,
        status=YearStatus.CLOSED,
        reason="Tutup buku tahun anggaran setelah realisasi Desember.",
        actor=admin,
        now=imported_amended,
    )

    current = _spending_plans(rng, growth=rng.uniform(1.04, 1.08))
    current += _other_plans(rng, sum(p.planned for p in current if p.sub))
    days = calendar.monthrange(today.year, today.month)[1]
    partial = today.day / days
    current_months = {plan.key: _months(plan, today.month, partial) for plan in current}
    current_version = import_budget(
        file=_csv(current, current_months),
        file_name=f"apbd-murni-{this_year}.csv",
        year=this_year,
        kind=VersionKind.ORIGINAL,
        actor=admin,
        now=now,
    ).version
    return {
        "budget years": 2,
        "budget versions": 3,
        "budget lines": BudgetLine.objects.count(),
        "budget lines this year": current_version.line_count,
    }


def wipe() -> dict[str, int]:
    """Delete the demo rows (called by `seed-demo --reset` before agencies and users go)."""
    deleted: dict[str, int] = {}
    for name, model in (
        ("budget lines", BudgetLine),
        ("budget codes", BudgetCode),
        ("budget versions", BudgetVersion),
        ("budget years", BudgetYear),
        ("budget settings", BudgetSettings),
    ):
        deleted[name] = model.objects.all().delete()[0]
    return deleted
