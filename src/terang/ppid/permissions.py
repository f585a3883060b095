"""Who may do what at the PPID desk. Enforced in services; views use it to hide buttons.

* PPID staff: officers and the head of the agency in `PpidSettings.agency`, and administrators.
  They handle requests, answer them, keep the DIP and record disputes.
* The atasan PPID (`PpidSettings.superior`, else the head of the PPID agency) and
  administrators answer objections.
* Operators and the inspectorate read the queue (oversight) but see requesters' identities
  masked and change nothing.
* Citizens (signed in, contact verified) file requests and objections and follow their own.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from terang.core.choices import Role
from terang.core.errors import PermissionDenied

from .choices import FileKind
from .models import DipDocument, InformationRequest, PpidSettings, RequestFile

AGENCY_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD})
OVERSIGHT_ROLES = frozenset({Role.OPERATOR, Role.INSPECTORATE})


def ppid_settings() -> PpidSettings:
    """The policy row, or empty defaults (unsaved) before an administrator saves one."""
    return PpidSettings.objects.filter(pk=1).select_related("agency", "superior").first() or (
        PpidSettings(pk=1)
    )


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_citizen(user: Any) -> bool:
    """A signed-in resident, who files requests through the citizen pages (staff use the desk)."""
    return bool(_active(user) and user.role == Role.CITIZEN)


def is_ppid_staff(user: Any, policy: PpidSettings | None = None) -> bool:
    if not _active(user):
        return False
    if user.role == Role.ADMIN:
        return True
    policy = policy or ppid_settings()
    return (
        user.role in AGENCY_ROLES
        and policy.agency_id is not None
        and user.agency_id == policy.agency_id
    )


def is_superior(user: Any, policy: PpidSettings | None = None) -> bool:
    """The atasan PPID, who answers objections."""
    if not _active(user):
        return False
    if user.role == Role.ADMIN:
        return True
    policy = policy or ppid_settings()
    if policy.superior_id is not None:
        return bool(user.pk == policy.superior_id)
    return (
        user.role == Role.AGENCY_HEAD
        and policy.agency_id is not None
        and user.agency_id == policy.agency_id
    )


def can_view_desk(user: Any, policy: PpidSettings | None = None) -> bool:
    """The staff dashboard and request pages (read)."""
    if not _active(user) or not user.is_city_staff:
        return False
    if user.role in OVERSIGHT_ROLES:
        return True
    policy = policy or ppid_settings()
    return is_ppid_staff(user, policy) or is_superior(user, policy)


def can_see_identity(user: Any, policy: PpidSettings | None = None) -> bool:
    """Need-to-know: the requester's identity number, address and contact in clear."""
    policy = policy or ppid_settings()
    return is_ppid_staff(user, policy) or is_superior(user, policy)


def is_requester(user: Any, request: InformationRequest) -> bool:
    return bool(_active(user) and request.requester_id == user.pk)


def can_view_request(user: Any, request: InformationRequest) -> bool:
    return is_requester(user, request) or can_view_desk(user)


def can_view_request_file(user: Any, record: RequestFile) -> bool:
    """An organisation's legal papers identify the requester: need-to-know, like the identity
    number (oversight roles do not get them); delivered documents go with the request page."""
    if is_requester(user, record.request):
        return True
    if record.kind == FileKind.LEGAL_ENTITY:
        return can_see_identity(user)
    return can_view_desk(user)


def is_public_dip_document(document: DipDocument) -> bool:
    """A published, non-exempt entry's documents are for anyone."""
    return document.entry.is_published and not document.entry.is_exempt


def can_view_dip_document(user: Any, document: DipDocument) -> bool:
    """Drafts are for the PPID staff who keep the DIP."""
    return is_ppid_staff(user)


def require_ppid_staff(user: Any) -> Any:
    if not is_ppid_staff(user):
        raise PermissionDenied()
    return user


def require_superior(user: Any) -> Any:
    if not is_superior(user):
        raise PermissionDenied(_("Hanya atasan PPID yang dapat menanggapi keberatan."))
    return user


def require_verified_citizen(user: Any) -> Any:
    """The law asks for a known identity; an unverified account cannot file yet."""
    if not is_citizen(user):
        raise PermissionDenied(_("Masuk sebagai warga untuk mengajukan permohonan."))
    if not user.contact_verified:
        raise PermissionDenied(
            _("Verifikasi email atau nomor ponsel Anda dahulu."),
            details={"reason": "contact_not_verified"},
        )
    return user
