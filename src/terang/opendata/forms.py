"""Forms of the catalog's staff pages. They only parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terang.core.models import Agency

from .choices import UpdateFrequency
from .datastore import FIELD_TYPES
from .datastore.parsing import JSON_ONLY_TYPES
from .models import DataGroup, Dataset, Licence
from .reports import type_label


class DateInput(forms.DateInput):
    input_type = "date"


class DatasetForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=250)
    notes = forms.CharField(
        label=_("Deskripsi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Apa isi data ini, cara pengumpulannya, dan batasannya."),
    )
    organization = forms.ModelChoiceField(
        label=_("Produsen data (OPD)"), queryset=Agency.objects.none(), required=False
    )
    licence = forms.ModelChoiceField(label=_("Lisensi"), queryset=Licence.objects.all())
    groups = forms.ModelMultipleChoiceField(
        label=_("Kelompok topik"),
        queryset=DataGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tag"), required=False, max_length=1000, help_text=_("Pisahkan dengan koma.")
    )
    update_frequency = forms.ChoiceField(
        label=_("Frekuensi pemutakhiran"), choices=UpdateFrequency.choices
    )
    temporal_start = forms.DateField(
        label=_("Cakupan waktu dari"), required=False, widget=DateInput
    )
    temporal_end = forms.DateField(
        label=_("Cakupan waktu sampai"), required=False, widget=DateInput
    )
    spatial_coverage = forms.CharField(label=_("Cakupan wilayah"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("Narahubung"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_("Email narahubung"), required=False)
    source = forms.CharField(label=_("Sumber data"), required=False, max_length=300)

    def __init__(self, *args: Any, choose_agency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_agency:
            organization = self.fields["organization"]
            assert isinstance(organization, forms.ModelChoiceField)  # noqa: S101
            organization.queryset = Agency.objects.filter(is_active=True)
            self.fields["organization"].required = True
        else:
            del self.fields["organization"]

    @classmethod
    def initial_for(cls, dataset: Dataset) -> dict[str, Any]:
        return {
            "title": dataset.title,
            "notes": dataset.notes,
            "licence": dataset.licence_id,
            "groups": list(dataset.groups.all()),
            "tags": ", ".join(dataset.tags.values_list("name", flat=True)),
            "update_frequency": dataset.update_frequency,
            "temporal_start": dataset.temporal_start,
            "temporal_end": dataset.temporal_end,
            "spatial_coverage": dataset.spatial_coverage,
            "contact_name": dataset.contact_name,
            "contact_email": dataset.contact_email,
            "source": dataset.source,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = [t for t in (data.get("tags") or "").split(",") if t.strip()]
        data["groups"] = list(data.get("groups") or [])
        data.pop("organization", None)
        return data


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Nama sumber data"), max_length=250)
    description = forms.CharField(
        label=_("Deskripsi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    upload = forms.FileField(
        label=_("Berkas"),
        required=False,
        help_text=_(
            "CSV, XLSX atau JSON (larik objek) menjadi tabel yang dapat ditelusuri; "
            "berkas lain disimpan apa adanya."
        ),
    )
    url = forms.URLField(
        label=_("atau tautan eksternal"), required=False, max_length=1000, assume_scheme="https"
    )
    file_format = forms.CharField(
        label=_("Format"),
        required=False,
        max_length=20,
        help_text=_("Kosongkan agar ditentukan dari nama berkas."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("upload")) == bool(cleaned.get("url")):
            raise forms.ValidationError(_("Pilih salah satu: unggah berkas atau isi tautan."))
        return cleaned


class ResourceEditForm(forms.Form):
    name = forms.CharField(label=_("Nama sumber data"), max_length=250)
    description = forms.CharField(
        label=_("Deskripsi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    url = forms.URLField(
        label=_("Tautan eksternal"), required=False, max_length=1000, assume_scheme="https"
    )


class VersionForm(forms.Form):
    upload = forms.FileField(label=_("Berkas baru"))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SchemaForm(forms.Form):
    """One row per column of the table: type, title, description, date format."""

    def __init__(
        self, *args: Any, fields: list[dict[str, Any]], file_format: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.columns = fields
        kinds = FIELD_TYPES + (JSON_ONLY_TYPES if file_format == "json" else ())
        choices = [(kind, f"{kind} – {type_label(kind)}") for kind in kinds]
        for index, column in enumerate(fields):
            name = column["name"]
            self.fields[f"type_{index}"] = forms.ChoiceField(
                label=_("Tipe kolom %(name)s") % {"name": name},
                choices=choices,
                initial=column.get("type"),
            )
            self.fields[f"title_{index}"] = forms.CharField(
                label=_("Judul kolom %(name)s") % {"name": name},
                required=False,
                max_length=200,
                initial=column.get("title", ""),
            )
            self.fields[f"description_{index}"] = forms.CharField(
                label=_("Keterangan kolom %(name)s") % {"name": name},
                required=False,
                max_length=1000,
                initial=column.get("description", ""),
            )
            self.fields[f"format_{index}"] = forms.CharField(
                label=_("Format tanggal kolom %(name)s") % {"name": name},
                required=False,
                max_length=50,
                initial=column.get("format", ""),
                help_text=_("Untuk tanggal/waktu, misalnya %d/%m/%Y."),
            )

    def rows(self) -> list[dict[str, Any]]:
        """Bound fields grouped per column, for the template."""
        return [
            {
                "name": column["name"],
                "type": self[f"type_{index}"],
                "title": self[f"title_{index}"],
                "description": self[f"description_{index}"],
                "format": self[f"format_{index}"],
            }
            for index, column in enumerate(self.columns)
        ]

    def schema_fields(self) -> list[dict[str, Any]]:
        return [
            {
                "name": column["name"],
                "type": self.cleaned_data[f"type_{index}"],
                "title": self.cleaned_data[f"title_{index}"],
                "description": self.cleaned_data[f"description_{index}"],
                "format": self.cleaned_data[f"format_{index}"],
            }
            for index, column in enumerate(self.columns)
        ]
