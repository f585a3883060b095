"""Shared factory_boy factories for plain rows, plus helpers for signed-in staff.

    citizen = UserFactory()                                  # verified citizen with e-mail
    by_phone = UserFactory(email=None, phone="+6281234567890")
    officer = make_staff(Role.OFFICER)                       # agency + confirmed TOTP device
    login_verified(client, officer)                          # session passes the 2FA gate

Every user's password is DEFAULT_PASSWORD. Its Argon2 hash is computed once per test run
and shared, because hashing per row would dominate the suite's run time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from terang.core.choices import AreaLevel, Role
from terang.core.crypto import digest, encrypt
from terang.core.models import AdministrativeArea, Agency, CityProfile, User

DEFAULT_PASSWORD = "Sandi-Uji-Terang-2024"

# A box around Kota Tangerang; areas default to sub-boxes of it.
CITY_BOX = {"min_lat": -6.27, "max_lat": -6.13, "min_lon": 106.56, "max_lon": 106.72}


@lru_cache(maxsize=1)
def default_password_hash() -> str:
    return make_password(DEFAULT_PASSWORD)


def box_polygon(min_lat: float, max_lat: float, min_lon: float, max_lon: float) -> dict[str, Any]:
    """A GeoJSON Polygon for a lat/lon box (lon first, closed ring)."""
    ring = [
        [min_lon, min_lat],
        [max_lon, min_lat],
        [max_lon, max_lat],
        [min_lon, max_lat],
        [min_lon, min_lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


class CityProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityProfile
        django_get_or_create = ("slug",)

    name = "Kota Tangerang"
    slug = "kota-tangerang"
    timezone = "Asia/Jakarta"
    min_lat = CITY_BOX["min_lat"]
    max_lat = CITY_BOX["max_lat"]
    min_lon = CITY_BOX["min_lon"]
    max_lon = CITY_BOX["max_lon"]
    boundary = factory.LazyAttribute(
        lambda o: box_polygon(o.min_lat, o.max_lat, o.min_lon, o.max_lon)
    )
    contact_email = "pengaduan@example.go.id"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"OPD-{n + 1:03d}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n + 1}")
    short_name = factory.Sequence(lambda n: f"DU{n + 1}")
    parent = None
    is_active = True


class AreaFactory(factory.django.DjangoModelFactory):
    """A kecamatan by default; pass level=AreaLevel.KELURAHAN and parent=... for a kelurahan,
    or use KelurahanFactory."""

    class Meta:
        model = AdministrativeArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"36.71.{n + 1:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan Uji {n + 1}")
    level = AreaLevel.KECAMATAN
    parent = None
    min_lat = CITY_BOX["min_lat"]
    max_lat = CITY_BOX["max_lat"]
    min_lon = CITY_BOX["min_lon"]
    max_lon = CITY_BOX["max_lon"]
    boundary = factory.LazyAttribute(
        lambda o: box_polygon(o.min_lat, o.max_lat, o.min_lon, o.max_lon)
    )


class KelurahanFactory(AreaFactory):
    code = factory.Sequence(lambda n: f"36.71.99.{n + 1:04d}")
    name = factory.Sequence(lambda n: f"Kelurahan Uji {n + 1}")
    level = AreaLevel.KELURAHAN
    parent = factory.SubFactory(AreaFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A verified citizen with an e-mail address. `phone="+62..."` stores it encrypted."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    class Params:
        phone = None

    username = factory.Sequence(lambda n: f"pengguna{n + 1}")
    email = factory.Sequence(lambda n: f"pengguna{n + 1}@example.com")
    full_name = factory.Sequence(lambda n: f"Warga Uji {n + 1}")
    password = factory.LazyFunction(default_password_hash)
    role = Role.CITIZEN
    agency = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role in (Role.OFFICER, Role.AGENCY_HEAD)),
        yes_declaration=factory.SubFactory(AgencyFactory),
        no_declaration=None,
    )
    contact_verified = True
    is_active = True
    phone_digest = factory.LazyAttribute(lambda o: digest(o.phone) if o.phone else None)
    phone_encrypted = factory.LazyAttribute(lambda o: encrypt(o.phone) if o.phone else "")


def make_staff(
    role: str = Role.OFFICER,
    *,
    agency: Agency | None = None,
    with_device: bool = True,
    **fields: Any,
) -> User:
    """A staff user of `role` (an agency is created for officers and heads when not given)
    with a confirmed TOTP device unless `with_device=False`. Administrators also get Django's
    is_staff/is_superuser, as `create_staff_user` gives them."""
    is_admin = role == Role.ADMIN
    fields.setdefault("is_staff", is_admin)
    fields.setdefault("is_superuser", is_admin)
    if agency is not None:
        fields["agency"] = agency
    user = UserFactory(role=role, **fields)
    if with_device:
        TOTPDevice.objects.create(user=user, name="Terang", confirmed=True)
    return user


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device (use django_otp.oath.totp(device.bin_key) for a code)."""
    return TOTPDevice.objects.get(user=user, confirmed=True)


def login_verified(client: Client, user: User) -> None:
    """Sign `user` in on the test client as if they had passed TOTP verification."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Terang", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
