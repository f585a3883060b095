"""Dead letters of the MQTT ingest worker: messages whose batch kept failing after the retries."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_area_subscription"),
    ]

    operations = [
        migrations.CreateModel(
            name="IngestDeadLetter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("consumer", models.CharField(max_length=60, verbose_name="konsumen")),
                ("topic", models.CharField(max_length=255, verbose_name="topik")),
                ("wildcards", models.JSONField(blank=True, default=list)),
                ("payload", models.BinaryField()),
                ("error", models.TextField(verbose_name="galat")),
                ("attempts", models.PositiveIntegerField(verbose_name="percobaan")),
                ("first_failed_at", models.DateTimeField(verbose_name="gagal pertama")),
                ("last_failed_at", models.DateTimeField(verbose_name="gagal terakhir")),
                (
                    "replayed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="diputar ulang"),
                ),
            ],
            options={
                "verbose_name": "pesan gagal",
                "verbose_name_plural": "pesan gagal",
                "ordering": ["-last_failed_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["replayed_at", "last_failed_at"], name="core_deadletter_open"
                    )
                ],
            },
        ),
    ]
