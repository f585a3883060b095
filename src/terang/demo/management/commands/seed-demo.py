"""`terang seed-demo`: build the fictional demo city "Kota Contoh" (demo databases only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError

from terang.demo import catalog, seed


class Command(BaseCommand):
    help = (
        "Build the fictional demo city Kota Contoh: 13 kecamatan with kelurahan, agencies, "
        "categories, demo accounts and a year of aspirations. Does nothing if it already exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=sorted(catalog.SIZES),
            default="full",
            help=f"full: {catalog.SIZES['full']} aspirations (default); "
            f"small: {catalog.SIZES['small']}, for tests.",
        )
        parser.add_argument(
            "--aspirations", type=int, help="Number of aspirations (overrides --size)."
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="City date the history ends at (YYYY-MM-DD; default: today in Asia/Jakarta).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete the demo city, ALL aspirations and the whole audit log.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "seed-demo creates accounts with published passwords; "
                "it never runs when TERANG_ENV=production."
            )
        if options["aspirations"] is not None and options["aspirations"] < 1:
            raise CommandError("--aspirations must be at least 1")
        if options["reset"]:
            try:
                deleted = seed.reset()
            except ProtectedError as exc:
                raise CommandError(
                    f"cannot reset: other data still refers to the demo city ({exc.args[0]}). "
                    "Use a fresh database instead."
                ) from exc
            removed = ", ".join(f"{count} {name}" for name, count in deleted.items() if count)
            self.stdout.write(f"Demo data removed: {removed or 'nothing'}.")
        elif seed.is_seeded():
            self.stdout.write(
                self.style.SUCCESS(
                    f"{catalog.CITY_NAME} is already seeded; nothing to do "
                    "(use --reset to rebuild it)."
                )
            )
            return
        if seed.other_city_exists():
            raise CommandError(
                "this database already serves another city; seed the demo into an empty database."
            )
        self.stdout.write(f"Seeding {catalog.CITY_NAME}...")
        try:
            result = seed.seed(
                size=options["size"],
                count=options["aspirations"],
                today=options["today"],
                progress=self.stdout.write,
            )
        except seed.AuditVerificationFailed as exc:
            raise CommandError(str(exc)) from exc
        self._report(result)

    def _report(self, result: seed.SeedResult) -> None:
        counts, stats = result.counts, result.stats
        self.stdout.write(
            f"{counts['agencies']} agencies, {counts['categories']} categories, "
            f"{counts['kecamatan']} kecamatan, {counts['kelurahan']} kelurahan, "
            f"{counts['staff']} staff, {counts['citizens']} citizens, "
            f"{counts['days_off']} city days off."
        )
        self.stdout.write(
            f"{counts['aspirations']} aspirations up to {result.today:%Y-%m-%d} "
            f"({counts['events']} events, {counts['audit_entries']} audit entries): "
            + ", ".join(f"{status} {n}" for status, n in result.statuses.most_common())
        )
        self.stdout.write(
            f"breached {stats['breached_pct']:.1f}%, escalated {stats['escalated_pct']:.1f}%, "
            f"rated {stats['rated_pct_of_closed']:.0f}% of closed (mean "
            f"{stats['mean_rating']:.2f}), ping-pong {stats['ping_pong']:.0f}, "
            f"reopened {stats['reopened']:.0f}."
        )
        self.stdout.write(f"Audit log: {result.audit}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{catalog.CITY_NAME} seeded in {result.seconds:.1f} s "
                f"(CPU {result.cpu_seconds:.1f} s). "
                "Run `terang demo-logins` for the demo accounts."
            )
        )
