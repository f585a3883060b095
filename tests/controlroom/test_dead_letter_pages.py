"""Operators see the MQTT dead letters in the control room and replay one or all: a replay that
goes through stores the message and leaves the list; one that fails again stays with its attempt
count raised. Every replay is in the dead letter's audit chain; every refused caller changes
nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from terang.controlroom.models import Reading
from terang.controlroom.sensors import services
from terang.core.audit import chain_name
from terang.core.ingest.deadletters import record_dead_letters
from terang.core.ingest.topics import TopicMessage
from terang.core.models import AuditEntry, IngestDeadLetter
from tests.helpers import client_for, login_staff

from .ingest_fixtures import as_json, make_station, reading

pytestmark = pytest.mark.django_db

LIST = "/ruang-kendali/pesan-gagal/"
FAILED_AT = timezone.now() - dt.timedelta(minutes=5)


def dead_letter(minute: int = 0) -> IngestDeadLetter:
    (letter,) = record_dead_letters(
        consumer="sensors",
        messages=[
            TopicMessage(
                topic="terang/sensors/aqms-01/pm25",
                payload=as_json(reading(minute)),
                wildcards=("aqms-01", "pm25"),
            )
        ],
        error="OperationalError: server closed the connection",
        attempts=4,
        first_failed_at=FAILED_AT,
        last_failed_at=FAILED_AT,
    )
    return letter


def state(letter: IngestDeadLetter) -> tuple:
    letter.refresh_from_db()
    return (
        letter.replayed_at,
        letter.attempts,
        letter.error,
        Reading.objects.count(),
        AuditEntry.objects.filter(chain=chain_name(letter)).count(),
    )


def audit_actions(letter: IngestDeadLetter) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(chain=chain_name(letter))
        .order_by("seq")
        .values_list("action", "actor_label")
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("citizen", 403),
        ("officer", 403),
        ("agency_head", 403),
        ("inspector", 200),
        ("operator", 200),
        ("administrator", 200),
    ],
)
def test_who_sees_the_dead_letters(request, who, status) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(who) if who else None
    dead_letter()
    response = client_for(user).get(LIST)
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "terang/sensors/aqms-01/pm25" in body
        assert "OperationalError: server closed the connection" in body
        assert ("Putar ulang semua" in body) == (who in ("operator", "administrator"))


def test_staff_without_a_second_factor_is_sent_to_verify(operator) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(operator)
    response = client.get(LIST)
    assert response.status_code == 302 and "next=" in response["Location"]


def test_the_url_is_named() -> None:
    assert reverse("controlroom:dead_letter_list") == LIST


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("citizen", 403), ("officer", 403), ("inspector", 403)],
)
def test_who_may_not_replay_changes_nothing(request, who, status) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(who) if who else None
    make_station()
    letter = dead_letter()
    before = state(letter)
    client = client_for(user)
    one = client.post(reverse("controlroom:dead_letter_replay", args=[letter.pk]))
    every = client.post(reverse("controlroom:dead_letter_replay_all"))
    assert (one.status_code, every.status_code) == (status, status)
    assert state(letter) == before


def test_a_replay_needs_the_csrf_token(operator) -> None:  # type: ignore[no-untyped-def]
    make_station()
    letter = dead_letter()
    before = state(letter)
    client = Client(enforce_csrf_checks=True)
    login_staff(client, operator)
    response = client.post(reverse("controlroom:dead_letter_replay", args=[letter.pk]))
    assert response.status_code == 403
    assert state(letter) == before


def test_a_replay_that_goes_through_stores_the_message_and_is_audited(operator) -> None:  # type: ignore[no-untyped-def]
    make_station()
    letter = dead_letter()
    client = client_for(operator)
    response = client.post(reverse("controlroom:dead_letter_replay", args=[letter.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    letter.refresh_from_db()
    assert letter.replayed_at is not None and letter.attempts == 4
    assert Reading.objects.count() == 1
    assert audit_actions(letter) == [("ingest.dead_letter_replayed", operator.username)]
    page = client.get(LIST).content.decode()
    assert "Pesan berhasil diputar ulang." in page
    assert "Tidak ada pesan gagal." in page

    again = client.post(reverse("controlroom:dead_letter_replay", args=[letter.pk]))
    assert again.status_code == 302
    assert Reading.objects.count() == 1
    assert len(audit_actions(letter)) == 1


def test_a_replay_that_fails_again_stays_with_its_attempts_raised(monkeypatch, operator) -> None:  # type: ignore[no-untyped-def]
    make_station()
    letter = dead_letter()
    client = client_for(operator)

    def broken(messages):  # type: ignore[no-untyped-def]
        raise RuntimeError("still down")

    monkeypatch.setattr(services, "ingest_messages", broken)
    response = client.post(reverse("controlroom:dead_letter_replay", args=[letter.pk]))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.replayed_at, letter.attempts, letter.error) == (
        None,
        5,
        "RuntimeError: still down",
    )
    assert letter.last_failed_at > FAILED_AT and letter.first_failed_at == FAILED_AT
    assert Reading.objects.count() == 0
    assert audit_actions(letter) == [("ingest.dead_letter_replay_failed", operator.username)]
    assert (
        "Pemutaran ulang gagal lagi: RuntimeError: still down" in client.get(LIST).content.decode()
    )


def test_replay_all_replays_each_and_keeps_the_failures(monkeypatch, administrator) -> None:  # type: ignore[no-untyped-def]
    make_station()
    good = [dead_letter(0), dead_letter(1)]
    bad = dead_letter(2)
    bad.topic = "terang/sensors/aqms-01/pm25-broken"
    bad.save()
    real = services.ingest_messages

    def picky(messages):  # type: ignore[no-untyped-def]
        if any(m.topic.endswith("broken") for m in messages):
            raise RuntimeError("bug")
        return real(messages)

    monkeypatch.setattr(services, "ingest_messages", picky)
    client = client_for(administrator)
    response = client.post(reverse("controlroom:dead_letter_replay_all"))
    assert response.status_code == 302
    assert Reading.objects.count() == 2
    assert all(IngestDeadLetter.objects.get(pk=g.pk).replayed_at for g in good)
    bad.refresh_from_db()
    assert (bad.replayed_at, bad.attempts) == (None, 5)
    assert list(IngestDeadLetter.objects.filter(replayed_at__isnull=True)) == [bad]
