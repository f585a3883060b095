"""Two imports of the same year at the same moment (PostgreSQL): the year's row lock orders
them, so the versions are numbered 1 and 2, exactly one is current, and the year's audit
chain does not fork."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from terang.budget.models import BudgetVersion
from terang.budget.services import import_budget, importing
from terang.core.audit import verify_audit_log
from terang.core.models import AuditEntry

from .conftest import NOW
from .helpers import budget_csv, small_budget


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_year(agencies, admin_user, monkeypatch):
    real = importing._store
    barrier = threading.Barrier(2, timeout=10)

    def racing(*args, **kwargs):  # both files are checked before either takes the lock
        barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_store", racing)
    errors: list[BaseException] = []

    def worker(march: int) -> None:
        rows = small_budget()
        rows[0]["realisasi_03"] = march
        try:
            import_budget(
                file=budget_csv(rows),
                file_name=f"{march}.csv",
                year=2026,
                kind="murni",
                actor=admin_user,
                now=NOW,
            )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    versions = list(BudgetVersion.objects.order_by("number").values_list("number", "is_current"))
    assert versions == [(1, False), (2, True)]
    # The year's own chain (publishing into Satu Data writes the dataset's chain beside it).
    year_chain = AuditEntry.objects.filter(action="budget.version_imported")
    assert list(year_chain.order_by("seq").values_list("seq", flat=True)) == [1, 2]
    assert year_chain.values("chain").distinct().count() == 1
    assert verify_audit_log().ok
