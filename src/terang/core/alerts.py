"""One alert lifecycle for every app: open -> acknowledged (by whom) -> resolved.

Sensor alerts (controlroom) and price alerts (markets) keep their own tables, keys and
payloads; they share the fields that were already identical (`AbstractAlert`) and the
transitions: `open_or_repeat_alert` keeps at most one active alert per key under a row lock
(a concurrent opener collides on the app's partial unique constraint and repeats the winner's
alert instead), `acknowledge_alert` and `resolve_alert` lock the row, check the state and
append to the audit chain with the app's action names and payload.

Apps may also register an alert source (`register_alert_source`) so the control room's
operator page can list every kind of alert without importing the apps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.errors import InvalidTransition

OPEN = "open"
ACKNOWLEDGED = "acknowledged"
RESOLVED = "resolved"
#: Statuses of an alert still in force; apps keep at most one per key.
ACTIVE_STATUSES = (OPEN, ACKNOWLEDGED)


class AbstractAlert(models.Model):
    """The lifecycle columns every alert table already had, word for word."""

    occurrences = models.PositiveIntegerField(_("jumlah kejadian"), default=1)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditangani oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("ditangani pada"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diselesaikan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    resolution_note = models.TextField(_("catatan penyelesaian"), blank=True)

    class Meta:
        abstract = True


A = TypeVar("A", bound=AbstractAlert)
Payload = Callable[..., dict[str, Any]]


def active_alert(model: type[A], key: Mapping[str, Any]) -> A | None:
    """The active alert for `key`, locked for the rest of the transaction."""
    return (
        model.objects.select_for_update()  # type: ignore[attr-defined]
        .filter(**key, status__in=ACTIVE_STATUSES)
        .first()
    )


def open_or_repeat_alert(
    *,
    model: type[A],
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    repeat: Callable[[A], Iterable[str] | None],
    action_prefix: str,
    payload: Payload,
    on_open: Callable[[A], None] | None = None,
    find_active: Callable[[], A | None] | None = None,
) -> A:
    """Open an alert for `key` with `values`, or repeat the active one.

    `repeat` updates the locked alert in memory and returns the fields it changed (None: the
    repeat changed nothing, so nothing is counted or audited); the occurrence count is added
    here. `on_open` runs once, in the same transaction, after the opening is audited.
    `find_active` replaces the locked lookup of the active alert (an app's own query)."""

    def find() -> A | None:
        return find_active() if find_active is not None else active_alert(model, key)

    with transaction.atomic():
        alert = find()
        if alert is None:
            try:
                with transaction.atomic():
                    alert = model.objects.create(**key, status=OPEN, **values)  # type: ignore[attr-defined]
            except IntegrityError:
                alert = find()
                if alert is None:
                    raise
            else:
                record_audit(
                    actor=None,
                    action=f"{action_prefix}.raised",
                    subject=alert,
                    payload=payload(alert),
                )
                if on_open is not None:
                    on_open(alert)
                return alert
        changed = repeat(alert)
        if changed is None:
            return alert
        alert.occurrences += 1
        alert.save(update_fields=[*changed, "occurrences"])
        record_audit(
            actor=None, action=f"{action_prefix}.repeated", subject=alert, payload=payload(alert)
        )
        return alert


def acknowledge_alert(*, model: type[A], alert: A, actor: Any, action: str, payload: Payload) -> A:
    """Someone takes an open alert in hand (who and when are kept). The caller checks who."""
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=alert.pk)  # type: ignore[attr-defined]
        if locked.status != OPEN:
            raise InvalidTransition(_("Hanya peringatan terbuka yang dapat ditangani."))
        locked.status = ACKNOWLEDGED
        locked.acknowledged_by = actor
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        record_audit(actor=actor, action=action, subject=locked, payload=payload(locked))
    return locked


def resolve_alert(
    *,
    model: type[A],
    alert: A,
    actor: Any,
    action: str,
    payload: Payload,
    note: str = "",
    note_max_length: int | None = None,
) -> A:
    """Someone closes an active alert; the next breach opens a new one. The caller checks who."""
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=alert.pk)  # type: ignore[attr-defined]
        if locked.status not in ACTIVE_STATUSES:
            raise InvalidTransition(_("Peringatan ini sudah selesai."))
        locked.status = RESOLVED
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.resolution_note = note.strip()[:note_max_length]
        locked.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
        record_audit(
            actor=actor,
            action=action,
            subject=locked,
            payload=payload(locked, note=locked.resolution_note),
        )
    return locked


@dataclass(frozen=True)
class AlertSource:
    """One kind of alert for the operator page: `rows(user)` returns the active `AlertRow`s
    that user may see (an empty list for someone who may not)."""

    kind: str
    label: str | Promise
    rows: Callable[[Any], list[AlertRow]]


@dataclass(frozen=True)
class AlertRow:
    """One alert as the operator page shows it, with the app's own action URLs (POST)."""

    kind: str
    kind_label: str
    level: str
    level_label: str
    status: str
    status_label: str
    title: str
    message: str
    seen_at: Any
    url: str = ""
    acknowledge_url: str = ""
    resolve_url: str = ""
    #: Name of the resolution note field the app's resolve URL reads.
    note_field: str = "note"


#: The registered alert sources, in registration order (apps add theirs in `ready()`).
ALERT_SOURCES: list[AlertSource] = []


def register_alert_source(source: AlertSource) -> None:
    """Add (or replace, by kind) one kind of alert to the operator page."""
    ALERT_SOURCES[:] = [s for s in ALERT_SOURCES if s.kind != source.kind]
    ALERT_SOURCES.append(source)
