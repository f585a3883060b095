"""AreaSubscription now belongs to core (core 0005): drop it from aspirations' state only.

The table `aspirations_areasubscription`, its rows, constraint and foreign keys are untouched.
The content type is handed to core too, so permissions granted on it follow the model."""

from django.db import migrations


def _move_content_type(apps, schema_editor, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=target, model="areasubscription").exists():
        return
    ContentType.objects.using(db).filter(app_label=source, model="areasubscription").update(
        app_label=target
    )


def forwards(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, "aspirations", "core")


def backwards(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, "core", "aspirations")


class Migration(migrations.Migration):
    dependencies = [
        ("aspirations", "0007_public_masked_copies"),
        ("core", "0005_area_subscription"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AreaSubscription")],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
