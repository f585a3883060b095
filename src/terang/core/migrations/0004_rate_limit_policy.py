"""Rate limits become city policy rows, seeded with the defaults of core.ratelimit (sized for
carrier-grade NAT: many citizens share one address; see that module's docstring)."""

from django.db import migrations, models

# action: (per source address, per account, window in seconds). Literal copies, not an import,
# so this migration keeps meaning what it meant when it was written.
DEFAULTS = {
    "aspiration_submit": (60, 10, 3600),
    "open311_submit": (600, 600, 3600),
    "photo_upload": (300, 50, 3600),
    "ppid_request": (30, 10, 3600),
    "follow": (300, 60, 3600),
    "tracking_lookup": (120, 120, 60),
    "admin_login": (30, 0, 600),
}


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    policy = apps.get_model("core", "RateLimitPolicy")
    for action, (per_source, per_account, window) in DEFAULTS.items():
        policy.objects.get_or_create(
            action=action,
            defaults={
                "per_source": per_source,
                "per_account": per_account,
                "window_seconds": window,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_rename_contact_verified")]

    operations = [
        migrations.CreateModel(
            name="RateLimitPolicy",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("action", models.CharField(
                    choices=[
                        ("aspiration_submit", "Kirim aspirasi (formulir dan API)"),
                        ("open311_submit", "Kirim laporan lewat Open311"),
                        ("photo_upload", "Unggah foto (dihitung per foto)"),
                        ("ppid_request", "Ajukan permohonan informasi PPID"),
                        ("follow", "Ikuti laporan atau berlangganan kelurahan"),
                        ("tracking_lookup", "Lacak laporan dengan kode"),
                        ("admin_login", "Masuk ke halaman admin"),
                    ],
                    max_length=40, unique=True, verbose_name="tindakan")),
                ("per_source", models.PositiveIntegerField(
                    help_text="Per alamat IP. Banyak warga dapat berbagi satu alamat (NAT operator "
                    "seluler, wifi kantor kelurahan): jangan terlalu kecil. 0 = tanpa batas.",
                    verbose_name="batas per alamat")),
                ("per_account", models.PositiveIntegerField(
                    help_text="Per akun yang masuk (untuk Open311: per kunci API). "
                    "0 = tanpa batas.",
                    verbose_name="batas per akun")),
                ("window_seconds", models.PositiveIntegerField(
                    help_text="Lama jendela hitungan, misalnya 3600 = satu jam.",
                    verbose_name="jendela (detik)")),
            ],
            options={
                "verbose_name": "batas laju",
                "verbose_name_plural": "batas laju",
                "ordering": ["action"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("window_seconds__gte", 1)),
                                           name="rate_limit_window_positive"),
                ],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
