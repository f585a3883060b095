"""`terang ingest-mqtt`: store what devices publish on MQTT, for every topic registered in
`registry["mqtt_topics"]` (see terang.core.ingest.worker)."""

from __future__ import annotations

import signal
import socket
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from terang.core.ingest.topics import topic_root
from terang.core.ingest.worker import IngestWorker


class Command(BaseCommand):
    help = (
        "Subscribe at MQTT_URL to every registered topic (sensor readings on "
        "<root>/sensors/<station>/<parameter>, vehicle positions on <root>/fleet/<vehicle>; "
        "QoS 1, persistent session) and store them in batches; bad messages go to each app's "
        "quarantine, batches that keep failing become dead letters. Stops on SIGTERM."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=settings.MQTT_URL, help="Default: MQTT_URL.")
        parser.add_argument(
            "--client-id",
            default=settings.MQTT_CLIENT_ID or f"terang-ingest-{socket.gethostname()}",
            help="Keep it stable: the broker keeps the session (and queued messages) under it.",
        )
        parser.add_argument(
            "--topic-prefix",
            default=settings.MQTT_TOPIC_PREFIX,
            help="The sensors' prefix (default: MQTT_TOPIC_PREFIX); every registered topic sits "
            "beside it, under its parent.",
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
        worker = IngestWorker(
            url=options["url"],
            client_id=options["client_id"],
            topic_root=topic_root(options["topic_prefix"]),
            batch_size=options["batch_size"],
            flush_seconds=options["flush_seconds"],
        )
        stats = worker.run(stop)
        result = stats.total
        self.stdout.write(
            f"received {stats.received}, stored {result.stored}, "
            f"duplicates {result.duplicates}, quarantined {result.quarantined}, "
            f"dead letters {stats.dead_letters}"
        )
