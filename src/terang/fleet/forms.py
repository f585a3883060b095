from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DayForm(forms.Form):
    """Which city day a trail or coverage page shows (today when empty or invalid)."""

    tanggal = forms.DateField(
        label=_("Tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )


class IdleAlertResolveForm(forms.Form):
    """The optional note of a resolved idle alert (the all-alerts page posts it as `note`)."""

    note = forms.CharField(
        label=_("Catatan penyelesaian"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
