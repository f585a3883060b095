"""Django admin for the budget app: the policy row is edited here; years, versions, codes and
lines are read-only (they change only through the services, which keep the audit chain)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import BudgetCode, BudgetLine, BudgetSettings, BudgetVersion, BudgetYear


@admin.register(BudgetSettings)
class BudgetSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "import_agency")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not BudgetSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BudgetYear)
class BudgetYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "status", "updated_at")


@admin.register(BudgetVersion)
class BudgetVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "budget_year",
        "number",
        "kind",
        "is_current",
        "imported_at",
        "imported_by",
        "line_count",
    )
    list_filter = ("kind", "is_current", "budget_year")
    list_select_related = ("budget_year", "imported_by")


@admin.register(BudgetCode)
class BudgetCodeAdmin(ReadOnlyAdmin):
    list_display = ("version", "scheme", "level", "code", "name")
    list_filter = ("scheme", "level")
    search_fields = ("code", "name")


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = (
        "version",
        "agency",
        "sub_kegiatan_code",
        "account_code",
        "planned",
        "realised",
    )
    list_filter = ("akun_code", "agency")
    search_fields = ("sub_kegiatan_code", "account_code")
    list_select_related = ("version", "agency")
