"""AreaSubscription moves from aspirations to core, keeping its table and rows.

State only: the table `aspirations_areasubscription` was created by the aspirations migrations
and stays as it is; aspirations 0008 removes the model from aspirations' state after this."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0004_rate_limit_policy")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AreaSubscription",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="subscriptions",
                                to="core.administrativearea",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="area_subscriptions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "aspirations_areasubscription",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("area", "user"), name="uniq_area_subscription"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
