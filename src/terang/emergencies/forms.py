"""Forms of the 112 pages. They parse and label input; every rule lives in the services.

Each action form on the detail page has its own prefix, so several forms share one page without
clashing ids."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.errors import DomainError

from .choices import IncidentType
from .selectors import UnitChoice

_FIELD_ALIASES = {"location": "address"}


def place_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service error next to its field (`details.field`), else on top of the form."""
    name = (error.details or {}).get("field")
    if isinstance(name, str):
        name = _FIELD_ALIASES.get(name, name)
        if name in form.fields:
            form.add_error(name, str(error.message))
            return
    form.add_error(None, str(error.message))


class ReceiveCallForm(forms.Form):
    incident_type = forms.ChoiceField(label=_("Jenis kejadian"), choices=IncidentType.choices)
    caller_name = forms.CharField(label=_("Nama penelepon"), max_length=150, required=False)
    caller_phone = forms.CharField(
        label=_("Nomor telepon penelepon"),
        max_length=30,
        required=False,
        help_text=_("Untuk menelepon balik; hanya terlihat oleh petugas."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Alamat / patokan lokasi"),
        max_length=300,
        required=False,
        help_text=_("Isi alamat atau patokan, atau koordinat, atau keduanya."),
    )
    latitude = forms.FloatField(label=_("Lintang"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Bujur"), required=False, min_value=-180, max_value=180)
    description = forms.CharField(
        label=_("Uraian kejadian"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Apa yang terjadi, korban, bahaya di lokasi."),
    )


def unit_label(choice: UnitChoice) -> str:
    parts = [choice.unit.get_kind_display()]
    if choice.unit.agency_id:
        parts.append(str(choice.unit.agency))
    if choice.distance_km is not None:
        parts.append(
            gettext("%(km)s km dari markas") % {"km": number_format(choice.distance_km, 1)}
        )
    if choice.suggested:
        parts.append(gettext("disarankan"))
    return f"{choice.unit.code} · {choice.unit.name} ({', '.join(parts)})"


class DispatchForm(forms.Form):
    units = forms.MultipleChoiceField(
        label=_("Unit yang dikerahkan"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[UnitChoice], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "dispatch")
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(c.unit.code, unit_label(c)) for c in choices]  # type: ignore[attr-defined]


class OnSceneForm(forms.Form):
    unit = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "on_scene")
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Hasil penanganan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Misalnya: api padam, korban dibawa ke RSUD, jalan dibuka kembali."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    false_call = forms.BooleanField(
        label=_("Panggilan palsu (iseng atau tidak ada kejadian)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "cancel")
        super().__init__(*args, **kwargs)
