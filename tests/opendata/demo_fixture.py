"""The demo catalog (terang.demo.opendata) on a small stand-in city: the same 27 datasets the
seeded demo has, without building the whole city (seconds instead of a minute)."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from terang.core.models import Agency
from terang.demo import opendata as demo_opendata

from .conftest import make_user

AGENCIES = [
    "DISDUKCAPIL",
    "DISDIK",
    "DINKES",
    "DLH",
    "DISHUB",
    "DINSOS",
    "PUPR",
    "PDAM",
    "BPBD",
    "DAMKAR",
    "DISKOMINFO",
    "DPMPTSP",
    "SETDA",
]
NOW = dt.datetime(2026, 3, 15, tzinfo=ZoneInfo("Asia/Jakarta"))


def build_demo_catalog(seed: int = 2026) -> dict[str, object]:
    agencies = {
        code: Agency.objects.create(
            code=code, name=f"Dinas {code.title()}", short_name=code.title()
        )
        for code in AGENCIES
    }
    admin = make_user("admin_demo", "admin")
    officers = {
        agency.pk: make_user(f"petugas_{code.lower()}", "officer", agency)
        for code, agency in agencies.items()
        if code != "SETDA"
    }
    places = [
        SimpleNamespace(
            area=SimpleNamespace(code=f"36.71.0{k}.100{n}", name=f"Kelurahan {k}{n}"),
            kecamatan=SimpleNamespace(code=f"36.71.0{k}", name=f"Kecamatan {k}"),
        )
        for k in range(1, 4)
        for n in range(1, 5)
    ]
    city = SimpleNamespace(agencies=agencies, places=places)
    accounts = SimpleNamespace(staff={"admin": admin}, officers=officers, heads={})
    counts = demo_opendata.create(city, accounts, now=NOW, rng=random.Random(seed))
    return {"agencies": agencies, "officers": officers, "admin": admin, "counts": counts}
