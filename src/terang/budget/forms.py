"""Forms of the budget pages: the explorer's query parameters (shared by the pages, the CSV
downloads and, through the same names, the JSON API) and the staff import form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import VersionKind, YearStatus


class ExplorerForm(forms.Form):
    """`versi`: a version number of the year (default: the current APBD-P, else murni);
    `opd`: an agency code; `kode`: a program-side or account code; `dengan`: the year to
    compare with."""

    versi = forms.IntegerField(label=_("Versi"), required=False, min_value=1, max_value=999)
    opd = forms.CharField(label=_("OPD"), required=False, max_length=30)
    kode = forms.CharField(label=_("Kode"), required=False, max_length=24)
    dengan = forms.IntegerField(
        label=_("Bandingkan dengan tahun"), required=False, min_value=2000, max_value=2999
    )

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) or None


class ImportForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun anggaran"), min_value=2000, max_value=2999)
    jenis = forms.ChoiceField(
        label=_("Jenis APBD"),
        choices=VersionKind.choices,
        help_text=_(
            "APBD-P disimpan sebagai versi baru; APBD murni tetap tersimpan seperti ditetapkan."
        ),
    )
    berkas = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_("Baris pertama berisi judul kolom. Maksimal 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class YearStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=YearStatus.choices)
    alasan = forms.CharField(
        label=_("Alasan"), required=False, max_length=500, widget=forms.TextInput()
    )
