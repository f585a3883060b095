"""Idempotency keys: a strict format (refused, never cut) and a 24-hour retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from terang.core.errors import Conflict, ValidationFailed
from terang.core.idempotency import Outcome, create_once, purge_expired, request_digest, run_once
from terang.core.models import IdempotencyRecord
from terang.core.periodic import beat_schedule
from terang.core.tasks import purge_idempotency_records

pytestmark = pytest.mark.django_db

KEY = "a" * 16


def counter():
    calls: list[int] = []

    def create():
        calls.append(1)
        return 201, {"n": len(calls)}

    return calls, create


def age(record: IdempotencyRecord, hours: float) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=hours)
    )


@pytest.mark.parametrize(
    "key",
    [
        "a" * 15,
        "b" * 129,
        "kunci dengan spasi-xx",
        "kunci.titik.0001",
        "ключ-ключ-ключ-ключ",
        "a" * 16 + "\n",
    ],
)
def test_a_key_outside_the_format_is_refused_and_nothing_runs(key):
    calls, create = counter()

    with pytest.raises(ValidationFailed) as raised:
        run_once(scope="t", key=key, digest="d", create=create)

    assert raised.value.code == "validation_error"
    assert raised.value.details == {"field": "Idempotency-Key", "reason": "invalid_idempotency_key"}
    assert calls == [] and IdempotencyRecord.objects.count() == 0


@pytest.mark.parametrize("key", ["a" * 16, "Z9_-" * 32, "0f3c2a1b-uuid_like-key"])
def test_a_key_in_the_format_is_kept_whole(key):
    calls, create = counter()

    run_once(scope="t", key=key, digest="d", create=create)
    status, body, replayed = run_once(scope="t", key=key, digest="d", create=create)

    assert (status, body, replayed) == (201, {"n": 1}, True)
    assert IdempotencyRecord.objects.get().key == key


def test_a_record_older_than_24_hours_is_ignored_and_replaced():
    calls, create = counter()
    run_once(scope="t", key=KEY, digest="d", create=create)
    age(IdempotencyRecord.objects.get(), 24.1)

    status, body, replayed = run_once(scope="t", key=KEY, digest="other", create=create)

    assert (status, body, replayed) == (201, {"n": 2}, False)
    record = IdempotencyRecord.objects.get()
    assert record.request_digest == "other" and record.response_body == {"n": 2}


def test_a_record_younger_than_24_hours_still_replays():
    calls, create = counter()
    run_once(scope="t", key=KEY, digest="d", create=create)
    age(IdempotencyRecord.objects.get(), 23.9)

    assert run_once(scope="t", key=KEY, digest="d", create=create) == (201, {"n": 1}, True)
    assert len(calls) == 1


def test_purge_removes_only_expired_records():
    _calls, create = counter()
    for n, hours in enumerate((25, 30, 1)):
        run_once(scope="t", key=f"{KEY}{n}", digest="d", create=create)
        age(IdempotencyRecord.objects.get(key=f"{KEY}{n}"), hours)

    assert purge_expired() == 2
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == [f"{KEY}2"]


def test_purge_task_is_scheduled_and_purges():
    _calls, create = counter()
    run_once(scope="t", key=KEY, digest="d", create=create)
    age(IdempotencyRecord.objects.get(), 48)

    entry = beat_schedule()["purge-idempotency"]
    assert entry["task"] == "terang.core.tasks.purge_idempotency_records"
    assert purge_idempotency_records() == 1
    assert IdempotencyRecord.objects.count() == 0


def test_request_digest_is_stable_over_key_order():
    assert request_digest({"a": 1, "b": 2}) == request_digest({"b": 2, "a": 1})


def test_create_once_replays_the_first_answer_for_the_same_request():
    calls, create = counter()

    first = create_once(scope="t", key=KEY, request={"a": 1, "b": [2]}, create=create)
    again = create_once(scope="t", key=KEY, request={"b": [2], "a": 1}, create=create)

    assert first == Outcome(status=201, body={"n": 1}, replayed=False)
    assert again == Outcome(status=201, body={"n": 1}, replayed=True)
    assert len(calls) == 1


def test_create_once_refuses_the_same_key_for_another_request_and_runs_nothing():
    calls, create = counter()
    create_once(scope="t", key=KEY, request={"a": 1}, create=create)

    with pytest.raises(Conflict):
        create_once(scope="t", key=KEY, request={"a": 2}, create=create)

    assert len(calls) == 1 and IdempotencyRecord.objects.count() == 1


def test_create_once_without_a_key_runs_every_time():
    calls, create = counter()

    outcomes = [create_once(scope="t", key=None, request={}, create=create) for _ in range(2)]

    assert [o.body for o in outcomes] == [{"n": 1}, {"n": 2}] and len(calls) == 2
    assert not IdempotencyRecord.objects.exists()
