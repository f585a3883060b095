"""Helpers shared by the catalog's services: the row lock, the audit entry, permission checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.errors import PermissionDenied, ValidationFailed
from terang.core.models import User

from ..models import Dataset


def now() -> dt.datetime:
    return timezone.now()


def lock_dataset(dataset: Dataset) -> Dataset:
    """The dataset's row, locked for the rest of the transaction: its changes, its resources'
    changes and its audit chain are serialized per dataset and never across datasets."""
    return (
        Dataset.objects.select_for_update()
        .select_related("organization", "licence")
        .get(pk=dataset.pk)
    )


def audit(*, actor: User | None, action: str, dataset: Dataset, payload: dict[str, Any]) -> None:
    """Every step of a dataset (its resources and files included) goes on the dataset's chain,
    so that chain is the dataset's whole history."""
    record_audit(actor=actor, action=f"opendata.{action}", subject=dataset, payload=payload)


def deny(message: Any = None) -> PermissionDenied:
    return PermissionDenied(message or _("Anda tidak berwenang melakukan tindakan ini."))


def validation_failed(error: ValidationError) -> ValidationFailed:
    """Django's field errors as the domain error, keyed by field (CKAN's Validation Error)."""
    details = {
        field: [str(message) for message in messages]
        for field, messages in error.message_dict.items()
    }
    first = next(iter(details.values()), [""])[0]
    return ValidationFailed(first or None, details=details)
