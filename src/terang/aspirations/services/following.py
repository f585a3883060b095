"""Following a public item and subscribing to new items in a kelurahan."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from terang.core.errors import PermissionDenied, ValidationFailed
from terang.core.models import AdministrativeArea, AreaSubscription, User

from ..models import Aspiration, Follow
from ..selectors import is_public


def _require_user(user: User | None) -> User:
    if not user or not user.is_authenticated:
        raise PermissionDenied(_("Masuk terlebih dahulu."))
    return user


@transaction.atomic
def follow_aspiration(*, user: User, aspiration: Aspiration) -> Follow:
    _require_user(user)
    aspiration.refresh_from_db(fields=["status", "privacy"])
    if not is_public(aspiration):
        raise PermissionDenied()
    follow, _created = Follow.objects.get_or_create(aspiration=aspiration, user=user)
    return follow


@transaction.atomic
def unfollow_aspiration(*, user: User, aspiration: Aspiration) -> None:
    Follow.objects.filter(aspiration=aspiration, user=_require_user(user)).delete()


@transaction.atomic
def subscribe_area(*, user: User, area: AdministrativeArea) -> AreaSubscription:
    _require_user(user)
    if area.level != "kelurahan":
        raise ValidationFailed(_("Pilih sebuah kelurahan."), details={"field": "area"})
    subscription, _created = AreaSubscription.objects.get_or_create(area=area, user=user)
    return subscription


@transaction.atomic
def unsubscribe_area(*, user: User, area: AdministrativeArea) -> None:
    AreaSubscription.objects.filter(area=area, user=_require_user(user)).delete()
