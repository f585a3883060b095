"""Idle periods become alerts with core's lifecycle (terang.core.alerts.AbstractAlert) in their
own table. Rows recorded before: a period that has ended is resolved at its end (by nobody: the
vehicle moved on, as the ingest now resolves them); one still running stays open."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def resolve_ended_periods(apps, schema_editor):  # type: ignore[no-untyped-def]
    IdlePeriod = apps.get_model("fleet", "IdlePeriod")
    IdlePeriod.objects.filter(ended_at__isnull=False).update(
        status="resolved", resolved_at=F("ended_at")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('fleet', '0002_partition_positions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='idleperiod',
            name='acknowledged_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='ditangani pada'),
        ),
        migrations.AddField(
            model_name='idleperiod',
            name='acknowledged_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ditangani oleh'),
        ),
        migrations.AddField(
            model_name='idleperiod',
            name='occurrences',
            field=models.PositiveIntegerField(default=1, verbose_name='jumlah kejadian'),
        ),
        migrations.AddField(
            model_name='idleperiod',
            name='resolution_note',
            field=models.TextField(blank=True, verbose_name='catatan penyelesaian'),
        ),
        migrations.AddField(
            model_name='idleperiod',
            name='resolved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='diselesaikan pada'),
        ),
        migrations.AddField(
            model_name='idleperiod',
            name='resolved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='diselesaikan oleh'),
        ),
        migrations.AddField(
            model_name='idleperiod',
            name='status',
            field=models.CharField(choices=[('open', 'Terbuka'), ('acknowledged', 'Ditangani'), ('resolved', 'Selesai')], default='open', max_length=12, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='idleperiod',
            index=models.Index(fields=['status', 'idle_at'], name='fleet_idle_status'),
        ),
        migrations.RunPython(resolve_ended_periods, migrations.RunPython.noop),
    ]
