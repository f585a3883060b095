"""Domain errors: every adapter (HTML, JSON API, Open311) maps these to its own error shape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base for errors a user can act on. `code` is stable; `message` is translated."""

    code = "domain_error"
    status = 400
    default_message = _("Permintaan tidak dapat diproses.")

    def __init__(self, message: Any = None, *, details: dict[str, Any] | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.details = details or {}
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = "validation_error"
    status = 422
    default_message = _("Data yang dikirim tidak valid.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Data tidak ditemukan.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("Anda tidak berwenang melakukan tindakan ini.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("Perubahan status ini tidak diizinkan.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("Permintaan bertentangan dengan keadaan data saat ini.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _("Terlalu banyak percobaan. Coba lagi nanti.")
