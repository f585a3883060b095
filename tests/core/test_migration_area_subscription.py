"""AreaSubscription moved from aspirations to core (core 0005, aspirations 0008) in state only:
a database migrated before the move keeps its table, rows, unique constraint and foreign keys,
and the content type (with any permission on it) follows the model to core."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from terang.core.models import AdministrativeArea, AreaSubscription, User

BEFORE = [("aspirations", "0007_public_masked_copies"), ("core", "0004_rate_limit_policy")]
AFTER = [("aspirations", "0008_area_subscription_to_core")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_subscriptions_made_before_the_move_survive_it():
    ContentType.objects.filter(model="areasubscription").update(app_label="aspirations")
    old = _migrate(BEFORE)
    assert "areasubscription" in old.all_models["aspirations"]
    area = old.get_model("core", "AdministrativeArea").objects.create(
        code="31.71.01.1001", name="Kelurahan Uji", level="kelurahan"
    )
    person = old.get_model("core", "User").objects.create(username="warga-lama")
    row = old.get_model("aspirations", "AreaSubscription").objects.create(area=area, user=person)

    new = _migrate(AFTER)
    assert "areasubscription" not in new.all_models["aspirations"]
    moved = new.get_model("core", "AreaSubscription").objects.get()
    assert (moved.pk, moved.area_id, moved.user_id) == (row.pk, area.pk, person.pk)
    assert moved.created_at == row.created_at
    assert ContentType.objects.filter(model="areasubscription").count() == 1
    assert ContentType.objects.get(model="areasubscription").app_label == "core"

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    subscription = AreaSubscription.objects.get()
    assert subscription.pk == row.pk and subscription.user.username == "warga-lama"
    assert list(AdministrativeArea.objects.get(pk=area.pk).subscriptions.all()) == [subscription]
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaSubscription.objects.create(area_id=area.pk, user_id=person.pk)
    User.objects.filter(pk=person.pk).delete()
    assert AreaSubscription.objects.count() == 0
