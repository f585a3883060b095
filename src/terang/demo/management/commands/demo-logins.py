"""`terang demo-logins`: the demo accounts of Kota Contoh and their (published) passwords."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from terang.core.choices import Role
from terang.demo import catalog, seed
from terang.demo.accounts import STAFF_PASSWORD, citizen_accounts, staff_accounts


class Command(BaseCommand):
    help = "Print the demo accounts of Kota Contoh with their demo-only passwords."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo accounts do not exist in production.")
        write = self.stdout.write
        write(f"{catalog.CITY_NAME} demo accounts (demo only: these passwords are public)")
        write(f"Open {catalog.DEMO_URL}")
        if not seed.is_seeded():
            write(self.style.WARNING("Not seeded yet: run `terang seed-demo` first."))
        write("")
        staff = staff_accounts()
        city_wide = [a for a in staff if a.agency is None or a.role == Role.INSPECTORATE]
        width = 28
        write(f"{'Role':<{width}}{'Username':<16}Password")
        for account in city_wide:
            write(
                f"{str(Role(account.role).label):<{width}}{account.username:<16}{account.password}"
            )
        write(f"Officer / head of agency (password {STAFF_PASSWORD}):")
        short_names = {row["code"]: row["short_name"] for row in catalog.agencies()}
        by_agency: dict[str, list[str]] = {}
        for account in staff:
            if account.role in (Role.OFFICER, Role.AGENCY_HEAD) and account.agency:
                by_agency.setdefault(account.agency, []).append(account.username)
        for code, usernames in by_agency.items():
            columns = "".join(f"{username:<22}" for username in usernames).rstrip()
            write(f"  {short_names[code]:<{width - 2}}{columns}")
        citizens = citizen_accounts()
        names = f"{citizens[0].username}..{citizens[-1].username}"
        write(
            f"{str(Role.CITIZEN.label):<{width}}{names:<16}{citizens[0].password}"
            f"  (or by e-mail: {citizens[0].email})"
        )
        write("")
        write("Staff sign in with two factors.")
        write("2FA: run `terang demo-otp <username>` for the current code")
