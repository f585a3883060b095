"""PostgreSQL: the GIN indexes behind datastore filters and searches and the catalog's
full-text search exist, and the queries are written so the planner can use them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from terang.opendata.datastore.query import filtered_rows
from terang.opendata.models import DatastoreRow
from terang.opendata.selectors import search_datasets

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'od_%'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"od_row_data", "od_row_fulltext", "od_dataset_fulltext"} <= names


def test_containment_filter_can_use_the_gin_index(catalog):
    _dataset, resource = catalog.with_csv()
    rows = filtered_rows(resource, filters={"kecamatan": "Kecamatan Utara"})
    assert rows.count() == 2
    loose = DatastoreRow.objects.filter(data__contains={"kecamatan": "Kecamatan Utara"})
    assert "od_row_data" in plan(loose)


def test_row_text_search_can_use_the_expression_index(catalog):
    _dataset, resource = catalog.with_csv()
    rows = filtered_rows(resource, q="Anggrek")
    assert [r.data["kelurahan"] for r in rows] == ["Anggrek"]
    # The condition is the index's expression, so on a big table the planner can use it ...
    assert "to_tsvector('simple'::regconfig, data) @@" in plan(rows)
    # ... as it does when nothing else narrows the rows.
    alone = DatastoreRow.objects.filter(
        RawSQL(
            "to_tsvector('simple'::regconfig, data) @@ "
            "websearch_to_tsquery('simple'::regconfig, %s)",
            ["Anggrek"],
            output_field=BooleanField(),
        )
    )
    assert "od_row_fulltext" in plan(alone)


def test_catalog_search_uses_the_fulltext_index(catalog):
    catalog.published("Data Puskesmas")
    assert search_datasets(q="puskesmas").count == 1
    from django.contrib.postgres.search import SearchQuery, SearchVector

    from terang.opendata.models import Dataset

    queryset = Dataset.objects.annotate(
        search=SearchVector("title", "notes", config="simple")
    ).filter(search=SearchQuery("puskesmas", config="simple"))
    assert "od_dataset_fulltext" in plan(queryset)


def test_the_catalog_search_itself_uses_the_fulltext_index(catalog):
    """The queries search_datasets really runs (count and page), not a hand-built one."""
    from django.test.utils import CaptureQueriesContext

    catalog.published("Data Puskesmas")
    with CaptureQueriesContext(connection) as captured:
        assert search_datasets(q="puskesmas").count == 1
    searches = [q["sql"] for q in captured.captured_queries if "websearch_to_tsquery" in q["sql"]]
    assert searches
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in searches:
            cursor.execute(f"EXPLAIN {sql}")
            assert "od_dataset_fulltext" in "\n".join(row[0] for row in cursor.fetchall()), sql
