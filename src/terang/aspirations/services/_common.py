"""Shared steps of every aspiration write: lock, transition, event, audit, notify."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from terang.core.audit import record_audit
from terang.core.crypto import UnreadableField, decrypt_field
from terang.core.models import Agency, User
from terang.core.notifications import notify_user, queue_notification
from terang.core.privacy import mask_personal_data
from terang.core.workflow import transition as move

from ..choices import EventKind, Privacy
from ..models import Aspiration, AspirationEvent
from ..workflow import TRANSITIONS


def lock(aspiration: Aspiration | int) -> Aspiration:
    """Re-read the row under a lock: transitions on one item are serialised."""
    pk = aspiration.pk if isinstance(aspiration, Aspiration) else aspiration
    return Aspiration.objects.select_for_update().select_related("category", "agency").get(pk=pk)


PUBLIC_COPIES = (("public_title", "title"), ("public_text", "text"), ("public_address", "address"))


def refresh_public_copies(aspiration: Aspiration) -> list[str]:
    """Mask title, text and address (and the reporter's name in them) into the public copies;
    return the copy fields that changed, for `update_fields`. Call wherever an original or the
    reporter's name is written."""
    names = [aspiration.reporter_name] if aspiration.reporter_name else []
    changed = []
    for copy, original in PUBLIC_COPIES:
        value = mask_personal_data(getattr(aspiration, original) or "", names=names)
        if getattr(aspiration, copy) != value:
            setattr(aspiration, copy, value)
            changed.append(copy)
    return changed


def add_event(
    aspiration: Aspiration,
    *,
    kind: str,
    actor: User | None,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict[str, Any] | None = None,
    from_status: str = "",
    to_status: str = "",
    is_public: bool = True,
    from_agency: Agency | None = None,
    to_agency: Agency | None = None,
    at: Any = None,
) -> AspirationEvent:
    """`reason` is a person's own words; `reason_code` a system reason translated on display."""
    event = AspirationEvent.objects.create(
        aspiration=aspiration,
        kind=kind,
        actor=actor,
        actor_role=actor.role if actor else "",
        reason=reason,
        reason_code=reason_code,
        reason_params=reason_params or {},
        from_status=from_status,
        to_status=to_status,
        is_public=is_public,
        from_agency=from_agency,
        to_agency=to_agency,
        created_at=at or timezone.now(),
    )
    record_audit(
        actor=actor,
        action=f"aspiration.{kind}" + (f".{to_status}" if to_status else ""),
        subject=aspiration,
        payload={
            "event": event.pk,
            "from": from_status,
            "to": to_status,
            "from_agency": from_agency.pk if from_agency else None,
            "to_agency": to_agency.pk if to_agency else None,
            "reason": reason,
            **(
                {"reason_code": reason_code, "reason_params": reason_params or {}}
                if reason_code
                else {}
            ),
        },
    )
    return event


def transition(
    aspiration: Aspiration,
    *,
    to: str,
    actor: User | None,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict[str, Any] | None = None,
    extra_fields: tuple[str, ...] = (),
    is_public: bool = True,
) -> AspirationEvent:
    """Move a locked aspiration to `to`, saving `extra_fields` set by the caller."""
    current = move(aspiration, TRANSITIONS, to, extra_fields=extra_fields)
    event = add_event(
        aspiration,
        kind=EventKind.TRANSITION,
        actor=actor,
        reason=reason,
        reason_code=reason_code,
        reason_params=reason_params,
        from_status=current,
        to_status=to,
        is_public=is_public,
    )
    notify_status_change(aspiration)
    return event


def reporter_contact(aspiration: Aspiration) -> str:
    """The contact to send to; "" (logged) when it cannot be decrypted, so only that message
    is lost, never the transition that sends it."""
    try:
        return decrypt_field(aspiration, "reporter_contact_encrypted")
    except UnreadableField:
        return ""


def _status_message(aspiration: Aspiration, *, language: str, following: bool) -> tuple[str, str]:
    """Subject and body in the recipient's language, not the language of whoever acted."""
    with translation.override(language or settings.LANGUAGE_CODE):
        values = {"code": aspiration.code, "status": aspiration.get_status_display()}
        subject = _("Laporan %(code)s: %(status)s") % values
        if following:
            body = _("Laporan %(code)s yang Anda ikuti kini: %(status)s.") % values
        else:
            body = (
                _("Status laporan Anda %(code)s kini: %(status)s.\nLacak di /lacak/%(code)s/")
                % values
            )
    return subject, body


def notify_status_change(aspiration: Aspiration) -> None:
    """Tell the reporter and every follower; anonymous reporters cannot be reached by design."""
    notified: set[int] = set()
    if aspiration.privacy != Privacy.ANONYMOUS:
        reporter = aspiration.reporter
        if reporter is not None:
            subject, body = _status_message(
                aspiration, language=reporter.preferred_language, following=False
            )
            notify_user(user=reporter, subject=subject, body=body)
            notified.add(reporter.pk)
        elif contact := reporter_contact(aspiration):
            subject, body = _status_message(aspiration, language="", following=False)
            queue_notification(
                channel="email" if "@" in contact else "sms",
                address=contact,
                subject=subject,
                body=body,
            )
    for follow in aspiration.follows.select_related("user"):
        if follow.user_id not in notified:
            subject, body = _status_message(
                aspiration, language=follow.user.preferred_language, following=True
            )
            notify_user(user=follow.user, subject=subject, body=body)
            notified.add(follow.user_id)
