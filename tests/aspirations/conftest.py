"""Aspiration test helpers: places inside and outside the test city, the admin user, image
uploads. The city, its areas, agencies, categories and people are the suite-wide fixtures of
`tests/fixtures/city.py`; `login_staff` and `make_user` come from `tests/helpers.py`.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from terang.aspirations.services import Location
from terang.core.models import User
from tests.fixtures.city import CITY_SQUARE, KELURAHAN_A, KELURAHAN_B  # noqa: F401  (used by other modules)
from tests.helpers import login_staff, make_user  # noqa: F401  (imported from here by other apps)

INSIDE_A = Location(latitude=-6.20, longitude=106.62, address="Jl. Melati No. 1")
# The contact a guest leaves with an identified report (the site and the app require one).
GUEST_CONTACT = "warga@contoh.id"
OUTSIDE = Location(latitude=-7.50, longitude=110.00, address="Jauh sekali")


@pytest.fixture
def admin_user(db) -> User:
    return make_user("admin", "admin", is_staff=True, is_superuser=True)


def image_upload(
    name: str = "foto.jpg", fmt: str = "JPEG", *, gps: bool = True, size: tuple[int, int] = (64, 48)
) -> SimpleUploadedFile:
    """A real image; with `gps` it carries EXIF GPS tags the platform must strip."""
    image = Image.new("RGB", size, (200, 80, 40))
    buffer = io.BytesIO()
    kwargs = {}
    if gps and fmt in ("JPEG", "WEBP", "PNG"):
        exif = Image.Exif()
        exif[0x010F] = "KameraUji"  # Make
        exif[0x8825] = {1: "S", 2: (6.0, 12.0, 0.0), 3: "E", 4: (106.0, 37.0, 0.0)}
        kwargs["exif"] = exif.tobytes()
    image.save(buffer, fmt, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
