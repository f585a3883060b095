"""Forms of the public and citizen aspiration pages.

They parse and label input only; the rules (lengths, categories, the city boundary, photo checks,
who may rate or reopen) live in the services, whose `DomainError`s are placed back on these forms
by `add_domain_error`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from terang.core.errors import DomainError
from terang.core.models import AdministrativeArea

from . import selectors
from .choices import Kind, Privacy, Status
from .models import Category

PHOTO_TYPES = "image/jpeg,image/png,image/webp"

PRIVACY_HELP = {
    Privacy.PUBLIC: _(
        "Isi laporan dan jawabannya tampil di situs ini; nama dan kontak Anda tidak pernah "
        "ditampilkan."
    ),
    Privacy.CONFIDENTIAL: _(
        "Hanya Anda dan petugas yang berwenang yang dapat membaca isi laporan; orang lain hanya "
        "melihat statusnya."
    ),
    Privacy.ANONYMOUS: _(
        "Identitas Anda tidak disimpan sama sekali, jadi petugas tidak dapat menghubungi Anda: "
        "simpan kode pelacakan Anda."
    ),
}

# Service error fields that have no input of the same name on the submit form.
FIELD_ALIASES = {"location": "latitude", "lat": "latitude", "lon": "longitude"}


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def category_choices(categories: Iterable[Category]) -> list[Any]:
    """Active categories grouped by their `group`, rendered as <optgroup>s."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in categories:
        groups.setdefault(category.group, []).append((category.code, category.display_name))
    blank = ("", _("— Pilih kategori —"))
    if list(groups) == [""]:
        return [blank, *groups[""]]
    return [blank, *((name or str(_("Lainnya")), items) for name, items in groups.items())]


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Place a service error next to the field it names; otherwise at the top of the form.

    Understands `details["fields"]` ({field: message}) and `details["field"]` (one field, the
    message being the error's own), plus a photo `index` so the citizen knows which file failed.
    """
    details = error.details or {}
    placed = False
    fields = details.get("fields")
    if isinstance(fields, dict):
        for name, text in fields.items():
            placed |= _add(form, str(name), text)
    name = details.get("field")
    if isinstance(name, str):
        message: Any = error.message
        index = details.get("index")
        if name == "photos" and isinstance(index, int):
            message = _("%(message)s (foto ke-%(number)d)") % {
                "message": error.message,
                "number": index + 1,
            }
        placed |= _add(form, name, message)
    if not placed:
        form.add_error(None, str(error.message))


def _add(form: forms.Form, name: str, message: Any) -> bool:
    name = FIELD_ALIASES.get(name, name)
    messages = message if isinstance(message, list | tuple) else [message]
    target = name if name in form.fields else None
    for text in messages:
        form.add_error(target, str(text))
    return target is not None


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; type and size are checked by the photo service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"multiple": True, "accept": PHOTO_TYPES})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=Kind.choices, initial=Kind.COMPLAINT, widget=forms.RadioSelect
    )
    category = forms.CharField(label=_("Kategori"), widget=forms.Select)
    title = forms.CharField(
        label=_("Judul"),
        max_length=200,
        help_text=_("Singkat dan jelas, 5-200 karakter. Contoh: Lubang besar di Jl. Melati."),
    )
    text = forms.CharField(
        label=_("Isi laporan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Apa yang terjadi, sejak kapan, dan apa harapan Anda. 10-4000 karakter."),
    )
    latitude = forms.FloatField(
        label=_("Lintang (latitude)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Bujur (longitude)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    address = forms.CharField(
        label=_("Alamat atau patokan"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    photos = MultipleFileField(
        label=_("Foto (opsional, maksimal 5)"),
        required=False,
        help_text=_("JPEG, PNG, atau WebP, maksimal 10 MB per foto. Data lokasi di foto dihapus."),
    )
    privacy = forms.ChoiceField(
        label=_("Privasi laporan"),
        choices=Privacy.choices,
        initial=Privacy.PUBLIC,
        widget=forms.RadioSelect,
    )
    reporter_name = forms.CharField(
        label=_("Nama Anda"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_contact = forms.CharField(
        label=_("Email atau nomor ponsel"),
        max_length=254,
        required=False,
        help_text=_("Untuk kabar perkembangan laporan. Nomor ponsel dengan awalan +62 atau 08."),
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
    share_contact_with_agency = forms.BooleanField(
        label=_("Izinkan OPD melihat kontak saya"),
        required=False,
        help_text=_("Agar petugas dapat menghubungi Anda bila perlu keterangan tambahan."),
    )
    idempotency_key = forms.CharField(max_length=128, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_guest = not (user and user.is_authenticated)
        if not self.is_guest:
            del self.fields["reporter_name"]
            del self.fields["reporter_contact"]
        categories = selectors.active_categories().order_by("group", "name")
        self.fields["category"].widget.choices = category_choices(categories)

    def privacy_options(self) -> list[dict[str, Any]]:
        """Each privacy choice with its one-sentence explanation, for a described radio group."""
        current = self["privacy"].value() or Privacy.PUBLIC
        return [
            {
                "value": value,
                "label": label,
                "help": PRIVACY_HELP[Privacy(value)],
                "id": f"id_privacy_{value}",
                "checked": str(current) == value,
            }
            for value, label in Privacy.choices
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.is_guest and data.get("privacy") in (Privacy.PUBLIC, Privacy.CONFIDENTIAL):
            for name in ("reporter_name", "reporter_contact"):
                if name in data and not data[name] and name not in self.errors:
                    self.add_error(
                        name, _("Wajib diisi, atau pilih privasi Anonim untuk tanpa identitas.")
                    )
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Kode pelacakan"),
        max_length=16,
        help_text=_("Contoh: ASP-7K2M9QXA"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )


def status_filter_choices() -> list[tuple[str, Any]]:
    shown = (s for s in Status if s not in (Status.SUBMITTED, Status.REJECTED, Status.MERGED))
    return [
        ("", _("Semua status")),
        ("open", _("Masih terbuka")),
        *((s.value, s.label) for s in shown),
    ]


class FilterForm(forms.Form):
    """Filters of the public list, map and GeoJSON (a GET form: shareable links)."""

    q = forms.CharField(
        label=_("Cari kata"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    agency = forms.ChoiceField(label=_("OPD"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=status_filter_choices)
    since = forms.DateField(
        label=_("Sejak"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self, *args: Any, kelurahan: Iterable[AdministrativeArea] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        categories = selectors.active_categories().order_by("group", "name")
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Semua kategori")),
            *category_choices(categories)[1:],
        ]
        agencies = selectors.active_agencies().order_by("name")
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            ("", _("Semua OPD")),
            *((a.code, a.name) for a in agencies),
        ]
        cast(forms.ChoiceField, self.fields["kelurahan"]).choices = [
            ("", _("Semua kelurahan")),
            *((k.code, k.name) for k in kelurahan),
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("Tanggal akhir harus sesudah tanggal awal."))
        return data


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=_("Sejak"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("Tanggal akhir harus sesudah tanggal awal."))
        return data


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai penanganan (1 = sangat buruk, 5 = sangat baik)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar (opsional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"),
        max_length=2000,
        help_text=_("Jelaskan mengapa masalahnya belum selesai (minimal 5 karakter)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AreaForm(forms.Form):
    area = forms.ChoiceField(label=_("Kelurahan"))

    def __init__(
        self, *args: Any, kelurahan: Iterable[AdministrativeArea] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            ("", _("— Pilih kelurahan —")),
            *((k.code, f"{k.name} ({k.parent.name})" if k.parent else k.name) for k in kelurahan),
        ]
