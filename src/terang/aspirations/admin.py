"""Django admin for aspirations: category policy rows, a read-only view of aspirations and
their trail, and Open311 client keys.

Aspirations are never edited here: every status change (and every other change) goes through
the services, which write the event trail and the audit chain. Open311 keys are issued by the
same service as `terang open311-key`; the key is shown once, in a message, and never stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit

from .models import Aspiration, AspirationEvent, Category, Open311Client
from .services.open311_clients import issue_open311_key, revoke_open311_client


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group", "agency", "resolution_working_days", "is_active")
    list_filter = ("is_active", "group", "agency", "is_emergency")
    search_fields = ("code", "name", "name_en", "keywords")
    list_select_related = ("agency",)

    def save_model(
        self, request: HttpRequest, obj: Category, form: ModelForm, change: bool
    ) -> None:
        """Deadlines are city policy: each change is kept in the audit chain."""
        super().save_model(request, obj, form, change)
        record_audit(
            actor=request.user,  # type: ignore[arg-type]
            action="category.changed" if change else "category.created",
            subject=obj,
            payload={name: form.cleaned_data.get(name) for name in form.changed_data},
        )


class AspirationEventInline(admin.TabularInline):
    model = AspirationEvent
    extra = 0
    can_delete = False
    fields = (
        "created_at",
        "kind",
        "from_status",
        "to_status",
        "actor",
        "actor_role",
        "from_agency",
        "to_agency",
        "is_public",
        "display_reason",
    )
    readonly_fields = fields

    @admin.display(description=_("alasan"))
    def display_reason(self, event: AspirationEvent) -> str:
        return event.display_reason

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Aspiration)
class AspirationAdmin(admin.ModelAdmin):
    """View only: status and everything else change through the services."""

    list_display = (
        "code",
        "title",
        "status",
        "privacy",
        "channel",
        "agency",
        "category",
        "created_at",
        "breached",
    )
    list_filter = ("status", "privacy", "channel", "breached", "is_ping_pong", "agency", "category")
    search_fields = ("code", "title")
    list_select_related = ("agency", "category")
    show_full_result_count = False
    exclude = ("reporter_contact_encrypted",)
    inlines = (AspirationEventInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Aspiration._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "key_prefix", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "key_prefix")
    readonly_fields = ("key_prefix", "created_at")
    actions = ("revoke_keys",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("name",)
        return ("name", "key_prefix", "is_active", "created_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Revoke instead: a deleted client would leave its requests without a source."""
        return False

    def save_model(
        self, request: HttpRequest, obj: Open311Client, form: ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            record_audit(
                actor=request.user,  # type: ignore[arg-type]
                action="open311.client_changed",
                subject=obj,
                payload={name: form.cleaned_data.get(name) for name in form.changed_data},
            )
            return
        client, key = issue_open311_key(name=obj.name, actor=request.user)  # type: ignore[arg-type]
        obj.pk = client.pk
        obj.key_prefix = client.key_prefix
        obj.key_digest = client.key_digest
        obj.created_at = client.created_at
        obj._state.adding = False
        obj._state.db = client._state.db
        messages.warning(
            request,
            _(
                "Kunci API untuk %(name)s: %(key)s — salin sekarang; kunci ini tidak akan "
                "ditampilkan lagi."
            )
            % {"name": client.name, "key": key},
        )

    @admin.action(description=_("Cabut kunci API klien terpilih"))
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        revoked = sum(
            revoke_open311_client(client=client, actor=request.user)  # type: ignore[arg-type]
            for client in queryset
        )
        messages.success(request, _("%(count)d kunci dicabut.") % {"count": revoked})
