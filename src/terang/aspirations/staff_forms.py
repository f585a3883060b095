"""Forms of the staff pages. They parse and label input; every rule lives in the services.

Each action form on the detail page has its own prefix, so several forms share one page
without clashing ids, and each renders with `as_field_group` (errors linked through
aria-describedby).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from terang.core.errors import DomainError
from terang.core.models import AdministrativeArea, Agency

from . import selectors
from .choices import OPEN_STATUSES, Channel, Kind, Privacy, Status

INBOX_STATUS_CHOICES = [("", _("Semua status terbuka"))] + [
    (value, label) for value, label in Status.choices if value in OPEN_STATUSES
]
BULK_ACTION_CHOICES = [
    ("verify", _("Verifikasi")),
    ("start", _("Mulai tindak lanjut")),
    ("reject", _("Tolak (wajib alasan)")),
    ("note", _("Catatan internal (wajib isi)")),
]
INTAKE_CHANNELS = (
    Channel.COUNTER,
    Channel.SMS,
    Channel.WHATSAPP,
    Channel.EMAIL,
    Channel.EMERGENCY_112,
    Channel.INSTAGRAM,
    Channel.FACEBOOK,
    Channel.X,
)
# Service error details name these fields; show them next to the input the user filled in.
_FIELD_ALIASES = {"location": "address"}


def place_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service error next to its field (`details.field` or `details.fields`), else on top."""
    details = error.details or {}
    per_field = details.get("fields")
    if isinstance(per_field, dict) and per_field:
        for name, message in per_field.items():
            form.add_error(name if name in form.fields else None, str(message))
        return
    name = details.get("field")
    if isinstance(name, str):
        name = _FIELD_ALIASES.get(name, name)
        if name in form.fields:
            form.add_error(name, str(error.message))
            return
    form.add_error(None, str(error.message))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; checking their content is the service's job."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def active_agencies() -> QuerySet[Agency]:
    return selectors.active_agencies().order_by("name")


class InboxFilterForm(forms.Form):
    """The inbox filters; `categories` narrows the category choices to what the reader may
    filter by (`selectors.inbox_categories`), so another agency's categories are neither
    listed nor accepted."""

    status = forms.ChoiceField(label=_("Status"), choices=INBOX_STATUS_CHOICES, required=False)
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=selectors.active_categories(),
        to_field_name="code",
        required=False,
        empty_label=_("Semua kategori"),
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"),
        queryset=AdministrativeArea.objects.filter(level="kelurahan"),
        to_field_name="code",
        required=False,
        empty_label=_("Semua kelurahan"),
    )
    ping_pong = forms.BooleanField(label=_("Hanya ping-pong"), required=False)
    breached = forms.BooleanField(label=_("Hanya yang melewati tenggat"), required=False)
    q = forms.CharField(label=_("Cari"), max_length=200, required=False)

    def __init__(self, *args: Any, categories: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if categories is not None:
            cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(label=_("Aksi massal"), choices=BULK_ACTION_CHOICES)
    reason = forms.CharField(
        label=_("Alasan / catatan"),
        max_length=2000,
        required=False,
        help_text=_("Wajib untuk penolakan dan catatan internal."),
    )


class VerifyForm(forms.Form):
    privacy = forms.ChoiceField(
        label=_("Mode privasi"),
        required=False,
        choices=[("", _("Tidak diubah")), (Privacy.CONFIDENTIAL, _("Ubah menjadi rahasia"))],
        help_text=_("Privasi hanya dapat diperketat, misalnya bila laporan menyebut pihak ketiga."),
    )
    agency = forms.ModelChoiceField(
        label=_("Teruskan ke OPD lain"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("OPD penanggung jawab kategori"),
    )

    def __init__(self, *args: Any, choose_agency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_agency:
            cast(forms.ModelChoiceField, self.fields["agency"]).queryset = active_agencies()
        else:
            del self.fields["agency"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StartForm(forms.Form):
    note = forms.CharField(label=_("Catatan (opsional)"), max_length=2000, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Jawaban untuk publik"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Terlihat oleh pelapor dan publik."),
    )


class PlaceForm(forms.Form):
    latitude = forms.FloatField(label=_("Lintang"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Bujur"), min_value=-180, max_value=180)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan internal"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hanya terlihat oleh petugas."),
    )


class ResolveForm(forms.Form):
    answer = forms.CharField(
        label=_("Jawaban penyelesaian (publik)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    before_photos = MultiplePhotoField(label=_("Foto sebelum (maks. 5)"))
    after_photos = MultiplePhotoField(label=_("Foto sesudah (maks. 5)"))


class CheckForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Terima")), ("send_back", _("Kembalikan"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Catatan pemeriksaan"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila penyelesaian dikembalikan."),
    )


class AgencyReasonForm(forms.Form):
    """Redisposition and final assignment: a target agency and the reason on record."""

    agency = forms.ModelChoiceField(label=_("OPD tujuan"), queryset=Agency.objects.none())
    reason = forms.CharField(
        label=_("Alasan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, exclude_agency_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = active_agencies()
        if exclude_agency_id is not None:
            agencies = agencies.exclude(pk=exclude_agency_id)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Kode laporan utama"),
        max_length=16,
        help_text=_("Laporan ini digabung ke laporan utama; pengikutnya ikut dipindahkan."),
    )
    reason = forms.CharField(label=_("Alasan (opsional)"), max_length=2000, required=False)

    def clean_into(self) -> str:
        return self.cleaned_data["into"].strip().upper()


class IntakeForm(forms.Form):
    """A report taken at the counter, by phone or from social media, on a citizen's behalf."""

    channel = forms.ChoiceField(
        label=_("Kanal"),
        choices=[(value, label) for value, label in Channel.choices if value in INTAKE_CHANNELS],
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=Kind.choices, initial=Kind.COMPLAINT)
    privacy = forms.ChoiceField(
        label=_("Mode privasi"),
        choices=Privacy.choices,
        initial=Privacy.PUBLIC,
        help_text=_("Anonim: nama dan kontak pelapor tidak disimpan sama sekali."),
    )
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=150, required=False)
    reporter_contact = forms.CharField(
        label=_("Kontak pelapor (email atau nomor ponsel)"),
        max_length=150,
        required=False,
    )
    share_contact_with_agency = forms.BooleanField(
        label=_("Pelapor setuju kontaknya dibagikan ke OPD"),
        required=False,
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=selectors.active_categories(),
        to_field_name="code",
    )
    title = forms.CharField(label=_("Judul"), max_length=200)
    text = forms.CharField(label=_("Isi laporan"), max_length=4000, widget=forms.Textarea)
    latitude = forms.FloatField(label=_("Lintang"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Bujur"), required=False, min_value=-180, max_value=180)
    address = forms.CharField(label=_("Alamat / patokan lokasi"), max_length=300, required=False)
    photos = MultiplePhotoField(label=_("Foto (maks. 5)"))
