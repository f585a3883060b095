"""`terang ingest-mqtt`: store sensor readings published on MQTT (see controlroom.mqtt)."""

from __future__ import annotations

import signal
import socket
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from terang.controlroom.mqtt import run_ingest
from terang.controlroom.services import DEFAULT_TOPIC_PREFIX


class Command(BaseCommand):
    help = (
        "Subscribe at MQTT_URL to <prefix>/<station>/<parameter> (QoS 1, persistent session) "
        "and store readings in batches; bad messages go to the quarantine. Stops on SIGTERM."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=settings.MQTT_URL, help="Default: MQTT_URL.")
        parser.add_argument(
            "--client-id",
            default=getattr(settings, "MQTT_CLIENT_ID", "")
            or f"terang-ingest-{socket.gethostname()}",
            help="Keep it stable: the broker keeps the session (and queued readings) under it.",
        )
        parser.add_argument(
            "--topic-prefix",
            default=getattr(settings, "MQTT_TOPIC_PREFIX", DEFAULT_TOPIC_PREFIX),
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--flush-seconds", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["url"]:
            raise CommandError("MQTT_URL is not set.")
        stop = threading.Event()

        def on_signal(signum: int, frame: object) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        stats = run_ingest(
            stop,
            url=options["url"],
            client_id=options["client_id"],
            topic_prefix=options["topic_prefix"],
            batch_size=options["batch_size"],
            flush_seconds=options["flush_seconds"],
        )
        result = stats.result
        self.stdout.write(
            f"received {stats.received}, stored {result.stored}, "
            f"duplicates {result.duplicates}, quarantined {result.quarantined}"
        )
