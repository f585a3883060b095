"""On PostgreSQL, the readings table becomes range-partitioned by month (13 months back, 3
ahead, plus DEFAULT). SQLite keeps the plain table Django created."""

from django.db import migrations


def partition(apps, schema_editor):  # type: ignore[no-untyped-def]
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    from terang.controlroom.partitions import create_partitioned_table, ensure_reading_partitions

    create_partitioned_table(conn)
    ensure_reading_partitions(months_back=13, months_ahead=3, conn=conn)


class Migration(migrations.Migration):
    dependencies = [("controlroom", "0001_initial")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
