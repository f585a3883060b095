"""JSON API of the fleet app, mounted under /api/v1/fleet."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["fleet"])
