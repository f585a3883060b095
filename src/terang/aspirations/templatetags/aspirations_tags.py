"""Template helpers shared by the public, citizen and staff aspiration pages.

`time_left` takes any deadline (a datetime) so every page shows deadlines the same way:
"3 hari 4 jam lagi" / "terlambat 2 hari", marked `late` or `soon` for styling; the words say it
too, so colour is never the only signal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terang.aspirations import selectors
from terang.aspirations.choices import Status

register = template.Library()

SOON = dt.timedelta(days=1)


def _span(delta: dt.timedelta) -> str:
    """The two largest units of a duration: "3 hari 4 jam", "5 jam 10 menit", "7 menit"."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d hari", "%(n)d hari", days) % {"n": days})
        if hours:
            parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
    elif hours:
        parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
        if minutes:
            parts.append(ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes})
    elif minutes:
        parts.append(ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes})
    else:
        return _("kurang dari 1 menit")
    return " ".join(parts)


def time_left_parts(
    deadline: dt.datetime | None, now: dt.datetime | None = None
) -> tuple[str, str]:
    """(text, css class) for a deadline; class is "late", "soon" or "" ("", "") without one."""
    if deadline is None:
        return "", ""
    delta = deadline - (now or timezone.now())
    if delta < dt.timedelta(0):
        return _("terlambat %(span)s") % {"span": _span(delta)}, "late"
    text = _("%(span)s lagi") % {"span": _span(delta)}
    return text, "soon" if delta <= SOON else ""


@register.filter
def time_left(deadline: dt.datetime | None, now: dt.datetime | None = None) -> SafeString | str:
    """`{{ deadline|time_left }}` -> <time class="time-left late" ...>terlambat 2 hari</time>."""
    text, css = time_left_parts(deadline, now)
    if not text or deadline is None:
        return ""
    return format_html(
        '<time class="time-left{}" datetime="{}">{}</time>',
        f" {css}" if css else "",
        deadline.isoformat(),
        text,
    )


@register.filter
def time_remaining(
    deadline: dt.datetime | None, now: dt.datetime | None = None
) -> SafeString | str:
    """The inbox's wording: `sisa 3 hari 4 jam` or `terlambat 2 hari`, in the same <time>
    element as `time_left` (late and soon marked by class, and always in words)."""
    if deadline is None:
        return ""
    delta = deadline - (now or timezone.now())
    if delta < dt.timedelta(0):
        text, css = _("terlambat %(span)s") % {"span": _span(delta)}, " late"
    else:
        text = _("sisa %(span)s") % {"span": _span(delta)}
        css = " soon" if delta <= SOON else ""
    return format_html(
        '<time class="time-left{}" datetime="{}">{}</time>', css, deadline.isoformat(), text
    )


@register.filter
def time_left_text(deadline: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """Plain text only, e.g. for CSV or a title attribute."""
    return time_left_parts(deadline, now)[0]


@register.filter
def time_left_class(deadline: dt.datetime | None, now: dt.datetime | None = None) -> str:
    return time_left_parts(deadline, now)[1]


@register.filter
def status_label(value: str) -> str:
    """Display name of a status code, e.g. in timeline rows that store raw codes."""
    try:
        return str(Status(value).label)
    except ValueError:
        return value or ""


@register.simple_tag
def status_badge(status: str) -> SafeString:
    return format_html('<span class="badge status-{}">{}</span>', status, status_label(status))


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """A share 0..1 as a localised percentage: 0.875 -> "87,5%" in Indonesian."""
    if value is None:
        return "–"
    return f"{number_format(value * 100, decimal_pos=digits, use_l10n=True)}%"


@register.filter
def decimal(value: float | None, digits: int = 1) -> str:
    """A localised number with fixed decimals, or a dash when unknown."""
    if value is None:
        return "–"
    return number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


@register.simple_tag
def latest_public_aspirations(limit: int = 5) -> list[dict[str, Any]]:
    """Newest public items with masked titles, for the home page."""
    items = (
        selectors.public_aspirations()
        .select_related("category", "kelurahan")
        .order_by("-created_at", "-id")[: max(1, min(int(limit), 20))]
    )
    return [{"aspiration": item, "title": selectors.public_title(item)} for item in items]
