from __future__ import annotations

import datetime as dt

import pytest

from terang.controlroom.models import LatestReading, Parameter, QuarantinedMessage, Reading
from terang.controlroom.sensors import services
from terang.controlroom.sensors.selectors import latest_values, quarantine_counts
from terang.controlroom.sensors.services import RawMessage, ingest_messages, ingest_readings
from terang.core.crypto import digest

from .ingest_fixtures import BASE_TS, as_json, make_station, now_iso, reading

pytestmark = pytest.mark.django_db


def test_standard_parameters_exist_with_canonical_units() -> None:
    units = dict(Parameter.objects.values_list("code", "unit"))
    assert units == {
        "co": "ug/m3", "hc": "ug/m3", "no2": "ug/m3", "o3": "ug/m3", "pm10": "ug/m3",
        "pm25": "ug/m3", "so2": "ug/m3", "noise": "dB", "rainfall": "mm", "water_level": "cm",
    }  # fmt: skip


def test_valid_reading_is_stored_and_becomes_latest() -> None:
    station = make_station()
    result = ingest_readings(station=station, parameter_code="pm25", payload=as_json(reading()))
    assert (result.stored, result.duplicates, result.quarantined) == (1, 0, 0)
    stored = Reading.objects.get()
    assert (stored.station, stored.parameter.code, stored.ts, stored.value) == (
        station,
        "pm25",
        BASE_TS,
        35.0,
    )
    latest = latest_values().get()
    assert (latest.ts, latest.value) == (BASE_TS, 35.0)
    station.refresh_from_db()
    assert station.last_seen_at is not None


def test_timestamp_with_offset_is_stored_in_utc() -> None:
    station = make_station()
    payload = {"ts": "2025-03-10T15:00:00+07:00", "value": 10, "unit": "ug/m3"}
    ingest_readings(station=station, parameter_code="pm25", payload=payload)
    assert Reading.objects.get().ts == BASE_TS


def test_same_reading_twice_is_stored_once() -> None:
    station = make_station()
    first = ingest_readings(station=station, parameter_code="pm25", payload=as_json(reading()))
    again = ingest_readings(station=station, parameter_code="pm25", payload=as_json(reading()))
    assert (first.stored, again.stored, again.duplicates) == (1, 0, 1)
    assert Reading.objects.count() == 1


def test_duplicate_inside_one_batch_is_stored_once() -> None:
    station = make_station()
    batch = [reading(0), reading(1), reading(0, value=99)]
    result = ingest_readings(station=station, parameter_code="pm25", payload=as_json(batch))
    assert (result.stored, result.duplicates, result.quarantined) == (2, 1, 0)
    assert sorted(Reading.objects.values_list("value", flat=True)) == [35.0, 35.0]


def test_batch_forms_list_and_readings_key() -> None:
    station = make_station()
    as_list = ingest_readings(
        station=station, parameter_code="pm25", payload=as_json([reading(0), reading(1)])
    )
    as_object = ingest_readings(
        station=station, parameter_code="pm25", payload={"readings": [reading(2), reading(3)]}
    )
    assert (as_list.stored, as_object.stored) == (2, 2)
    assert Reading.objects.count() == 4


def test_latest_only_moves_forward() -> None:
    station = make_station()
    ingest_readings(station=station, parameter_code="pm25", payload=reading(10, value=50))
    ingest_readings(station=station, parameter_code="pm25", payload=reading(5, value=20))
    latest = LatestReading.objects.get()
    assert (latest.ts, latest.value) == (BASE_TS + dt.timedelta(minutes=10), 50.0)
    ingest_readings(station=station, parameter_code="pm25", payload=reading(11, value=60))
    assert LatestReading.objects.get().value == 60.0
    assert Reading.objects.count() == 3


def test_latest_values_reads_no_history(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    station = make_station()
    ingest_readings(station=station, parameter_code="pm25", payload=[reading(i) for i in range(5)])
    with django_assert_num_queries(1) as captured:
        rows = list(latest_values(station=station))
    assert len(rows) == 1
    assert "controlroom_reading" not in captured.captured_queries[0]["sql"].replace(
        "controlroom_latestreading", ""
    )


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "malformed_json"),
        (b'"just a string"', "malformed_json"),
        (as_json({"ts": "2025-03-10T08:00:00Z", "unit": "ug/m3"}), "missing_field"),
        (as_json(reading(unit="mg/m3")), "wrong_unit"),
        (as_json(reading(value=-1)), "out_of_range"),
        (as_json(reading(value=1001)), "out_of_range"),
        (as_json(reading(value="12")), "not_a_number"),
        (as_json(reading(value=True)), "not_a_number"),
        (b'{"ts": "2025-03-10T08:00:00Z", "value": NaN, "unit": "ug/m3"}', "not_a_number"),
        (as_json({"ts": "2025-03-10T08:00:00", "value": 1, "unit": "ug/m3"}), "bad_timestamp"),
        (as_json({"ts": "yesterday", "value": 1, "unit": "ug/m3"}), "bad_timestamp"),
        (as_json({"ts": 1741593600, "value": 1, "unit": "ug/m3"}), "bad_timestamp"),
    ],
)
def test_bad_payload_is_quarantined_with_reason(payload: bytes, reason: str) -> None:
    station = make_station()
    result = ingest_messages(
        [RawMessage("aqms-01", "pm25", payload, topic="terang/sensors/aqms-01/pm25")]
    )
    assert (result.stored, result.quarantined, dict(result.reasons)) == (0, 1, {reason: 1})
    row = QuarantinedMessage.objects.get()
    assert (row.reason, row.topic, row.station_code) == (
        reason,
        "terang/sensors/aqms-01/pm25",
        station.code,
    )
    assert row.payload == payload.decode()
    assert Reading.objects.count() == 0
    assert LatestReading.objects.count() == 0


def test_reading_from_the_future_is_quarantined() -> None:
    make_station()
    payload = {"ts": now_iso(dt.timedelta(minutes=10)), "value": 1, "unit": "ug/m3"}
    result = ingest_messages([RawMessage("aqms-01", "pm25", payload)])
    assert dict(result.reasons) == {"bad_timestamp": 1}


def test_slightly_ahead_clock_is_accepted() -> None:
    make_station()
    payload = {"ts": now_iso(dt.timedelta(minutes=4)), "value": 1, "unit": "ug/m3"}
    assert ingest_messages([RawMessage("aqms-01", "pm25", payload)]).stored == 1


def test_unknown_and_inactive_station_and_unknown_parameter_are_quarantined() -> None:
    make_station()
    make_station("old-01", is_active=False)
    result = ingest_messages(
        [
            RawMessage("nope", "pm25", as_json(reading())),
            RawMessage("old-01", "pm25", as_json(reading())),
            RawMessage("aqms-01", "radon", as_json(reading())),
        ]
    )
    assert dict(result.reasons) == {"unknown_station": 2, "unknown_parameter": 1}
    assert quarantine_counts() == {"unknown_parameter": 1, "unknown_station": 2}
    assert Reading.objects.count() == 0


def test_parameter_not_configured_for_station_is_quarantined() -> None:
    station = make_station()
    station.parameters.add(Parameter.objects.get(code="pm10"))
    result = ingest_readings(station=station, parameter_code="pm25", payload=reading())
    assert dict(result.reasons) == {"unknown_parameter": 1}
    ok = ingest_readings(station=station, parameter_code="pm10", payload=reading())
    assert ok.stored == 1


def test_bad_item_in_batch_does_not_block_the_good_ones() -> None:
    station = make_station()
    batch = [reading(0), reading(1, unit="ppm"), reading(2), {"value": 3}]
    result = ingest_readings(station=station, parameter_code="pm25", payload=batch)
    assert (result.stored, result.quarantined) == (2, 2)
    assert [(r.index, r.reason) for r in result.rejected] == [
        (1, "wrong_unit"),
        (3, "missing_field"),
    ]
    assert QuarantinedMessage.objects.get(reason="wrong_unit").payload == (
        '{"ts": "2025-03-10T08:01:00+00:00", "value": 35.0, "unit": "ppm"}'
    )


def test_long_payload_is_truncated_in_quarantine() -> None:
    make_station()
    result = ingest_messages([RawMessage("aqms-01", "pm25", b"x" * 10_000)])
    assert result.quarantined == 1
    assert len(QuarantinedMessage.objects.get().payload) == 4000


def test_parse_topic() -> None:
    parsed = services.parse_topic("terang/sensors/aqms-01/pm25")
    assert parsed is not None
    assert (parsed.station_code, parsed.parameter_code) == ("aqms-01", "pm25")
    assert services.parse_topic("terang/sensors/aqms-01") is None
    assert services.parse_topic("terang/sensors/a/b/c") is None
    assert services.parse_topic("other/aqms-01/pm25") is None


def test_station_token_is_stored_as_digest_only() -> None:
    station = make_station()
    token = services.issue_station_token(station=station)
    station.refresh_from_db()
    assert station.token_digest == digest(token)
    assert token not in station.token_digest
    assert services.authenticate_station(station_code="aqms-01", token=token) == station
    with pytest.raises(services.StationNotAuthenticated):
        services.authenticate_station(station_code="aqms-01", token="wrong")


def test_ingest_command_needs_a_broker_url(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import CommandError, call_command

    settings.MQTT_URL = ""
    with pytest.raises(CommandError):
        call_command("ingest-mqtt", url="")


def _pending_reading(worker_module, monkeypatch, acks: list[int]):  # type: ignore[no-untyped-def]
    worker = worker_module.IngestWorker(
        url="mqtt://127.0.0.1:1", client_id="t", batch_size=10, sleep=lambda s: None
    )
    monkeypatch.setattr(worker.client, "ack", lambda mid, qos: acks.append(mid))
    message = type(
        "Msg",
        (),
        {"topic": "terang/sensors/aqms-01/pm25", "payload": as_json(reading()), "mid": 7, "qos": 1},
    )()
    worker._on_message(worker.client, None, message)
    return worker


def _broken(messages):  # type: ignore[no-untyped-def]
    raise RuntimeError("database down")


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a failure
def test_failed_flush_is_dead_lettered_and_acknowledged(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from terang.controlroom.sensors import mqtt as worker_module
    from terang.core.models import IngestDeadLetter

    make_station()
    acks: list[int] = []
    worker = _pending_reading(worker_module, monkeypatch, acks)
    monkeypatch.setattr(services, "ingest_messages", _broken)
    assert worker.flush() is None
    assert acks == [7]
    letter = IngestDeadLetter.objects.get()
    assert (letter.consumer, letter.topic, letter.attempts) == (
        "sensors",
        "terang/sensors/aqms-01/pm25",
        4,
    )
    assert Reading.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a failure
def test_failed_flush_keeps_the_batch_unacknowledged_when_no_dead_letter_can_be_kept(
    monkeypatch,
) -> None:  # type: ignore[no-untyped-def]
    from terang.controlroom.sensors import mqtt as worker_module
    from terang.core.ingest import deadletters

    make_station()
    acks: list[int] = []
    worker = _pending_reading(worker_module, monkeypatch, acks)
    monkeypatch.setattr(services, "ingest_messages", _broken)
    monkeypatch.setattr(deadletters, "record_dead_letters", _broken)  # the database is down
    assert worker.flush() is None
    assert acks == []
    monkeypatch.undo()
    monkeypatch.setattr(worker.client, "ack", lambda mid, qos: acks.append(mid))
    result = worker.flush()
    assert result is not None and result.stored == 1
    assert acks == [7]
