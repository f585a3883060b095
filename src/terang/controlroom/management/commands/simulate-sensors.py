"""`terang simulate-sensors`: feed the demo city's stations with the simulated scenario."""

from __future__ import annotations

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

from terang.controlroom import services, simulator
from terang.demo.sensors import create_demo_stations, demo_token


class Sink(Protocol):
    def send(self, emission: simulator.Emission) -> services.IngestResult | None: ...

    def close(self) -> None: ...


class MqttSink:
    """Publish with QoS 1 and wait for the broker's acknowledgement of each message."""

    def __init__(self, url: str, prefix: str) -> None:
        parsed = urlparse(url)
        self.prefix = prefix.rstrip("/")
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

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class HttpSink:
    """POST to the HTTP ingest endpoint of a running server with each station's demo token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def send(self, emission: simulator.Emission) -> services.IngestResult:
        url = f"{self.base_url}/{emission.station_code}/{emission.parameter_code}/readings"
        request = urllib.request.Request(  # noqa: S310 - the operator gives the URL
            url,
            data=emission.payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {demo_token(emission.station_code)}",
            },
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

    def close(self) -> None:
        return None


class Command(BaseCommand):
    help = (
        "Publish the demo city's sensor scenario (diurnal PM2.5 with a haze episode, a rain "
        "event that lifts the river gauges past siaga, a broken station sending garbage). "
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
            default=getattr(settings, "MQTT_TOPIC_PREFIX", services.DEFAULT_TOPIC_PREFIX),
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

    def _sink(self, options: dict[str, Any]) -> tuple[Sink, str]:
        if options["url"]:
            return MqttSink(options["url"], options["topic_prefix"]), f"MQTT {options['url']}"
        if options["ingest_url"]:
            return HttpSink(options["ingest_url"]), f"HTTP {options['ingest_url']}"
        return ServiceSink(), "the ingest service (in process)"

    def handle(self, *args: Any, **options: Any) -> None:
        if options["speed"] <= 0:
            raise CommandError("--speed must be positive.")
        create_demo_stations()
        sink, where = self._sink(options)
        self.stdout.write(f"simulating sensors into {where}")
        pause = simulator.STEP_MINUTES * 60.0 / options["speed"]
        minute = options["start"]
        end = options["start"] + options["minutes"]
        try:
            while True:
                self._round(sink, minute)
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
