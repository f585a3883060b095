"""Who may do what to an aspiration. Enforced in services; views only use it to hide buttons.

Least privilege: officers and agency heads act only on their own agency's items; operators
(control room) and administrators act city-wide; the inspectorate reads everything and
changes nothing.
"""

from __future__ import annotations

from terang.core.choices import Role
from terang.core.errors import PermissionDenied
from terang.core.models import User

from .models import Aspiration, AspirationPhoto

CITY_WIDE_ACTORS = frozenset({Role.OPERATOR, Role.ADMIN})
AGENCY_ACTORS = frozenset({Role.OFFICER, Role.AGENCY_HEAD})
READ_ALL = frozenset({Role.OPERATOR, Role.ADMIN, Role.INSPECTORATE})
# Who may record a report on a citizen's behalf (counter, phone, social media): everyone who
# handles reports. The inspectorate only oversees, so it takes none in.
INTAKE_ROLES = CITY_WIDE_ACTORS | AGENCY_ACTORS


def is_staff_member(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_city_staff)


def can_read_all(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role in READ_ALL)


def can_act_on(user: User | None, aspiration: Aspiration) -> bool:
    if not user or not user.is_authenticated:
        return False
    if user.role in CITY_WIDE_ACTORS:
        return True
    return user.role in AGENCY_ACTORS and user.agency_id == aspiration.agency_id


def require_actor(user: User | None, aspiration: Aspiration) -> User:
    if user is None or not can_act_on(user, aspiration):
        raise PermissionDenied()
    return user


def is_city_wide(user: User | None) -> bool:
    """The control room and administrators: they act on every item in the city."""
    return bool(user and user.is_authenticated and user.role in CITY_WIDE_ACTORS)


def require_city_wide(user: User | None) -> User:
    if user is None or not is_city_wide(user):
        raise PermissionDenied()
    return user


def can_take_intake(user: User | None) -> bool:
    """May record a report on a citizen's behalf (assisted intake)."""
    return bool(user and user.is_authenticated and user.role in INTAKE_ROLES)


def require_intake_staff(user: User) -> User:
    if not can_take_intake(user):
        raise PermissionDenied()
    return user


def can_move_assigned(user: User | None) -> bool:
    """An item the control room assigned for good moves only by the control room's hand."""
    return is_city_wide(user)


def can_check_resolution(user: User | None, aspiration: Aspiration) -> bool:
    if not user or not user.is_authenticated:
        return False
    if user.role in CITY_WIDE_ACTORS:
        return True
    return user.role == Role.AGENCY_HEAD and user.agency_id == aspiration.agency_id


def can_see_reporter_contact(user: User | None, aspiration: Aspiration) -> bool:
    """Need-to-know: agency staff see a reporter's contact only when the reporter allowed it."""
    from .choices import Privacy

    if aspiration.privacy == Privacy.ANONYMOUS or not user or not user.is_authenticated:
        return False
    if user.role in READ_ALL:
        return True
    if not can_act_on(user, aspiration):
        return False
    return aspiration.share_contact_with_agency


def can_view_content(user: User | None, aspiration: Aspiration) -> bool:
    """Title, text, location and photos: hidden for rahasia items except from the reporter
    and from staff who may handle or oversee the item."""
    from .choices import Privacy

    if aspiration.privacy != Privacy.CONFIDENTIAL:
        return True
    if user is None or not user.is_authenticated:
        return False
    return aspiration.reporter_id == user.pk or can_read_all(user) or can_act_on(user, aspiration)


def is_public_photo(photo: AspirationPhoto) -> bool:
    """Photos of items on the public list (verified, not rahasia) are for anyone."""
    from .selectors import is_public

    return is_public(photo.aspiration)


def can_view_photo(user: User | None, photo: AspirationPhoto) -> bool:
    """Any other photo goes with the page that shows it: the tracking page shows a non-rahasia
    item's photos to whoever holds the code (the photo's signed address is only printed
    there), a rahasia item's only to its reporter and the staff who handle or oversee it."""
    return can_view_content(user, photo.aspiration)
