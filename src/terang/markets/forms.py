from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Commodity, Market
from .selectors import SERIES_DAYS
from .services import parse_price


class PublicFilterForm(forms.Form):
    pasar = forms.ChoiceField(label=_("Pasar"), required=False)
    hari = forms.TypedChoiceField(
        label=_("Rentang"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args: Any, markets: Iterable[Market], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.markets = {m.code: m for m in markets}
        # Labels filled per request: a lazy string formatted at import time would stay in the
        # language active when the module was loaded.
        cast(forms.ChoiceField, self.fields["hari"]).choices = [
            (str(d), _("%(days)s hari terakhir") % {"days": d}) for d in SERIES_DAYS
        ]
        field = cast(forms.ChoiceField, self.fields["pasar"])
        field.choices = [("", _("Semua pasar (rata-rata kota)"))] + [
            (code, market.name) for code, market in self.markets.items()
        ]

    def market(self) -> Market | None:
        code = self.cleaned_data.get("pasar") if self.is_valid() else ""
        return self.markets.get(code or "")

    def days(self) -> int:
        return (self.cleaned_data.get("hari") if self.is_valid() else None) or SERIES_DAYS[0]


class EntryTargetForm(forms.Form):
    """Which market and day the grid is for (GET, so the page can be bookmarked)."""

    pasar = forms.ModelChoiceField(
        label=_("Pasar"), queryset=Market.objects.none(), to_field_name="code"
    )
    tanggal = forms.DateField(
        label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, markets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["pasar"]).queryset = markets


class PriceField(forms.CharField):
    """Whole rupiah, typed the way people write it: 13500 or 13.500."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        price = parse_price(text)
        if price is None:
            raise forms.ValidationError(_("Tulis harga dalam rupiah, mis. 13500 atau 13.500."))
        return price


def price_field_name(commodity: Commodity) -> str:
    return f"harga_{commodity.code}"


class EntryGridForm(forms.Form):
    """One price field per active commodity; blank fields are left as they are."""

    def __init__(
        self,
        *args: Any,
        commodities: Iterable[Commodity],
        initial_prices: dict[int, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commodities = list(commodities)
        for commodity in self.commodities:
            self.fields[price_field_name(commodity)] = PriceField(
                label=commodity.name,
                required=False,
                initial=initial_prices.get(commodity.pk),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def rows(self) -> list[tuple[Commodity, forms.BoundField]]:
        return [(c, self[price_field_name(c)]) for c in self.commodities]

    def prices(self) -> dict[Commodity, int | None]:
        return {c: self.cleaned_data.get(price_field_name(c)) for c in self.commodities}


class ImportForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas CSV"),
        help_text=_("Kolom: tanggal, pasar, komoditas, harga. Maksimal 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ResolveForm(forms.Form):
    catatan = forms.CharField(
        label=_("Catatan penyelesaian"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
