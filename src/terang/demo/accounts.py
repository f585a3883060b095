"""Demo accounts: staff for every role (with TOTP), three citizens who can sign in, and a pool
of fictional reporters who cannot.

The passwords and TOTP keys below are public on purpose, for the demo only: `seed-demo`,
`demo-logins` and `demo-otp` all refuse to run when settings.PRODUCTION is true.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from terang.core.choices import Role
from terang.core.models import Agency, User
from terang.core.services import TOTP_DEVICE_NAME, create_staff_user

from . import catalog

STAFF_PASSWORD = "Terang-Demo-2026"  # noqa: S105 - published demo credential
CITIZEN_PASSWORD = "Warga-Contoh-2026"  # noqa: S105 - published demo credential
TOTP_KEY_PREFIX = "terang-demo-totp:"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str
    agency: str | None = None  # agency code

    @property
    def email(self) -> str:
        return f"{self.username}@{catalog.DEMO_EMAIL_DOMAIN}"


def staff_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount("admin", Role.ADMIN, STAFF_PASSWORD),
        DemoAccount("operator1", Role.OPERATOR, STAFF_PASSWORD),
        DemoAccount("inspektorat1", Role.INSPECTORATE, STAFF_PASSWORD, "INSPEKTORAT"),
    ]
    for row in catalog.agencies():
        slug = row.get("slug")
        if slug:
            for prefix, role in (("petugas", Role.OFFICER), ("kepala", Role.AGENCY_HEAD)):
                accounts.append(DemoAccount(f"{prefix}.{slug}", role, STAFF_PASSWORD, row["code"]))
    return accounts


def citizen_accounts() -> list[DemoAccount]:
    return [DemoAccount(f"warga{n}", Role.CITIZEN, CITIZEN_PASSWORD) for n in (1, 2, 3)]


def staff_usernames() -> set[str]:
    return {account.username for account in staff_accounts()}


def totp_key(username: str) -> str:
    """The demo-only TOTP secret of a staff account: 20 bytes as 40 hex digits."""
    return hashlib.sha1((TOTP_KEY_PREFIX + username).encode(), usedforsecurity=False).hexdigest()


def person_name(rng: random.Random) -> str:
    names = catalog.names()
    return f"{rng.choice(names['first_names'])} {rng.choice(names['last_names'])}"


@dataclass
class Accounts:
    staff: dict[str, User]
    operators: list[User]
    officers: dict[int, User]  # by agency id
    heads: dict[int, User]  # by agency id
    citizens: list[User]  # can sign in (warga1..3)
    pool: list[User] = field(default_factory=list)  # fictional reporters, unusable passwords


def create_accounts(
    rng: random.Random, agencies: dict[str, Agency], *, pool_size: int, anchor: dt.datetime
) -> Accounts:
    staff: dict[str, User] = {}
    for account in staff_accounts():
        agency = agencies[account.agency] if account.agency else None
        if account.role == Role.ADMIN:
            full_name = "Administrator Kota Contoh"
        else:
            full_name = person_name(rng)
        staff[account.username] = create_staff_user(
            username=account.username,
            password=account.password,
            role=account.role,
            agency=agency,
            full_name=full_name,
            email=account.email,
        )
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=totp_key(username), confirmed=True)
        for username, user in staff.items()
    )

    citizens = []
    for account in citizen_accounts():
        user = User(
            username=account.username,
            email=account.email,
            full_name=person_name(rng),
            role=Role.CITIZEN,
            contact_verified=True,
            date_joined=anchor - dt.timedelta(days=400 + rng.randrange(200)),
        )
        user.set_password(account.password)
        citizens.append(user)
    User.objects.bulk_create(citizens)

    unusable = make_password(None)
    pool = [
        User(
            username=f"warga{100 + n}",
            email=f"warga{100 + n}@{catalog.DEMO_EMAIL_DOMAIN}",
            full_name=person_name(rng),
            role=Role.CITIZEN,
            contact_verified=True,
            password=unusable,
            date_joined=anchor - dt.timedelta(days=370 + rng.randrange(900)),
        )
        for n in range(pool_size)
    ]
    User.objects.bulk_create(pool, batch_size=500)

    officers: dict[int, User] = {}
    heads: dict[int, User] = {}
    for user in staff.values():
        if user.agency_id is None:
            continue
        if user.role == Role.OFFICER:
            officers[user.agency_id] = user
        elif user.role == Role.AGENCY_HEAD:
            heads[user.agency_id] = user
    return Accounts(
        staff=staff,
        operators=[user for user in staff.values() if user.role == Role.OPERATOR],
        officers=officers,
        heads=heads,
        citizens=citizens,
        pool=pool,
    )
