"""Django admin for Satu Data: the policy row (which agency is the walidata), licences and topic
groups are edited here. Datasets, resources, versions, usage and tokens are read-only: they
change only through the services (staff pages, CKAN API), which keep the audit chain."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    ApiToken,
    DataGroup,
    Dataset,
    DataSettings,
    DatasetUsage,
    Licence,
    Resource,
    ResourceVersion,
)


@admin.register(DataSettings)
class DataSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "walidata_agency")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not DataSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "is_open", "url")
    search_fields = ("id", "title")


@admin.register(DataGroup)
class DataGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "title")
    search_fields = ("name", "title")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ("name", "title", "organization", "state", "modified_at", "view_count")
    list_filter = ("state", "organization")
    search_fields = ("name", "title")
    list_select_related = ("organization",)


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "dataset", "format", "datastore_active", "row_count", "published_at")
    list_filter = ("format", "datastore_active")
    search_fields = ("name", "dataset__name")
    list_select_related = ("dataset",)


@admin.register(ResourceVersion)
class ResourceVersionAdmin(ReadOnlyAdmin):
    list_display = ("resource", "number", "status", "original_name", "size", "created_at")
    list_filter = ("status",)
    list_select_related = ("resource",)


@admin.register(DatasetUsage)
class DatasetUsageAdmin(ReadOnlyAdmin):
    list_display = ("dataset", "day", "views", "downloads", "api_calls")
    date_hierarchy = "day"
    list_select_related = ("dataset",)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued with `terang ckan-token`; revoking is done there too."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    exclude = ("digest",)
