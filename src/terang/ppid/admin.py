"""Django admin for the PPID app: the policy row (who the PPID and its superior are) is edited
here, with each change kept in the audit chain; requests and objections are read-only (they
change only through the services) and show no personal data."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from terang.core.audit import record_audit

from .models import InformationRequest, Objection, PpidSettings


@admin.register(PpidSettings)
class PpidSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "agency", "superior", "desk_email")
    raw_id_fields = ("superior",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PpidSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: PpidSettings, form: ModelForm, change: bool
    ) -> None:
        obj.pk = 1
        super().save_model(request, obj, form, change)
        record_audit(
            actor=request.user,  # type: ignore[arg-type]
            action="ppid.settings.changed",
            subject=obj,
            payload={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyAdmin):
    list_display = ("register_number", "status", "outcome", "submitted_at", "due_at", "breached")
    list_filter = ("status", "outcome", "year", "breached")
    search_fields = ("register_number",)
    fields = (
        "register_number",
        "status",
        "outcome",
        "channel",
        "submitted_at",
        "due_at",
        "extended_at",
        "answered_at",
        "working_days_taken",
        "answered_late",
        "closed_at",
        "information_public",
    )


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("register_number", "request", "status", "outcome", "filed_at", "due_at")
    list_filter = ("status", "outcome")
    search_fields = ("register_number", "request__register_number")
    fields = (
        "register_number",
        "request",
        "status",
        "grounds",
        "filed_at",
        "due_at",
        "outcome",
        "answered_at",
        "dispute_reference",
        "dispute_filed_on",
    )
