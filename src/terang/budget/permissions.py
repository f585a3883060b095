"""Who may change budget data. Reading is public (APBD is information every citizen may see).

Importing a budget file and opening or closing a year: administrators, and the officers and
head (kepala OPD) of the finance agency named in BudgetSettings.import_agency. Operators, the
inspectorate and other agencies read only."""

from __future__ import annotations

from typing import Any

from terang.core.choices import Role

from .models import BudgetSettings

IMPORT_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD, Role.ADMIN})


def budget_settings() -> BudgetSettings:
    """The policy row, or the defaults (unsaved) when the administrator has not saved one."""
    return BudgetSettings.objects.filter(pk=1).select_related(
        "import_agency"
    ).first() or BudgetSettings(pk=1)


def can_import_budget(user: Any) -> bool:
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role not in IMPORT_ROLES or user.agency_id is None:
        return False
    return bool(user.agency_id == budget_settings().import_agency_id)
