"""The control room's JSON API: one router per concept, each in its subpackage's `api` module.
The root API (`terang.api`) mounts them under /api/v1."""

from terang.controlroom.air.api import router as air_router
from terang.controlroom.alerts.api import router as alerts_router
from terang.controlroom.sensors.api import router as sensors_router
from terang.controlroom.wall.api import router as wall_router

__all__ = ["air_router", "alerts_router", "sensors_router", "wall_router"]
