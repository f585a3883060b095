"""Template helpers of the PPID app, e.g. for the site navigation:
`{% load ppid_tags %}{% if user|ppid_desk %}...{% endif %}`."""

from __future__ import annotations

from typing import Any

from django import template

from ..permissions import can_view_desk

register = template.Library()


@register.filter
def ppid_desk(user: Any) -> bool:
    """Whether `user` may open the PPID desk (PPID staff, the atasan PPID, oversight roles)."""
    return can_view_desk(user)
