"""Fixed facts of the demo city and its data files (`demo/data/*.json`).

Everything here is fictional. The region code follows the Kemendagri pattern (province 36,
kota 71) so codes look like real ones; names are made up.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SEED = 2026
CITY_NAME = "Kota Contoh"
CITY_SLUG = "kota-contoh"
CITY_TIMEZONE = "Asia/Jakarta"
REGION_CODE = "36.71"
DEMO_EMAIL_DOMAIN = "contoh.id"
CITY_CONTACT_EMAIL = f"pengaduan@{DEMO_EMAIL_DOMAIN}"
DEMO_URL = "http://127.0.0.1:8000"

# (month, day, reason): city days off, placed at their latest date inside the history year.
CITY_DAYS_OFF = (
    (2, 28, "Hari Jadi Kota Contoh"),
    (10, 10, "Peringatan Pemekaran Kota Contoh"),
)

SIZES = {"small": 300, "full": 5200}
CITIZEN_POOL = {"small": 60, "full": 300}

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> Any:
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def agencies() -> list[dict[str, Any]]:
    return load("agencies")


def categories() -> list[dict[str, Any]]:
    return load("categories")


def names() -> dict[str, list[str]]:
    return load("names")


def texts() -> dict[str, Any]:
    return load("texts")
