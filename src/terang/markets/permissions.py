"""Who may do what with market prices.

* Recording prices (form or CSV): an administrator at any market; an officer or agency head
  (kepala OPD) only at the markets of their own agency. Operators and the inspectorate read.
* Price alerts: administrators and control-room operators see and handle all of them; officers
  and heads see and handle those of their agency's markets, and the city-wide ones when their
  agency is responsible for the price panel (MarketSettings.agency, or, when that is unset, when
  it surveys any market).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from terang.core.choices import Role

from .models import Market, MarketSettings, PriceAlert

ENTRY_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD, Role.ADMIN})
ALERT_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD, Role.OPERATOR, Role.ADMIN})
AGENCY_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD})


def market_settings() -> MarketSettings:
    """The policy row, or the defaults (unsaved) when the administrator has not saved one."""
    return MarketSettings.objects.filter(pk=1).select_related("agency").first() or MarketSettings(
        pk=1
    )


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def markets_for_entry(user: Any) -> QuerySet[Market]:
    """The active markets whose prices `user` may record."""
    markets = Market.objects.filter(is_active=True).select_related("agency")
    if not _active(user) or user.role not in ENTRY_ROLES:
        return markets.none()
    if user.role == Role.ADMIN:
        return markets
    return markets.filter(agency_id=user.agency_id)


def can_record_at(user: Any, market: Market) -> bool:
    if not _active(user) or user.role not in ENTRY_ROLES or not market.is_active:
        return False
    return user.role == Role.ADMIN or (
        user.agency_id is not None and market.agency_id == user.agency_id
    )


def sees_every_import(user: Any) -> bool:
    """Administrators see everyone's price imports; others only their own."""
    return _active(user) and user.role == Role.ADMIN


def responsible_agency_ids() -> set[int]:
    """Agencies whose staff handle city-wide price alerts."""
    agency_id = market_settings().agency_id
    if agency_id is not None:
        return {agency_id}
    return set(Market.objects.values_list("agency_id", flat=True).distinct())


def alerts_scope(user: Any) -> Q | None:
    """A filter on PriceAlert for what `user` may see and handle; None when nothing."""
    if not _active(user) or user.role not in ALERT_ROLES:
        return None
    if user.role in (Role.ADMIN, Role.OPERATOR):
        return Q()
    if user.agency_id is None:
        return None
    scope = Q(market__agency_id=user.agency_id)
    if user.agency_id in responsible_agency_ids():
        scope |= Q(market__isnull=True)
    return scope


def can_handle_alerts(user: Any) -> bool:
    """May `user` open the price-alert list at all (even if it is empty right now)."""
    scope = alerts_scope(user)
    if scope is None:
        return False
    if user.role in AGENCY_ROLES:
        return (
            user.agency_id in responsible_agency_ids()
            or Market.objects.filter(agency_id=user.agency_id).exists()
        )
    return True


def can_handle_alert(user: Any, alert: PriceAlert) -> bool:
    scope = alerts_scope(user)
    if scope is None:
        return False
    return PriceAlert.objects.filter(scope, pk=alert.pk).exists()
