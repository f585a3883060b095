from django.contrib import admin

from terang.controlroom.models import (
    Alert,
    AlertRule,
    IspuHourly,
    IspuStationHourly,
    LatestReading,
    Parameter,
    QuarantinedMessage,
    Reading,
    Station,
    StationParameter,
)


class StationParameterInline(admin.TabularInline):
    model = StationParameter
    extra = 0


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "agency", "is_active", "last_seen_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    exclude = ["token_digest"]
    readonly_fields = ["last_seen_at"]
    inlines = [StationParameterInline]


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "min_value", "max_value"]


@admin.register(LatestReading)
class LatestReadingAdmin(admin.ModelAdmin):
    list_display = ["station", "parameter", "ts", "value"]
    list_filter = ["parameter"]
    list_select_related = ["station", "parameter"]


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["station", "parameter", "ts", "value"]
    list_select_related = ["station", "parameter"]
    raw_id_fields = ["station", "parameter"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(QuarantinedMessage)
class QuarantinedMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "reason", "station_code", "topic", "detail"]
    list_filter = ["reason"]
    search_fields = ["station_code", "topic"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parameter", "station", "severity", "is_active"]
    list_filter = ["kind", "severity", "is_active"]
    search_fields = ["name"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Read-only: acknowledging and resolving go through the services, which audit them."""

    list_display = ["rule", "station", "status", "severity", "occurrences", "last_seen_at"]
    list_filter = ["status", "severity"]
    list_select_related = ["rule", "station"]
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class _PublishedAdmin(admin.ModelAdmin):
    """Read-only: publications come from `publish-ispu` and the hourly task, never by hand."""

    list_select_related = ["station"]
    date_hierarchy = "hour_end"
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(IspuStationHourly)
class IspuStationHourlyAdmin(_PublishedAdmin):
    list_display = ["station", "hour_end", "ispu", "category", "critical_parameter", "published_at"]
    list_filter = ["category", "critical_parameter"]


@admin.register(IspuHourly)
class IspuHourlyAdmin(_PublishedAdmin):
    list_display = [
        "station",
        "hour_end",
        "parameter",
        "concentration",
        "hours_with_data",
        "ispu",
        "category",
    ]
    list_filter = ["parameter", "category"]
