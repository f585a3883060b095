"""Account services: citizen sign-up, one-time codes, staff accounts and TOTP devices.

Every write goes through here so the HTML views, the API and the demo seed share one set of
rules (validation, rate limits, audit entries). Contacts never appear in clear text outside
their encrypted column: lookups use `crypto.digest`, audit payloads carry digests only.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from base64 import b32encode
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import record_audit
from .choices import STAFF_ROLES, NotificationChannel, Role
from .crypto import UnreadableField, decrypt_field, digest, encrypt
from .errors import Conflict, RateLimited, ValidationFailed
from .models import Agency, OneTimeCode, User
from .notifications import queue_notification
from .privacy import normalize_phone

PURPOSE_VERIFY_CONTACT = "verify"

CODE_TTL = dt.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
# (max codes, window) per target contact; checked together, the first exceeded one wins.
CODE_ISSUE_LIMITS = ((3, dt.timedelta(minutes=15)), (10, dt.timedelta(hours=1)))

AGENCY_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD})
TOTP_DEVICE_NAME = "Terang"

_CODE_HMAC_SALT = "terang.core.services.one-time-code"


class InvalidCode(ValidationFailed):
    """A one-time or TOTP code was wrong, expired, used up or never issued."""

    code = "invalid_code"
    default_message = _("Kode tidak valid.")


# --- login identifiers ---------------------------------------------------------------------


def parse_login(login: str) -> tuple[str, str]:
    """Classify a sign-up login as ("email", address) or ("phone", +62 number).

    Raises ValidationFailed (details keyed by "login") for anything else.
    """
    value = (login or "").strip()
    if "@" in value:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValidationFailed(
                _("Alamat email tidak valid."), details={"login": [_("Alamat email tidak valid.")]}
            ) from exc
        local, _sep, domain = value.rpartition("@")
        return "email", f"{local}@{domain.lower()}"
    try:
        return "phone", normalize_phone(value)
    except ValueError as exc:
        message = _("Masukkan alamat email atau nomor ponsel Indonesia (contoh: 0812 3456 7890).")
        raise ValidationFailed(message, details={"login": [message]}) from exc


def _new_citizen_username() -> str:
    # Random, so the username (shown in audit labels and the header) never reveals a contact.
    while True:
        candidate = f"warga-{secrets.token_hex(5)}"
        if not User.objects.filter(username=candidate).exists():
            return candidate


def _contact_taken(kind: str, value: str) -> bool:
    if kind == "email":
        return User.objects.filter(email__iexact=value).exists()
    return User.objects.filter(phone_digest=digest(value)).exists()


def _password_errors(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        return [str(message) for message in exc.messages]
    return []


# --- citizens ------------------------------------------------------------------------------


def register_citizen(*, login: str, password: str, full_name: str, language: str = "id") -> User:
    """Create an unverified citizen account for an email address or Indonesian mobile number.

    The account stays unverified (`contact_verified=False`) until `confirm_one_time_code` succeeds;
    the login view refuses to sign unverified citizens in. A phone number is stored only as a
    keyed digest (for lookup) and ciphertext (for delivery).
    """
    kind, contact = parse_login(login)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationFailed(details={"full_name": [_("Nama lengkap wajib diisi.")]})
    if len(full_name) > (User._meta.get_field("full_name").max_length or 150):
        raise ValidationFailed(details={"full_name": [_("Nama lengkap terlalu panjang.")]})

    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    user = User(
        full_name=full_name, role=Role.CITIZEN, contact_verified=False, preferred_language=language
    )
    if kind == "email":
        user.email = contact
    else:
        user.phone_digest = digest(contact)
        user.phone_encrypted = encrypt(contact)
    errors = _password_errors(password, user)
    if errors:
        raise ValidationFailed(details={"password": errors})

    taken = Conflict(
        _("Akun dengan kontak ini sudah terdaftar. Silakan masuk."),
        details={"login": [_("Akun dengan kontak ini sudah terdaftar. Silakan masuk.")]},
    )
    if _contact_taken(kind, contact):
        raise taken
    user.username = _new_citizen_username()
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            record_audit(
                actor=user,
                action="account.registered",
                subject=user,
                payload={
                    "role": Role.CITIZEN,
                    "login_kind": kind,
                    "contact_digest": digest(contact),
                },
            )
    except IntegrityError as exc:
        # A concurrent sign-up with the same contact won the unique constraint.
        raise taken from exc
    return user


def _code_target(user: User) -> tuple[str, str, str]:
    """(channel, address, target digest) for the user's contact: email first, else SMS."""
    if user.email:
        return NotificationChannel.EMAIL, user.email, digest(user.email)
    if user.phone_encrypted and user.phone_digest:
        try:
            phone = decrypt_field(user, "phone_encrypted")
        except UnreadableField as exc:  # logged; a code cannot be sent to an unknown number
            raise ValidationFailed(
                _("Nomor ponsel akun ini tidak terbaca oleh sistem. Hubungi pengelola layanan.")
            ) from exc
        return NotificationChannel.SMS, phone, user.phone_digest
    raise ValidationFailed(_("Akun ini tidak memiliki email atau nomor ponsel."))


def _hash_code(*, nonce: str, target: str, purpose: str, code: str) -> str:
    # Keyed with SECRET_KEY: a leaked table cannot be brute-forced offline over 10^6 codes.
    mac = salted_hmac(_CODE_HMAC_SALT, f"{nonce}:{target}:{purpose}:{code}", algorithm="sha256")
    return f"{nonce}${mac.hexdigest()}"


def _code_matches(stored: str, *, target: str, purpose: str, code: str) -> bool:
    nonce, _sep, _mac = stored.partition("$")
    expected = _hash_code(nonce=nonce, target=target, purpose=purpose, code=code)
    return hmac.compare_digest(stored, expected)


def issue_one_time_code(*, user: User, purpose: str) -> None:
    """Send a fresh 6-digit code to the user's contact; earlier live codes stop working.

    Limits per contact: 3 codes per 15 minutes and 10 per hour, counted from stored codes so
    they hold across processes and restarts. Raises RateLimited (details.retry_after_seconds).
    """
    if not purpose or len(purpose) > (OneTimeCode._meta.get_field("purpose").max_length or 20):
        raise ValueError("invalid purpose")
    with transaction.atomic():
        # The row lock serialises concurrent requests for one account, so limits cannot race.
        locked = User.objects.select_for_update().get(pk=user.pk)
        channel, address, target = _code_target(locked)
        now = timezone.now()
        for limit, window in CODE_ISSUE_LIMITS:
            recent = list(
                OneTimeCode.objects.filter(target_digest=target, created_at__gt=now - window)
                .order_by("-created_at")
                .values_list("created_at", flat=True)[:limit]
            )
            if len(recent) >= limit:
                wait = int((recent[-1] + window - now).total_seconds()) + 1
                raise RateLimited(
                    _("Terlalu banyak permintaan kode. Coba lagi dalam beberapa menit."),
                    details={"retry_after_seconds": max(wait, 1)},
                )
        OneTimeCode.objects.filter(
            target_digest=target, purpose=purpose, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        code = f"{secrets.randbelow(10**6):06d}"
        OneTimeCode.objects.create(
            target_digest=target,
            purpose=purpose,
            code_hash=_hash_code(
                nonce=secrets.token_hex(8), target=target, purpose=purpose, code=code
            ),
            expires_at=now + CODE_TTL,
        )
        with translation.override(locked.preferred_language or "id"):
            subject = gettext("Kode verifikasi Anda")
            body = gettext(
                "Kode verifikasi Anda: %(code)s. Berlaku %(minutes)d menit. Jangan berikan kode "
                "ini kepada siapa pun, termasuk petugas."
            ) % {"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)}
        queue_notification(
            channel=channel, address=address, subject=subject, body=body, recipient=locked
        )


def confirm_one_time_code(*, user: User, purpose: str, code: str) -> None:
    """Check the latest code for the user's contact and mark the contact verified.

    Each code allows CODE_MAX_ATTEMPTS tries, then it is dead. Failures raise InvalidCode with
    details.reason in {"missing", "expired", "too_many_attempts", "wrong"}; the attempt counter
    is committed before raising. The caller's `user` object is not modified: reload it.
    """
    code = (code or "").strip()
    reason = None
    attempts_left = 0
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        channel, _address, target = _code_target(locked)
        now = timezone.now()
        otc = (
            OneTimeCode.objects.select_for_update()
            .filter(target_digest=target, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if otc is None:
            reason = "missing"
        elif otc.expires_at <= now:
            reason = "expired"
        elif otc.attempts >= CODE_MAX_ATTEMPTS:
            reason = "too_many_attempts"
        elif not _code_matches(otc.code_hash, target=target, purpose=purpose, code=code):
            otc.attempts += 1
            otc.save(update_fields=["attempts"])
            attempts_left = CODE_MAX_ATTEMPTS - otc.attempts
            reason = "wrong" if attempts_left else "too_many_attempts"
        else:
            otc.used_at = now
            otc.save(update_fields=["used_at"])
            if purpose == PURPOSE_VERIFY_CONTACT and not locked.contact_verified:
                locked.contact_verified = True
                locked.save(update_fields=["contact_verified"])
                record_audit(
                    actor=locked,
                    action="account.verified",
                    subject=locked,
                    payload={"purpose": purpose, "channel": channel, "contact_digest": target},
                )
    if reason is not None:
        raise InvalidCode(
            _code_failure_message(reason), details=_failure_details(reason, attempts_left)
        )


def _code_failure_message(reason: str) -> Any:
    return {
        "missing": _("Belum ada kode yang berlaku. Minta kode baru."),
        "expired": _("Kode sudah kedaluwarsa. Minta kode baru."),
        "too_many_attempts": _("Terlalu banyak percobaan salah. Minta kode baru."),
        "wrong": _("Kode salah. Periksa kembali kode yang Anda terima."),
    }[reason]


def _failure_details(reason: str, attempts_left: int) -> dict[str, Any]:
    details: dict[str, Any] = {"reason": reason}
    if reason == "wrong":
        details["attempts_left"] = attempts_left
    return details


# --- staff ---------------------------------------------------------------------------------


def django_flags_for_role(role: str) -> dict[str, bool]:
    """Django admin access follows the role: only administrators enter /admin/."""
    is_admin = role == Role.ADMIN
    return {"is_staff": is_admin, "is_superuser": is_admin}


def create_staff_user(
    *,
    username: str,
    password: str,
    role: str,
    agency: Agency | None = None,
    full_name: str = "",
    email: str | None = None,
    actor: User | None = None,
) -> User:
    """Create a staff account (officer, agency head, operator, inspectorate, administrator).

    Officers and agency heads must belong to an agency. The password must pass
    AUTH_PASSWORD_VALIDATORS. Staff contacts count as verified (an administrator vouches for
    them); TOTP enrolment happens at first sign-in on /akun/2fa/.
    """
    if role not in STAFF_ROLES:
        raise ValidationFailed(details={"role": [_("Peran ini bukan peran petugas.")]})
    if role in AGENCY_ROLES and agency is None:
        raise ValidationFailed(
            details={"agency": [_("Petugas dan kepala OPD wajib memiliki OPD.")]}
        )
    username = (username or "").strip()
    if not username:
        raise ValidationFailed(details={"username": [_("Nama pengguna wajib diisi.")]})
    email = (email or "").strip() or None
    if email:
        try:
            validate_email(email)
        except DjangoValidationError as exc:
            raise ValidationFailed(details={"email": [_("Alamat email tidak valid.")]}) from exc

    user = User(
        username=username,
        full_name=(full_name or "").strip(),
        email=email,
        role=role,
        agency=agency,
        contact_verified=True,
        **django_flags_for_role(role),
    )
    errors = _password_errors(password, user)
    if errors:
        raise ValidationFailed(details={"password": errors})
    if User.objects.filter(username=username).exists():
        raise Conflict(details={"username": [_("Nama pengguna sudah dipakai.")]})
    if email and User.objects.filter(email__iexact=email).exists():
        raise Conflict(details={"email": [_("Email sudah dipakai akun lain.")]})
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            record_audit(
                actor=actor,
                action="account.created",
                subject=user,
                payload={
                    "role": role,
                    "agency": agency.code if agency else None,
                    "contact_digest": digest(email) if email else None,
                },
            )
    except IntegrityError as exc:
        raise Conflict(_("Nama pengguna atau email sudah dipakai.")) from exc
    return user


def start_totp_setup(*, user: User) -> TOTPDevice:
    """Return the user's pending (unconfirmed) TOTP device, creating one if needed.

    Reusing the pending device keeps the QR code stable across page reloads.
    """
    with transaction.atomic():
        # Lock the account row so two tabs cannot each create a pending device.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(
                user_id=user.pk, name=TOTP_DEVICE_NAME, confirmed=False
            )
    return device


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def verify_totp(*, user: User, token: str) -> TOTPDevice:
    """Check a TOTP token against the user's device, confirming a pending one on success.

    django-otp throttles failures per device (growing delay) and refuses replayed tokens.
    Raises InvalidCode; returns the device to pass to `django_otp.login`.
    """
    token = (token or "").strip()
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user_id=user.pk)
            .order_by("-confirmed", "pk")
            .first()
        )
        verified = device is not None and device.verify_token(token)
        if verified and not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
            owner = User.objects.get(pk=user.pk)
            record_audit(
                actor=owner,
                action="account.totp_enabled",
                subject=owner,
                payload={"device": device.pk},
            )
    if not verified:
        # Raised after the block so the throttle counter that verify_token saved is committed.
        raise InvalidCode(
            _("Kode autentikator salah atau sudah dipakai. Tunggu kode berikutnya lalu coba lagi."),
            details={"reason": "wrong"},
        )
    return device


def totp_config_url(device: TOTPDevice) -> str:
    """otpauth:// URI for authenticator apps, labelled with the city so staff can tell apps apart.

    Built here rather than with `device.config_url` so the issuer is the city's name without a
    deployment setting.
    """
    from .selectors import get_city

    city = get_city()
    issuer = (city.name if city else "Terang").replace(":", "")
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode(),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"
