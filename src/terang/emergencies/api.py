"""JSON API of the emergencies app, mounted under /api/v1/emergencies."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["emergencies"])
