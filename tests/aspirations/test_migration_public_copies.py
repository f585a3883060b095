"""Migration 0007 fills the masked public copies of the reports that already exist."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from terang.core.privacy import MASK

BEFORE = [("aspirations", "0006_event_created_index")]
AFTER = [("aspirations", "0007_public_masked_copies")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_existing_reports_get_masked_public_copies():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    agency = old.get_model("core", "Agency").objects.create(code="MIG", name="Dinas Uji")
    category = old.get_model("aspirations", "Category").objects.create(
        code="mig", name="Uji", agency=agency
    )
    now = timezone.now()
    old.get_model("aspirations", "Aspiration").objects.create(
        code="ASP-MIGRATE1",
        title="Lampu padam, WA 081234567890",
        text="Budi Santoso melapor, NIK 3671012501900001.",
        address="Jl. Uji, budi@contoh.id",
        reporter_name="Budi Santoso",
        category=category,
        agency=agency,
        created_at=now,
        updated_at=now,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    row = new.get_model("aspirations", "Aspiration").objects.get(code="ASP-MIGRATE1")

    assert row.public_title == f"Lampu padam, WA {MASK}"
    assert row.public_text == f"{MASK} melapor, NIK {MASK}."
    assert row.public_address == f"Jl. Uji, {MASK}"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
