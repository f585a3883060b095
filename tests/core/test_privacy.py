"""The one masking function for personal data in public text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terang.core.privacy import MASK, mask_contact, mask_personal_data, normalize_phone


@pytest.mark.parametrize(
    "text",
    [
        "hubungi saya di 0812-3456-7890 ya",
        "WA +62 812 3456 7890",
        "nomor 6281234567890",
        "email budi.santoso@gmail.com",
        "NIK saya 3671012501900001",
    ],
)
def test_personal_data_is_masked(text):
    masked = mask_personal_data(text)
    assert MASK in masked
    assert not any(part in masked for part in ("3456", "gmail", "3671012501900001"))


def test_reporter_name_is_masked_whole_and_by_parts():
    text = "Saya Budi Santoso, warga RT 3. Pak Santoso tetangga saya juga."
    masked = mask_personal_data(text, names=["Budi Santoso"])
    assert "Budi" not in masked and "Santoso" not in masked
    assert "RT 3" in masked


def test_ordinary_numbers_survive():
    text = "Lubang 3 meter di RT 03 RW 12, sejak 2024, tinggi air 150 cm."
    assert mask_personal_data(text) == text


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_any_sixteen_digit_number_is_masked(nik):
    assert nik not in mask_personal_data(f"nomor {nik} tolong")


def test_normalize_phone():
    assert normalize_phone("0812-3456-7890") == "+6281234567890"
    assert normalize_phone("+62 812 3456 7890") == "+6281234567890"
    with pytest.raises(ValueError):
        normalize_phone("021-555-1234")


def test_mask_contact_hides_most_of_it():
    assert mask_contact("budi@contoh.id") == "b***@contoh.id"
    assert mask_contact("+6281234567890") == "6281****890"


# (text, what must disappear, what must stay): a name after an honorific keeps the honorific.
NAMES_AFTER_HONORIFICS = [
    ("Rumah Pak Budi kebanjiran", "Budi", "Rumah Pak [disamarkan] kebanjiran"),
    ("Pak Budi Santoso belum dapat bantuan", "Santoso", "Pak [disamarkan] belum"),
    ("kata bu Siti, lampu mati", "Siti", "bu [disamarkan], lampu"),
    ("Bapak H. Ahmad Fauzi sakit", "Ahmad", "Bapak [disamarkan] sakit"),
    ("Ibu Hj. Aminah dirawat", "Aminah", "Ibu [disamarkan] dirawat"),
    ("laporan dari Sdr. Andi Wijaya", "Andi", "Sdr. [disamarkan]"),
    ("laporan dari Sdri. Rina", "Rina", "Sdri. [disamarkan]"),
    ("Saudara Joko dan Saudari Wati", "Joko", "Saudara [disamarkan] dan Saudari [disamarkan]"),
    ("Mas Dimas yang jualan", "Dimas", "Mas [disamarkan] yang"),
    ("Mbak Ayu tetangga", "Ayu", "Mbak [disamarkan] tetangga"),
    ("Bang Ucok ojek", "Ucok", "Bang [disamarkan] ojek"),
    ("Kak Seto datang", "Seto", "Kak [disamarkan] datang"),
    ("PAK BUDI, RT 03", "BUDI", "PAK [disamarkan], RT 03"),
    ("Bpk. Slamet Riyadi", "Slamet", "Bpk. [disamarkan]"),
    ("Bapak/Ibu Sutrisno", "Sutrisno", "Bapak/Ibu [disamarkan]"),
    ("ketemu Pak Budi.", "Budi", "ketemu Pak [disamarkan]."),
    ("Pak Budi RT 05 sudah lapor", "Budi", "Pak [disamarkan] RT 05"),
    ("Bu Tini, Pak Lurah sudah tahu", "Tini", "Bu [disamarkan], Pak Lurah"),
    ("Pak Ahmad-Zaki", "Zaki", "Pak [disamarkan]"),
    ("Pak Dian Di Pasar", "Dian", "Pak [disamarkan] Di Pasar"),
    ("Warung Bu Sri di Jl. Melati", "Sri", "Warung Bu [disamarkan] di Jl. Melati"),
    ("NIK 3671 0125 0190 0001 saya", "0001", "NIK [disamarkan] saya"),
    ("NIK: 3671.0125.0190.0001.", "0190", "NIK: [disamarkan]."),
    ("NIK 36.71.01.250190.0001", "250190", "NIK [disamarkan]"),
    ("NIK 3671-0125-0190-0001", "0125", "NIK [disamarkan]"),
    ("NIK 367101 250190 0001 ya", "250190", "NIK [disamarkan] ya"),
    ("NIK 3671 01 250190 0001", "250190", "NIK [disamarkan]"),
]


@pytest.mark.parametrize(("text", "hidden", "expected"), NAMES_AFTER_HONORIFICS)
def test_names_after_honorifics_and_separated_niks_are_masked(text, hidden, expected):
    masked = mask_personal_data(text)

    assert hidden not in masked
    assert expected in masked


# Titles of office, roles, place names and look-alike words: left exactly as written.
NOT_PERSONAL = [
    "Sudah lapor ke Pak RT dan Pak RW",
    "Bu Lurah belum datang",
    "Pak Camat meninjau lokasi",
    "Pak Wali Kota berjanji",
    "Bapak Walikota dan Ibu Bupati",
    "surat untuk Bapak Gubernur",
    "Pak Kades dan Pak Kapolsek",
    "Pak Satpam kompleks",
    "Bu Dokter puskesmas, Bu Bidan, Bu Guru",
    "Pak Ustadz dan Pak Polisi",
    "Pak Ketua RT 03",
    "Pak Ogah di perempatan",
    "Jl. Mas Mansyur No. 5",
    "Jalan Pak Kasih gang 2",
    "Gg. Bu Haji RT 01",
    "Jl. KH. Mas Mansyur",
    "Perumahan Mas Indah Blok C",
    "harga emas naik, pakai ibukota",
    "Bapak-bapak sekalian dan ibu kota",
    "Ibu Kota Nusantara",
    "Bapak Ibu Sekalian",
    "Terima kasih Pak. Saya tunggu",
    "Mohon Pak Tolong dibantu",
    "pak budi datang",
    "Posyandu Ibu Hamil",
    "Rp 1.500.000 untuk 12.000.000 warga",
    "Rp 1.500.000.000.000.000",
    "anggaran Rp 2.000.000.000",
    "koordinat -6.208812 106.845599",
    "kode 1234 5678 9012 345",
    "nomor 3671 2125 3190 1001 9",
    "nomor 9 3671 2125 3190 1001",
    "nomor 3671.0125.0190.00011",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_titles_places_and_look_alikes_are_not_masked(text):
    assert mask_personal_data(text) == text
