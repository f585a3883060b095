"""A small city for aspiration tests: one kelurahan square, two agencies, categories, staff.

Owned by the services tests; other test modules may use these fixtures as they are.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from terang.aspirations.models import Category
from terang.aspirations.services import Location
from terang.core.geo import bounding_box
from terang.core.models import AdministrativeArea, Agency, CityProfile, User
from tests.helpers import login_staff, make_user  # noqa: F401  (imported from here by other apps)

CITY_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[106.60, -6.25], [106.70, -6.25], [106.70, -6.15], [106.60, -6.15], [106.60, -6.25]]
    ],
}
KELURAHAN_A = {
    "type": "Polygon",
    "coordinates": [
        [[106.60, -6.25], [106.65, -6.25], [106.65, -6.15], [106.60, -6.15], [106.60, -6.25]]
    ],
}
KELURAHAN_B = {
    "type": "Polygon",
    "coordinates": [
        [[106.65, -6.25], [106.70, -6.25], [106.70, -6.15], [106.65, -6.15], [106.65, -6.25]]
    ],
}
INSIDE_A = Location(latitude=-6.20, longitude=106.62, address="Jl. Melati No. 1")
OUTSIDE = Location(latitude=-7.50, longitude=110.00, address="Jauh sekali")


def _area(code: str, name: str, level: str, boundary: dict, parent=None) -> AdministrativeArea:
    min_lat, max_lat, min_lon, max_lon = bounding_box(boundary)
    return AdministrativeArea.objects.create(
        code=code,
        name=name,
        level=level,
        parent=parent,
        boundary=boundary,
        min_lat=min_lat,
        max_lat=max_lat,
        min_lon=min_lon,
        max_lon=max_lon,
    )


@pytest.fixture
def city(db) -> CityProfile:
    min_lat, max_lat, min_lon, max_lon = bounding_box(CITY_SQUARE)
    return CityProfile.objects.create(
        name="Kota Uji",
        slug="kota-uji",
        boundary=CITY_SQUARE,
        min_lat=min_lat,
        max_lat=max_lat,
        min_lon=min_lon,
        max_lon=max_lon,
    )


@pytest.fixture
def kecamatan(city) -> AdministrativeArea:
    return _area("99.71.01", "Kecamatan Uji", "kecamatan", CITY_SQUARE)


@pytest.fixture
def kelurahan(kecamatan) -> AdministrativeArea:
    return _area("99.71.01.1001", "Kelurahan Melati", "kelurahan", KELURAHAN_A, kecamatan)


@pytest.fixture
def kelurahan_b(kecamatan) -> AdministrativeArea:
    return _area("99.71.01.1002", "Kelurahan Mawar", "kelurahan", KELURAHAN_B, kecamatan)


@pytest.fixture
def agency(db) -> Agency:
    return Agency.objects.create(code="PUPR", name="Dinas PUPR", short_name="PUPR")


@pytest.fixture
def other_agency(db) -> Agency:
    return Agency.objects.create(code="DLH", name="Dinas Lingkungan Hidup", short_name="DLH")


@pytest.fixture
def third_agency(db) -> Agency:
    return Agency.objects.create(code="DISHUB", name="Dinas Perhubungan", short_name="Dishub")


@pytest.fixture
def category(agency) -> Category:
    return Category.objects.create(code="jalan-rusak", name="Jalan rusak", agency=agency)


@pytest.fixture
def checked_category(agency) -> Category:
    return Category.objects.create(
        code="drainase", name="Drainase tersumbat", agency=agency, requires_resolution_check=True
    )


@pytest.fixture
def citizen(db) -> User:
    return make_user("warga", "citizen")


@pytest.fixture
def other_citizen(db) -> User:
    return make_user("tetangga", "citizen")


@pytest.fixture
def officer(agency) -> User:
    return make_user("petugas", "officer", agency)


@pytest.fixture
def agency_head(agency) -> User:
    return make_user("kepala", "agency_head", agency)


@pytest.fixture
def other_officer(other_agency) -> User:
    return make_user("petugas_lain", "officer", other_agency)


@pytest.fixture
def operator(db) -> User:
    return make_user("operator", "operator")


@pytest.fixture
def inspector(db) -> User:
    return make_user("inspektur", "inspectorate")


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
