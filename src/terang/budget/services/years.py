"""Open and close a budget year (tutup buku): a closed year's last versions are final and
the year refuses imports until it is reopened."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from terang.core.models import User

from ..choices import YearStatus
from ..models import BudgetYear
from ..permissions import can_import_budget


def set_budget_year_status(
    *,
    budget_year: BudgetYear,
    status: str,
    actor: User,
    reason: str = "",
    now: dt.datetime | None = None,
) -> BudgetYear:
    """Close or reopen a year; the change and its reason go into the year's audit chain."""
    if not can_import_budget(actor):
        raise PermissionDenied(_("Anda tidak berwenang mengubah status tahun anggaran."))
    if status not in YearStatus.values:
        raise ValidationFailed(details={"status": list(YearStatus.values)})
    with transaction.atomic():
        locked = BudgetYear.objects.select_for_update().get(pk=budget_year.pk)
        if locked.status == status:
            raise InvalidTransition(
                _("Tahun anggaran sudah berstatus itu."), details={"status": status}
            )
        old = locked.status
        locked.status = status
        locked.updated_at = now or timezone.now()
        locked.save(update_fields=["status", "updated_at"])
        record_audit(
            actor=actor,
            action="budget.year_status_changed",
            subject=locked,
            payload={"year": locked.year, "from": old, "to": status, "reason": reason[:500]},
        )
    return locked
