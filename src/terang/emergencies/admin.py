"""Administrators edit units and the minute targets; incidents change only through the 112 desk
(services), so the admin shows them read-only and never the caller's number."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Incident, ResponseTarget, ResponseUnit


@admin.register(ResponseUnit)
class ResponseUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "agency", "base_name", "is_available"]
    list_filter = ["kind", "is_available", "agency"]
    search_fields = ["code", "name"]


@admin.register(ResponseTarget)
class ResponseTargetAdmin(admin.ModelAdmin):
    list_display = ["incident_type", "dispatch_minutes", "arrival_minutes"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["reference", "incident_type", "status", "kelurahan", "received_at"]
    list_filter = ["status", "incident_type"]
    search_fields = ["reference"]
    fields = [
        "reference",
        "incident_type",
        "status",
        "kelurahan",
        "address",
        "latitude",
        "longitude",
        "received_at",
        "dispatched_at",
        "on_scene_at",
        "closed_at",
        "dispatch_due_at",
        "arrival_due_at",
        "closing_note",
        "created_by",
        "closed_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
