"""Account forms. They parse and label input; the rules themselves live in core.services.

Fields render with `as_field_group`, which links errors and help text to the input through
aria-describedby and sets aria-invalid, so screen readers announce what went wrong.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserChangeForm, UserCreationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .auth_backends import canonical_login
from .choices import STAFF_ROLES, Role
from .errors import DomainError, ValidationFailed
from .models import User
from .services import AGENCY_ROLES, parse_login

_six_digits = RegexValidator(r"^\d{6}$", _("Masukkan 6 angka."))


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service error on the form: `details` keyed by field name go next to the field."""
    placed = False
    for field, messages in (error.details or {}).items():
        if not isinstance(messages, list | tuple):
            continue
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class LoginForm(AuthenticationForm):
    """Sign in with an e-mail address, an Indonesian mobile number or a username."""

    username = forms.CharField(
        label=_("Email, nomor ponsel, atau nama pengguna"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Email, nomor ponsel, nama pengguna, atau kata sandi salah. Periksa kembali lalu "
            "coba lagi."
        ),
        "inactive": _("Akun ini tidak aktif."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The parent caps the field at the username length; e-mail addresses may be longer.
        field = cast(forms.CharField, self.fields["username"])
        field.max_length = 254
        field.widget.attrs["maxlength"] = 254

    def clean_username(self) -> str:
        return canonical_login(self.cleaned_data["username"])


class RegisterForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    login = forms.CharField(
        label=_("Email atau nomor ponsel"),
        max_length=254,
        help_text=_("Kode verifikasi akan dikirim ke alamat email atau nomor ponsel ini."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_login(self) -> str:
        try:
            parse_login(self.cleaned_data["login"])
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.details.get("login") or [exc.message]) from exc
        return self.cleaned_data["login"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return cleaned


class SixDigitCodeField(forms.CharField):
    """Accepts "123 456" as pasted from some messages and authenticator apps."""

    def to_python(self, value: Any) -> str:
        return "".join(str(super().to_python(value)).split())


class CodeForm(forms.Form):
    """A 6-digit one-time or authenticator code."""

    code = SixDigitCodeField(
        label=_("Kode 6 angka"),
        # No max_length: a browser would cut "123 456" (pasted with a space) to "123 45".
        validators=[_six_digits],
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]{6,7}",
                "size": "8",
            }
        ),
    )


_STAFF_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value in STAFF_ROLES]


class StaffCreationForm(UserCreationForm):
    """Admin "add user" form: staff accounts only; saving goes through create_staff_user."""

    role = forms.ChoiceField(label=_("Peran"), choices=_STAFF_ROLE_CHOICES)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email", "role", "agency")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("role") in AGENCY_ROLES and not cleaned.get("agency"):
            self.add_error("agency", _("Petugas dan kepala OPD wajib memiliki OPD."))
        return cleaned


class UserAdminChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
