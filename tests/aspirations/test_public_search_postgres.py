"""PostgreSQL: public search runs on the masked copies through their own GIN index, staff
search on the originals through theirs."""

from __future__ import annotations

import pytest
from django.db import connection

from terang.aspirations.models import Aspiration
from terang.aspirations.selectors import full_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # leaves the bitmap scan of a GIN
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_both_full_text_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'asp_%fulltext'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"asp_fulltext", "asp_public_fulltext"}


def test_public_search_uses_the_public_index():
    assert " on asp_public_fulltext" in plan(full_text(Aspiration.objects.order_by(), "berlubang"))


def test_staff_search_uses_the_original_index():
    assert " on asp_fulltext" in plan(
        full_text(Aspiration.objects.order_by(), "berlubang", staff=True)
    )
