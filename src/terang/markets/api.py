"""JSON API of the markets app, mounted under /api/v1/markets."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["markets"])
