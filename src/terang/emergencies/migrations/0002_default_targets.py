"""The default minute targets, as editable rows: dispatch within 3 minutes of the call for every
type; first unit on scene within 15 minutes for fire and medical calls, 20 for the rest."""

from django.db import migrations

DEFAULTS = {
    "fire": (3, 15),
    "medical": (3, 15),
    "crime": (3, 20),
    "disaster": (3, 20),
    "traffic_accident": (3, 20),
    "other": (3, 20),
}


def create_targets(apps, schema_editor):  # type: ignore[no-untyped-def]
    target = apps.get_model("emergencies", "ResponseTarget")
    for incident_type, (dispatch, arrival) in DEFAULTS.items():
        target.objects.get_or_create(
            incident_type=incident_type,
            defaults={"dispatch_minutes": dispatch, "arrival_minutes": arrival},
        )


class Migration(migrations.Migration):
    dependencies = [("emergencies", "0001_initial")]

    operations = [migrations.RunPython(create_targets, migrations.RunPython.noop)]
