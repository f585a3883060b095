"""PostgreSQL-only indexes (SQLite searches with LIKE and compares extracted values):

* od_dataset_fulltext: full-text search of the catalog (title and description), 'simple'
  configuration as the aspirations app uses (PostgreSQL has no Indonesian stemmer);
* od_row_data: JSON containment of datastore rows (`data @> {...}`) for equality filters;
* od_row_fulltext: full-text search over a row's string values (datastore `q`).
"""

from django.db import migrations

INDEXES = {
    "od_dataset_fulltext": (
        "CREATE INDEX IF NOT EXISTS od_dataset_fulltext ON opendata_dataset USING gin "
        "(to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(notes, '')))"
    ),
    "od_row_data": (
        "CREATE INDEX IF NOT EXISTS od_row_data ON opendata_datastorerow "
        "USING gin (data jsonb_path_ops)"
    ),
    "od_row_fulltext": (
        "CREATE INDEX IF NOT EXISTS od_row_fulltext ON opendata_datastorerow "
        "USING gin (to_tsvector('simple'::regconfig, data))"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in INDEXES.values():
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0002_resource_review")]
    operations = [migrations.RunPython(create, drop)]
