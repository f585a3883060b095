"""The standard parameters with their canonical units and plausible ranges."""

from django.db import migrations

PARAMETERS = [
    ("pm25", "PM2.5", "ug/m3", 0, 1000),
    ("pm10", "PM10", "ug/m3", 0, 2000),
    ("so2", "Sulfur dioksida (SO2)", "ug/m3", 0, 3000),
    ("co", "Karbon monoksida (CO)", "ug/m3", 0, 60000),
    ("o3", "Ozon (O3)", "ug/m3", 0, 2000),
    ("no2", "Nitrogen dioksida (NO2)", "ug/m3", 0, 3000),
    ("hc", "Hidrokarbon (HC)", "ug/m3", 0, 10000),
    ("water_level", "Tinggi muka air", "cm", -500, 3000),
    ("rainfall", "Curah hujan", "mm", 0, 500),
    ("noise", "Kebisingan", "dB", 0, 160),
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    parameter = apps.get_model("controlroom", "Parameter")
    for code, name, unit, low, high in PARAMETERS:
        parameter.objects.get_or_create(
            code=code, defaults={"name": name, "unit": unit, "min_value": low, "max_value": high}
        )


class Migration(migrations.Migration):
    dependencies = [("controlroom", "0002_partition_readings")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
