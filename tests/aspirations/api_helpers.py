"""Helpers shared by the aspirations API tests (fixtures themselves live in conftest.py)."""

from __future__ import annotations

from typing import Any

from terang.aspirations import services
from terang.aspirations.models import Aspiration
from terang.core.models import User

from .conftest import GUEST_CONTACT, INSIDE_A

API = "/api/v1"


def body(**overrides: Any) -> dict[str, Any]:
    """A valid JSON create body inside kelurahan A."""
    data: dict[str, Any] = {
        "title": "Jalan berlubang di depan sekolah",
        "text": "Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor.",
        "category": "jalan-rusak",
        "latitude": INSIDE_A.latitude,
        "longitude": INSIDE_A.longitude,
        "address": INSIDE_A.address,
        "reporter_contact": "warga@contoh.id",
    }
    data.update(overrides)
    return data


def submit(category, reporter: User | None = None, **kwargs: Any) -> Aspiration:
    defaults: dict[str, Any] = dict(
        title="Jalan berlubang di depan sekolah",
        text="Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor.",
        category=category,
        location=INSIDE_A,
        reporter=reporter,
    )
    if reporter is None:
        # A guest's identified web report must leave a contact (intake rule).
        defaults["reporter_contact"] = GUEST_CONTACT
    defaults.update(kwargs)
    return services.submit_aspiration(**defaults)


def published(category, admin: User, reporter: User | None = None, **kwargs: Any) -> Aspiration:
    """A verified (hence public, when its privacy allows) aspiration."""
    aspiration = submit(category, reporter, **kwargs)
    return services.verify_aspiration(actor=admin, aspiration=aspiration)


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["code"]
