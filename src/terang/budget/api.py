"""JSON API of the budget app, mounted under /api/v1/budget."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["budget"])
