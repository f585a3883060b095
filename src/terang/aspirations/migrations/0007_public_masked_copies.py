"""Public copies of title, text and address, masked when written, and the public search index.

Existing rows get their copies here with today's masking rules (`terang remask-public-text`
recomputes them when the rules change). On PostgreSQL the public search gets its own GIN index
over the copies; the index over the originals stays for staff search.
"""

from django.db import migrations, models

from terang.core.privacy import mask_personal_data

BATCH = 500
INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS asp_public_fulltext ON aspirations_aspiration USING gin "
    "(to_tsvector('simple'::regconfig, "
    "COALESCE(public_title, '') || ' ' || COALESCE(public_text, '')))"
)


def fill_copies(apps, schema_editor):
    aspiration_model = apps.get_model("aspirations", "Aspiration")
    last_pk = 0
    while True:
        batch = list(
            aspiration_model.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "title", "text", "address", "reporter_name")[:BATCH]
        )
        if not batch:
            break
        for item in batch:
            names = [item.reporter_name] if item.reporter_name else []
            item.public_title = mask_personal_data(item.title or "", names=names)
            item.public_text = mask_personal_data(item.text or "", names=names)
            item.public_address = mask_personal_data(item.address or "", names=names)
        aspiration_model.objects.bulk_update(
            batch, ["public_title", "public_text", "public_address"]
        )
        last_pk = batch[-1].pk


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS asp_public_fulltext")


class Migration(migrations.Migration):
    dependencies = [("aspirations", "0006_event_created_index")]

    operations = [
        migrations.AddField(
            model_name="aspiration",
            name="public_title",
            field=models.TextField(blank=True, default="", verbose_name="judul publik"),
        ),
        migrations.AddField(
            model_name="aspiration",
            name="public_text",
            field=models.TextField(blank=True, default="", verbose_name="isi publik"),
        ),
        migrations.AddField(
            model_name="aspiration",
            name="public_address",
            field=models.TextField(blank=True, default="", verbose_name="alamat publik"),
        ),
        migrations.RunPython(fill_copies, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
