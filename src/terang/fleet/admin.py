from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from terang.fleet import services
from terang.fleet.models import (
    Depot,
    FleetPolicy,
    IdlePeriod,
    LatestPosition,
    QuarantinedPosition,
    Route,
    Vehicle,
)


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["code", "plate", "kind", "agency", "is_active"]
    list_filter = ["kind", "is_active", "agency"]
    search_fields = ["code", "plate", "name"]
    exclude = ["token_digest"]


@admin.register(Depot)
class DepotAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "agency", "radius_m", "is_active"]


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    """Saved through `services.save_route`, so the points are validated, the bounding box
    coverage relies on is recomputed, and the change is audited."""

    list_display = ["code", "name", "agency", "vehicle", "is_active"]
    list_filter = ["agency", "is_active"]
    readonly_fields = ["min_lat", "max_lat", "min_lon", "max_lon"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.readonly_fields, "code"] if obj is not None else list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Route, form: Any, change: bool) -> None:
        route = services.save_route(
            code=obj.code,
            name=obj.name,
            points=obj.points,
            agency=obj.agency,
            vehicle=obj.vehicle,
            actor=request.user,  # type: ignore[arg-type]
        )
        if route.is_active != obj.is_active:
            Route.objects.filter(pk=route.pk).update(is_active=obj.is_active)
        obj.pk = route.pk


@admin.register(FleetPolicy)
class FleetPolicyAdmin(admin.ModelAdmin):
    list_display = ["idle_minutes", "silent_minutes", "updated_at"]

    def save_model(self, request: HttpRequest, obj: FleetPolicy, form: Any, change: bool) -> None:
        policy = services.set_fleet_policy(
            idle_minutes=obj.idle_minutes,
            silent_minutes=obj.silent_minutes,
            actor=request.user,  # type: ignore[arg-type]
        )
        obj.pk = policy.pk


@admin.register(LatestPosition)
class LatestPositionAdmin(admin.ModelAdmin):
    list_display = ["vehicle", "ts", "latitude", "longitude", "speed_kmh", "in_depot"]
    list_select_related = ["vehicle"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IdlePeriod)
class IdlePeriodAdmin(admin.ModelAdmin):
    list_display = ["vehicle", "started_at", "idle_at", "last_seen_at", "ended_at", "status"]
    list_filter = ["status"]
    list_select_related = ["vehicle"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(QuarantinedPosition)
class QuarantinedPositionAdmin(admin.ModelAdmin):
    list_display = ["received_at", "reason", "vehicle_code", "topic", "detail"]
    list_filter = ["reason"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
