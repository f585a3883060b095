"""`is_verified` clashed with django-otp's per-request `user.is_verified()`; rename it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditcheckpoint_high_water_id")]
    operations = [
        migrations.RenameField(model_name="user", old_name="is_verified",
                               new_name="contact_verified"),
    ]
