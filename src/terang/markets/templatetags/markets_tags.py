"""Template helpers of the price pages: rupiah amounts and the change against a week before,
shown as an arrow, a word and a signed percentage, so colour is never the only signal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """13500 -> "Rp 13.500" (grouped as the active language writes numbers); None -> "–"."""
    if value is None or value == "":
        return "–"
    return "Rp\u00a0" + number_format(value, 0, force_grouping=True)


@register.filter
def grouped(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return number_format(value, 0, force_grouping=True)


@register.filter
def signed_percent(value: Decimal | None) -> str:
    """+5,2 % / -3,0 % / 0,0 %."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{number_format(abs(value), 1)}\u00a0%"


@register.inclusion_tag("markets/_change.html")
def price_change(summary: Any) -> dict[str, Any]:
    """Arrow, word and size of a PriceSummary's change ("▲ naik 8,3 %")."""
    words = {"up": _("naik"), "down": _("turun"), "flat": _("tetap")}
    arrows = {"up": "▲", "down": "▼", "flat": "▬"}
    direction = summary.direction
    size = f"{number_format(abs(summary.change_percent), 1)}\u00a0%" if direction else ""
    return {
        "direction": direction,
        "arrow": arrows.get(direction, ""),
        "word": words.get(direction, ""),
        "percent": size,
        "previous_date": summary.previous_date,
    }
