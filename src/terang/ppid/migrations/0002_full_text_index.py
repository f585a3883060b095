"""GIN indexes for DIP full-text search on PostgreSQL only (SQLite uses LIKE). The expressions
match what `SearchVector(..., config="simple")` in ppid.selectors.dip generates."""

from django.db import migrations

INDEXES = {
    "ppid_dip_entry_fulltext": (
        "CREATE INDEX IF NOT EXISTS ppid_dip_entry_fulltext ON ppid_dipentry USING gin "
        "(to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(summary, '')))"
    ),
    "ppid_dip_document_fulltext": (
        "CREATE INDEX IF NOT EXISTS ppid_dip_document_fulltext ON ppid_dipdocument USING gin "
        "(to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || "
        "COALESCE(extracted_text, '')))"
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
    dependencies = [("ppid", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
