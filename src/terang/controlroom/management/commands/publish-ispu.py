"""`terang publish-ispu`: publish the hourly ISPU now, or backfill past hours
(see controlroom.air.publication)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from terang.controlroom.air.publication import latest_complete_hour, publish_hours


def _hour(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--hour is not ISO 8601: {value!r}") from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # the city's time zone, as operators read clocks
    return moment


class Command(BaseCommand):
    help = (
        "Publish the ISPU of every active air station for the hour ending at --hour (default: "
        "the last hour that has fully passed), and the --backfill N-1 hours before it. "
        "Republishing an hour is safe: only changes are written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hour",
            type=_hour,
            default=None,
            help="End of the hour, ISO 8601, e.g. 2025-03-10T17:00+07:00 (no offset: the "
            "city's time zone). Must be on the hour and already past.",
        )
        parser.add_argument(
            "--backfill", type=int, default=1, help="Number of hours to publish (default 1)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        last = options["hour"] or latest_complete_hour()
        if options["backfill"] < 1:
            raise CommandError("--backfill must be at least 1.")
        try:
            results = publish_hours(last_hour_end=last, hours=options["backfill"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            local = timezone.localtime(result.hour_end)
            line = (
                f"{result.hour_end:%Y-%m-%dT%H:%MZ} ({local:%H:%M %Z}): "
                f"{result.stations} stations, {result.values} values, "
                f"{result.written} written, {result.removed} removed"
            )
            if result.incomplete:
                pairs = ", ".join(f"{station}/{code}" for station, code in result.incomplete)
                line += f"; not enough data: {pairs}"
            self.stdout.write(line)
