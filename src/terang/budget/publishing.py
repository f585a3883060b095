"""Each budget year published as an open dataset in Satu Data, automatically: after every
accepted import (on commit) and by a daily sync that catches up anything missed. The dataset
`apbd-<year>` carries one CSV of the year's default version (APBD-P once it exists, else the
murni), with the Frictionless schema of `dataset.year_table`; an unchanged table adds nothing,
a changed one becomes a new file version and the old one stays downloadable."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from terang.budget.dataset import published_years, year_csv
from terang.budget.models import BudgetSettings
from terang.core.models import Agency
from terang.core.publishing import (
    DatasetGroup,
    OfficialDataset,
    OfficialFile,
    publish_official_dataset,
)
from terang.core.selectors import get_city

logger = logging.getLogger("terang.budget")

KIND_NAMES = {"murni": "APBD murni", "perubahan": "APBD perubahan (APBD-P)"}
GROUP = DatasetGroup(
    "keuangan-daerah", "Keuangan Daerah", "Pendapatan, belanja dan pembiayaan daerah."
)


def _publisher() -> Agency | None:
    """The finance agency when set; else the catalog chooses (its walidata)."""
    budget = BudgetSettings.objects.filter(pk=1).select_related("import_agency").first()
    return budget.import_agency if budget is not None else None


def publish_budget_year(year: int) -> Any:
    """Publish (or refresh) the open dataset of `year` through Satu Data (`core.publishing`);
    None when there is nothing to publish."""
    entry = next((item for item in published_years() if item["year"] == year), None)
    if entry is None:
        return None
    city = get_city()
    city_name = city.name if city else "Kota"
    kind = KIND_NAMES.get(entry["kind"], entry["kind"])
    offered = OfficialDataset(
        name=f"apbd-{year}",
        title=f"APBD {city_name} Tahun {year}",
        notes=(
            f"Anggaran pendapatan dan belanja daerah {city_name} tahun {year}: pagu dan "
            f"realisasi per perangkat daerah, sub kegiatan dan rekening (kode Permendagri "
            f"90/2019), dengan realisasi bulanan. Versi: {kind} nomor {entry['version']}. "
            "Diterbitkan otomatis dari modul APBD setiap kali data diimpor."
        ),
        organization=_publisher(),
        licence="cc-by-4.0",
        source="Modul APBD Terang (impor resmi perangkat daerah pengelola keuangan)",
        groups=(GROUP,),
        tags=("apbd", "anggaran", "realisasi", str(year)),
        temporal_start=dt.date(year, 1, 1),
        temporal_end=dt.date(year, 12, 31),
        files=(
            OfficialFile(
                resource_name=f"Pagu dan realisasi APBD {year}",
                description=f"Satu baris per OPD, sub kegiatan dan rekening. {kind}.",
                file_name=f"apbd-{year}.csv",
                content=year_csv(year),
                media_type="text/csv",
            ),
        ),
    )
    return publish_official_dataset(offered)


def publish_after_commit(year: int) -> None:
    """Schedule the publication once the import's transaction has committed. A failure is
    logged and left to the daily sync: the budget itself is already safely stored."""

    def run() -> None:
        try:
            publish_budget_year(year)
        except Exception:
            logger.exception("publishing the APBD %s dataset failed; the daily sync retries", year)

    transaction.on_commit(run)


def sync_budget_datasets() -> list[int]:
    """Publish every budget year whose dataset is missing or out of date (idempotent)."""
    published = []
    for entry in published_years():
        if publish_budget_year(entry["year"]) is not None:
            published.append(entry["year"])
    return published
