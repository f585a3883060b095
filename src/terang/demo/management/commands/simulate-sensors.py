"""`terang simulate-sensors`: feed the demo city's stations with the simulated scenario, and
its vehicles with their positions (see demo.simulator)."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

import paho.mqtt.client as mqtt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from paho.mqtt.enums import CallbackAPIVersion

from terang.controlroom.sensors import services
from terang.controlroom.sensors.mqtt import sibling_fleet_prefix
from terang.demo import simulator
from terang.demo.fleet import create_demo_fleet
from terang.demo.fleet import demo_token as vehicle_token
from terang.demo.sensors import create_demo_stations, demo_token
from terang.fleet import services as fleet_services


class Sink(Protocol):
    def send(self, emission: simulator.Emission) -> services.IngestResult | None: ...

    def send_fleet(self, emission: simulator.FleetEmission) -> services.IngestResult | None: ...

    def close(self) -> None: ...


class MqttSink:
    """Publish with QoS 1 and wait for the broker's acknowledgement of each message."""

    def __init__(self, url: str, prefix: str, fleet_prefix: str) -> None:
        parsed = urlparse(url)
        self.prefix = prefix.rstrip("/")
        self.fleet_prefix = fleet_prefix.rstrip("/")
        self.client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=f"terang-simulator-{uuid.uuid4().hex[:8]}",
        )
        if parsed.username:
            self.client.username_pw_set(unquote(parsed.username), unquote(parsed.password or ""))
        if parsed.scheme == "mqtts":
            self.client.tls_set()
        default_port = 8883 if parsed.scheme == "mqtts" else 1883
        self.client.connect(parsed.hostname or "127.0.0.1", parsed.port or default_port)
        self.client.loop_start()

    def send(self, emission: simulator.Emission) -> None:
        topic = f"{self.prefix}/{emission.station_code}/{emission.parameter_code}"
        self.client.publish(topic, emission.payload, qos=1).wait_for_publish(timeout=10)

    def send_fleet(self, emission: simulator.FleetEmission) -> None:
        topic = f"{self.fleet_prefix}/{emission.vehicle_code}"
        self.client.publish(topic, emission.payload, qos=1).wait_for_publish(timeout=10)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class HttpSink:
    """POST to the HTTP ingest endpoints of a running server with each station's and vehicle's
    demo token."""

    def __init__(self, base_url: str, fleet_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.fleet_url = fleet_url.rstrip("/")

    def send(self, emission: simulator.Emission) -> services.IngestResult:
        url = f"{self.base_url}/{emission.station_code}/{emission.parameter_code}/readings"
        return self._post(url, emission.payload, demo_token(emission.station_code))

    def send_fleet(self, emission: simulator.FleetEmission) -> services.IngestResult:
        url = f"{self.fleet_url}/{emission.vehicle_code}/positions"
        return self._post(url, emission.payload, vehicle_token(emission.vehicle_code))

    def _post(self, url: str, payload: bytes, token: str) -> services.IngestResult:
        request = urllib.request.Request(  # noqa: S310 - the operator gives the URL
            url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                body = json.loads(response.read())
        except urllib.error.URLError as exc:
            raise CommandError(f"HTTP ingest at {url} failed: {exc}") from exc
        return services.IngestResult(
            stored=body["stored"], duplicates=body["duplicates"], quarantined=body["quarantined"]
        )

    def close(self) -> None:
        return None


class ServiceSink:
    """In process: the same two calls the HTTP endpoint makes (authenticate, then ingest)."""

    def send(self, emission: simulator.Emission) -> services.IngestResult:
        station = services.authenticate_station(
            station_code=emission.station_code, token=demo_token(emission.station_code)
        )
        return services.ingest_readings(
            station=station, parameter_code=emission.parameter_code, payload=emission.payload
        )

    def send_fleet(self, emission: simulator.FleetEmission) -> services.IngestResult:
        vehicle = fleet_services.authenticate_vehicle(
            vehicle_code=emission.vehicle_code, token=vehicle_token(emission.vehicle_code)
        )
        return fleet_services.ingest_positions(vehicle=vehicle, payload=emission.payload)

    def close(self) -> None:
        return None


def sibling_fleet_url(sensors_url: str) -> str:
    """`.../api/v1/sensors` -> `.../api/v1/fleet`."""
    head, _sep, _tail = sensors_url.rstrip("/").rpartition("/")
    return f"{head}/fleet"


class Command(BaseCommand):
    help = (
        "Publish the demo city's sensor scenario (diurnal PM2.5 with a haze episode, a rain "
        "event that lifts the river gauges past siaga, a broken station sending garbage) and "
        "the demo fleet's positions (trucks on their routes in real time, one idling outside "
        "the depots; the first round backfills 30 minutes). "
        "Over MQTT when --url/MQTT_URL is set; else POSTed to --ingest-url (the HTTP ingest "
        "of a running server, e.g. http://127.0.0.1:8000/api/v1/sensors); else stored in "
        "process through the ingest service, exactly as the HTTP endpoint would. Creates the "
        "demo stations when they are missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default=settings.MQTT_URL, help="MQTT broker; default MQTT_URL."
        )
        parser.add_argument(
            "--topic-prefix",
            default=settings.MQTT_TOPIC_PREFIX,
        )
        parser.add_argument("--ingest-url", default="", help="Base URL of the HTTP sensor API.")
        parser.add_argument(
            "--minutes", type=float, default=600.0, help="Scenario minutes to play (default 600)."
        )
        parser.add_argument(
            "--speed",
            type=float,
            default=60.0,
            help="Scenario seconds per real second (default 60: a round every 5 s).",
        )
        parser.add_argument(
            "--start", type=float, default=0.0, help="Scenario minute to start at (default 0)."
        )
        parser.add_argument("--once", action="store_true", help="Send one round and exit.")
        parser.add_argument("--no-fleet", action="store_true", help="Leave the vehicles out.")
        parser.add_argument(
            "--fleet-topic-prefix",
            default=None,
            help="MQTT prefix of vehicle positions; default: beside --topic-prefix "
            "(terang/sensors -> terang/fleet).",
        )
        parser.add_argument(
            "--fleet-ingest-url",
            default="",
            help="Base URL of the HTTP fleet API; default: beside --ingest-url.",
        )

    def _sink(self, options: dict[str, Any]) -> tuple[Sink, str]:
        if options["url"]:
            fleet_prefix = options["fleet_topic_prefix"]
            if fleet_prefix is None:
                fleet_prefix = sibling_fleet_prefix(options["topic_prefix"])
            sink = MqttSink(options["url"], options["topic_prefix"], fleet_prefix)
            return sink, f"MQTT {options['url']}"
        if options["ingest_url"]:
            fleet_url = options["fleet_ingest_url"] or sibling_fleet_url(options["ingest_url"])
            return HttpSink(options["ingest_url"], fleet_url), f"HTTP {options['ingest_url']}"
        return ServiceSink(), "the ingest service (in process)"

    def handle(self, *args: Any, **options: Any) -> None:
        if options["speed"] <= 0:
            raise CommandError("--speed must be positive.")
        create_demo_stations()
        fleet = not options["no_fleet"]
        if fleet:
            create_demo_fleet()
        sink, where = self._sink(options)
        self.stdout.write(f"simulating sensors into {where}")
        pause = simulator.STEP_MINUTES * 60.0 / options["speed"]
        minute = options["start"]
        end = options["start"] + options["minutes"]
        fleet_since = timezone.now() - simulator.FLEET_BACKFILL
        try:
            while True:
                self._round(sink, minute)
                if fleet:
                    fleet_since = self._fleet_round(sink, fleet_since)
                minute += simulator.STEP_MINUTES
                if options["once"] or minute > end:
                    break
                time.sleep(pause)
        except KeyboardInterrupt:
            self.stdout.write("stopped")
        finally:
            sink.close()

    def _round(self, sink: Sink, minute: float) -> None:
        total = services.IngestResult()
        sent = 0
        for emission in simulator.emissions(minute, timezone.now()):
            result = sink.send(emission)
            sent += 1
            if result is not None:
                total.merge(result)
        hours, minutes = divmod(round(simulator.local_hour(minute) * 60) % 1440, 60)
        clock = f"{hours:02d}:{minutes:02d}"
        line = f"scenario {clock} (minute {minute:g}): {sent} messages"
        if isinstance(sink, MqttSink):
            self.stdout.write(line + " published")
        else:
            self.stdout.write(
                f"{line}, stored {total.stored}, duplicates {total.duplicates}, "
                f"quarantined {total.quarantined}"
            )

    def _fleet_round(self, sink: Sink, since: dt.datetime) -> dt.datetime:
        """Send every vehicle's fixes after `since`; return the time sent up to."""
        until = timezone.now()
        total = services.IngestResult()
        emissions = simulator.fleet_emissions(since, until)
        for emission in emissions:
            result = sink.send_fleet(emission)
            if result is not None:
                total.merge(result)
        positions = sum(e.positions for e in emissions)
        line = f"fleet: {len(emissions)} messages, {positions} positions"
        if isinstance(sink, MqttSink):
            self.stdout.write(line + " published")
        else:
            self.stdout.write(
                f"{line}, stored {total.stored}, duplicates {total.duplicates}, "
                f"quarantined {total.quarantined}"
            )
        return until
