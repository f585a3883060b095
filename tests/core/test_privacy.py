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
