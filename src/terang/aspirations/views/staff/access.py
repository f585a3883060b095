"""Who may open a staff page, and the scoped item lookup every item page starts from."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest

from terang.core.errors import NotFound
from terang.core.models import User
from terang.core.views.access import View, staff_required

from ... import selectors
from ...models import Aspiration

__all__ = ["View", "get_or_404", "staff_required", "staff_user"]


def get_or_404(user: User, code: str) -> Aspiration:
    """The item if this staff member may see it; otherwise the same 404 as an unknown code."""
    try:
        return selectors.get_aspiration_for_staff(user=user, code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member (`staff_required` lets no one else through)."""
    return cast(User, request.user)
