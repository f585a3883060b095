"""JSON API of the ppid app, mounted under /api/v1/ppid."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["ppid"])
