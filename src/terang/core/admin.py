"""Django admin for platform data. Administrators only, and only after TOTP verification.

The default admin site is switched to django-otp's OTPAdminSite, whose `has_permission` also
requires `request.user.is_verified()`; StaffTwoFactorMiddleware sends unverified staff to
/akun/2fa/ before they get that far. Personal data is never shown raw: phone numbers appear
masked, notification addresses and bodies (which may hold one-time codes) are hidden.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from .audit import record_audit
from .calendar import forget_city_days_off
from .choices import RateLimitAction
from .crypto import digest
from .forms import StaffCreationForm, UserAdminChangeForm
from .models import (
    AdministrativeArea,
    Agency,
    AuditEntry,
    CityDayOff,
    CityProfile,
    Notification,
    RateLimitPolicy,
    User,
)
from .privacy import mask_contact, normalize_phone
from .ratelimit import forget_rate_limit_policies, refuse_if_limited
from .selectors import forget_areas, forget_city
from .services import create_staff_user


class TerangAdminSite(OTPAdminSite):
    """OTPAdminSite whose sign-in form is rate limited per address (axes also locks out)."""

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if request.method == "POST":
            refused = refuse_if_limited(request, RateLimitAction.ADMIN_LOGIN)
            if refused is not None:
                return refused
        return super().login(request, extra_context)


admin.site.__class__ = TerangAdminSite
admin.site.site_header = _("Administrasi Terang")
admin.site.site_title = _("Administrasi Terang")
admin.site.index_title = _("Data platform")


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only records: viewable, never added, edited or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CityProfile)
class CityProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "timezone", "contact_email")
    prepopulated_fields = {"slug": ("name",)}

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One deployment serves one city.
        return super().has_add_permission(request) and not CityProfile.objects.exists()

    def save_model(
        self, request: HttpRequest, obj: CityProfile, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_city)


@admin.register(RateLimitPolicy)
class RateLimitPolicyAdmin(admin.ModelAdmin):
    """City rate limits. Rows are cached; every change here clears the cache (other worker
    processes pick a change up within core.policy_cache.LOCAL_SECONDS)."""

    list_display = ("action", "per_source", "per_account", "window_seconds")
    list_editable = ("per_source", "per_account", "window_seconds")

    def save_model(
        self, request: HttpRequest, obj: RateLimitPolicy, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_rate_limit_policies)

    def delete_model(self, request: HttpRequest, obj: RateLimitPolicy) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(forget_rate_limit_policies)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RateLimitPolicy]) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(forget_rate_limit_policies)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "parent", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("parent",)
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent",)


@admin.register(AdministrativeArea)
class AdministrativeAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)

    def save_model(
        self, request: HttpRequest, obj: AdministrativeArea, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_areas)

    def delete_model(self, request: HttpRequest, obj: AdministrativeArea) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(forget_areas)


@admin.register(CityDayOff)
class CityDayOffAdmin(admin.ModelAdmin):
    """Deadlines read city days off from a cache; every change here must clear it."""

    list_display = ("date", "reason")
    date_hierarchy = "date"
    search_fields = ("reason",)

    def save_model(
        self, request: HttpRequest, obj: CityDayOff, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_city_days_off)

    def delete_model(self, request: HttpRequest, obj: CityDayOff) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(forget_city_days_off)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CityDayOff]) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(forget_city_days_off)


@admin.register(User)
class TerangUserAdmin(UserAdmin):
    """Accounts. New accounts made here are staff, created through `create_staff_user`."""

    form = UserAdminChangeForm
    add_form = StaffCreationForm
    list_display = ("username", "full_name", "role", "agency", "contact_verified", "is_active")
    list_filter = ("role", "is_active", "contact_verified", "is_staff")
    list_select_related = ("agency",)
    search_fields = ("username", "full_name", "email")
    search_help_text = _("Cari nama pengguna, nama, email, atau nomor ponsel lengkap.")
    ordering = ("username",)
    autocomplete_fields = ("agency",)
    readonly_fields = ("masked_phone", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Data pribadi"),
            {"fields": ("full_name", "email", "masked_phone", "preferred_language")},
        ),
        (_("Peran"), {"fields": ("role", "agency", "contact_verified")}),
        (
            _("Izin"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Tanggal penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "role",
                    "agency",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(description=_("nomor ponsel"))
    def masked_phone(self, obj: User) -> str:
        return mask_contact(obj.phone) if obj.phone_encrypted else "-"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            phone = normalize_phone(search_term)
        except ValueError:
            return results, may_have_duplicates
        # Phones are stored encrypted: find them by their keyed digest, exact numbers only.
        return results | queryset.filter(phone_digest=digest(phone)), may_have_duplicates

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            if form.changed_data:
                # Field names only: values may be personal data.
                record_audit(
                    actor=request.user,  # type: ignore[arg-type]
                    action="account.changed",
                    subject=obj,
                    payload={"fields": sorted(form.changed_data)},
                )
            return
        data = form.cleaned_data
        created = create_staff_user(
            username=data["username"],
            password=data["password1"],
            role=data["role"],
            agency=data.get("agency"),
            full_name=data.get("full_name") or "",
            email=data.get("email"),
            actor=request.user,  # type: ignore[arg-type]
        )
        # The admin goes on to log and redirect with `obj`; make it the saved row.
        obj.pk = created.pk
        obj.password = created.password
        obj.is_staff, obj.is_superuser = created.is_staff, created.is_superuser
        obj.contact_verified = created.contact_verified
        obj._state.adding = False
        obj._state.db = created._state.db

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        record_audit(actor=request.user, action="account.deleted", subject=obj)  # type: ignore[arg-type]
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            record_audit(actor=request.user, action="account.deleted", subject=user)  # type: ignore[arg-type]
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "chain", "seq", "action", "actor_label")
    list_filter = ("action",)
    search_fields = ("chain", "action", "actor_label")
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "status", "subject", "attempts", "sent_at")
    list_filter = ("status", "channel")
    date_hierarchy = "created_at"
    # No address or body: bodies may carry one-time codes.
    fields = (
        "recipient",
        "channel",
        "status",
        "subject",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )
    raw_id_fields = ("recipient",)
