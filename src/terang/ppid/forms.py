"""HTML forms of the PPID pages. They only parse input: every rule lives in the services, whose
errors `place_domain_error` puts next to the field they concern."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from terang.core.errors import DomainError
from terang.core.models import Agency

from .choices import (
    Channel,
    Delivery,
    DipCategory,
    DocumentKind,
    Exemption,
    Format,
    IdentityKind,
    ObjectionGround,
    ObjectionOutcome,
    Outcome,
    RequesterKind,
    RequestStatus,
)
from .documents import ACCEPT


def place_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service error next to its field (`details.fields` / `details.field`), else on top."""
    details = error.details or {}
    per_field = details.get("fields")
    if isinstance(per_field, dict) and per_field:
        for name, message in per_field.items():
            form.add_error(name if name in form.fields else None, str(message))
        return
    name = details.get("field")
    if isinstance(name, str) and name in form.fields:
        form.add_error(name, str(error.message))
        return
    form.add_error(None, str(error.message))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; checking their content is the service's job."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class RequestForm(forms.Form):
    """The permohonan form (Perki 1/2021 SLIP): identity, purpose, information, format."""

    requester_kind = forms.ChoiceField(
        label=_("Pemohon"),
        choices=RequesterKind.choices,
        initial=RequesterKind.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    requester_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    organisation_name = forms.CharField(
        label=_("Nama badan hukum / kelompok (bila mewakili)"), max_length=200, required=False
    )
    legal_entity_document = forms.FileField(
        label=_("Akta pendirian / pengesahan badan hukum (bila mewakili)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )
    identity_kind = forms.ChoiceField(
        label=_("Jenis identitas"), choices=IdentityKind.choices, initial=IdentityKind.NIK
    )
    identity_number = forms.CharField(
        label=_("Nomor identitas (NIK 16 angka untuk KTP)"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    address = forms.CharField(
        label=_("Alamat"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    phone = forms.CharField(
        label=_("Nomor ponsel"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=100)
    information_requested = forms.CharField(
        label=_("Rincian informasi yang dibutuhkan"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    purpose = forms.CharField(
        label=_("Tujuan penggunaan informasi"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    preferred_format = forms.ChoiceField(
        label=_("Cara memperoleh informasi"), choices=Format.choices, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(
        label=_("Cara mendapatkan salinan"), choices=Delivery.choices, widget=forms.RadioSelect
    )


class StaffRequestForm(RequestForm):
    channel = forms.ChoiceField(
        label=_("Diterima melalui"),
        choices=[(c.value, c.label) for c in Channel if c != Channel.WEB],
        initial=Channel.COUNTER,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Jawaban"), choices=Outcome.choices)
    text = forms.CharField(
        label=_("Isi pemberitahuan tertulis"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    exemption = forms.ChoiceField(
        label=_("Dasar pengecualian (untuk ditolak / dikabulkan sebagian)"),
        choices=[("", "—"), *Exemption.choices],
        required=False,
    )
    legal_basis = forms.CharField(
        label=_("Dasar hukum lain (wajib untuk huruf j)"), max_length=2000, required=False
    )
    consequence_test = forms.CharField(
        label=_("Uji konsekuensi (untuk ditolak / dikabulkan sebagian)"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    forwarded_to = forms.CharField(
        label=_("Diteruskan kepada (badan publik)"), max_length=200, required=False
    )
    documents = MultipleFileField(label=_("Dokumen yang diserahkan (bila dikabulkan)"))


class DeliverForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan penyerahan (mis. diambil langsung)"), max_length=4000, required=False
    )
    documents = MultipleFileField(label=_("Dokumen"))


class ObjectionForm(forms.Form):
    grounds = forms.MultipleChoiceField(
        label=_("Alasan keberatan (Pasal 35 ayat 1)"),
        choices=ObjectionGround.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    statement = forms.CharField(
        label=_("Uraian keberatan"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ObjectionAnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Putusan atasan PPID"), choices=ObjectionOutcome.choices)
    text = forms.CharField(
        label=_("Tanggapan tertulis"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DisputeForm(forms.Form):
    reference = forms.CharField(
        label=_("Nomor register sengketa di Komisi Informasi"), max_length=60
    )
    filed_on = forms.DateField(
        label=_("Tanggal sengketa diajukan"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Catatan"), max_length=4000, required=False)


class RegisterFilterForm(forms.Form):
    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False, choices=[])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), ("open", _("Masih berjalan")), *RequestStatus.choices],
    )
    jawaban = forms.ChoiceField(
        label=_("Jawaban"), required=False, choices=[("", _("Semua")), *Outcome.choices]
    )
    q = forms.CharField(label=_("Cari"), max_length=200, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["tahun"]).choices = [
            ("", _("Semua")),
            *[(y, str(y)) for y in years],
        ]


class YearForm(forms.Form):
    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, choices=[])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["tahun"]).choices = [(y, str(y)) for y in years]


class DipFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari di DIP dan isi dokumen"), max_length=200, required=False)
    jenis = forms.ChoiceField(
        label=_("Jenis informasi"), required=False, choices=[("", _("Semua")), *DipCategory.choices]
    )


class DipEntryForm(forms.Form):
    category = forms.ChoiceField(label=_("Jenis informasi"), choices=DipCategory.choices)
    title = forms.CharField(label=_("Judul informasi"), max_length=250)
    summary = forms.CharField(
        label=_("Ringkasan isi informasi"), widget=forms.Textarea(attrs={"rows": 3})
    )
    agency = forms.ModelChoiceField(
        label=_("Unit yang menguasai informasi"), queryset=Agency.objects.filter(is_active=True)
    )
    official = forms.CharField(label=_("Pejabat yang menguasai informasi"), max_length=200)
    person_in_charge = forms.CharField(
        label=_("Penanggung jawab pembuatan / penerbitan"), max_length=200
    )
    produced_when = forms.CharField(label=_("Waktu pembuatan"), max_length=100)
    produced_where = forms.CharField(label=_("Tempat pembuatan"), max_length=150)
    has_softcopy = forms.BooleanField(label=_("Tersedia softcopy"), required=False, initial=True)
    has_hardcopy = forms.BooleanField(label=_("Tersedia hardcopy"), required=False)
    retention = forms.CharField(label=_("Jangka waktu penyimpanan"), max_length=100)
    exemption = forms.ChoiceField(
        label=_("Dasar pengecualian (Pasal 17)"),
        required=False,
        choices=[("", "—"), *Exemption.choices],
    )
    legal_basis = forms.CharField(
        label=_("Dasar hukum pengecualian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consequence_test = forms.CharField(
        label=_("Uji konsekuensi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    exempt_until = forms.DateField(
        label=_("Dikecualikan sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_published = forms.BooleanField(
        label=_("Tampilkan di DIP publik"), required=False, initial=True
    )


class DipDocumentForm(forms.Form):
    title = forms.CharField(label=_("Judul dokumen"), max_length=250)
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("Berkas (PDF, DOCX, XLSX, ODT, ODS, CSV, TXT, JPG, PNG; maks. 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
