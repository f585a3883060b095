"""Template helpers of the budget pages: rupiah amounts written the Indonesian way (grouped as
the active language writes numbers: "Rp 1.234.567" in Indonesian), short amounts in juta,
miliar and triliun, percentages, and query strings for the drill-down links."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

register = template.Library()

SCALES = (
    (10**12, "triliun"),
    (10**9, "miliar"),
    (10**6, "juta"),
)


@register.filter
def rupiah(value: Any) -> str:
    """1234567 -> "Rp 1.234.567"; negative amounts get a minus sign; None -> "–"."""
    if value is None or value == "":
        return "–"
    sign = "−" if value < 0 else ""
    return f"{sign}Rp\u00a0" + number_format(abs(value), 0, force_grouping=True)


@register.filter
def rupiah_short(value: Any) -> str:
    """2500000000 -> "Rp 2,50 miliar" (juta, miliar, triliun; two decimals)."""
    if value is None or value == "":
        return "–"
    sign = "−" if value < 0 else ""
    amount = abs(int(value))
    words = {"triliun": _("triliun"), "miliar": _("miliar"), "juta": _("juta")}
    for size, word in SCALES:
        if amount >= size:
            scaled = Decimal(amount) / Decimal(size)
            return f"{sign}Rp\u00a0{number_format(scaled, 2)}\u00a0{words[word]}"
    return f"{sign}Rp\u00a0" + number_format(amount, 0, force_grouping=True)


@register.filter
def percent(value: Decimal | None) -> str:
    """87.35 -> "87,35 %"; None -> "–"."""
    if value is None:
        return "–"
    return f"{number_format(value, 2)}\u00a0%"


@register.filter
def signed_percent(value: Decimal | None) -> str:
    """Changes: "+5,20 %", "−3,00 %", "0,00 %"."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{number_format(abs(value), 2)}\u00a0%"


@register.filter
def share_of(value: Decimal | None, total: int = 100) -> float:
    """A percentage clipped to 0..100, for widths."""
    if value is None:
        return 0.0
    return float(max(Decimal(0), min(Decimal(total), value)))


@register.simple_tag
def query(params: dict[str, str] | None = None, **extra: Any) -> str:
    """ "?opd=DINKES&kode=1.02.02" from a drill-down's params plus extra ones (empty ones
    dropped); "" when nothing is left."""
    merged = {**(params or {}), **{k: v for k, v in extra.items()}}
    cleaned = {k: v for k, v in merged.items() if v not in (None, "")}
    return "?" + urlencode(cleaned) if cleaned else ""
