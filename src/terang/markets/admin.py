"""Django admin for the markets app: the policy row, markets and commodities are edited here;
prices, imports and alerts are read-only (they change only through the services, which keep
the audit chain)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Commodity, DailyPrice, ImportBatch, Market, MarketSettings, PriceAlert


@admin.register(MarketSettings)
class MarketSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "agency", "alert_rise_share", "alert_min_days")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MarketSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "area", "agency", "is_active")
    list_filter = ("is_active", "agency")
    search_fields = ("code", "name", "address")
    list_select_related = ("area", "agency")
    raw_id_fields = ("area",)


@admin.register(Commodity)
class CommodityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "display_order", "is_active")
    list_filter = ("is_active", "unit")
    search_fields = ("code", "name")
    ordering = ("display_order", "name")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DailyPrice)
class DailyPriceAdmin(ReadOnlyAdmin):
    list_display = ("date", "market", "commodity", "price", "source", "entered_by")
    list_filter = ("source", "market", "commodity")
    date_hierarchy = "date"
    list_select_related = ("market", "commodity", "entered_by")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "file_name", "uploaded_by", "row_count", "created_count")
    list_select_related = ("uploaded_by",)


@admin.register(PriceAlert)
class PriceAlertAdmin(ReadOnlyAdmin):
    list_display = ("commodity", "market", "status", "severity", "rise_share", "last_raised_at")
    list_filter = ("status", "severity", "commodity")
    list_select_related = ("commodity", "market")
