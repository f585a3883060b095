"""GIN index for full-text search on PostgreSQL only (SQLite uses LIKE)."""

from django.db import migrations

INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS asp_fulltext ON aspirations_aspiration USING gin "
    "(to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(text, '')))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS asp_fulltext")


class Migration(migrations.Migration):
    dependencies = [("aspirations", "0003_resolution_check")]
    operations = [migrations.RunPython(create, drop)]
