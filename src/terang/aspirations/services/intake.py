"""Taking in an aspiration from any channel: web, API, Open311, messaging, assisted intake.

Every intake rule lives here, whatever the channel: the text fields, the category, who the
reporter is and how to reach them (`normalise_contact`), the location, the photo limits
(`MAX_PHOTOS_PER_REPORT` and `MAX_PHOTO_BYTES`, declared in settings) and what makes two
submissions the same request under an `Idempotency-Key`. Entry points only parse their own
format into a `Submission`, call `submit_aspiration_once` and render its answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.core import geo
from terang.core.calendar import working_days_deadline
from terang.core.crypto import encrypt
from terang.core.errors import ValidationFailed
from terang.core.geo import Location
from terang.core.idempotency import Outcome, caller_scope, create_once, validate_key
from terang.core.images import CleanImage, clean_image
from terang.core.models import AdministrativeArea, User
from terang.core.privacy import normalize_phone

from .. import reasons
from ..choices import Channel, EventKind, Kind, PhotoKind, Privacy, Status
from ..models import Aspiration, AspirationEvent, AspirationPhoto, Category
from ..permissions import require_intake_staff
from ._common import add_event, refresh_public_copies

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# Channels where Terang is the only way back to a reporter without an account, so an identified
# report must leave a contact. Open311 clients answer their own users, a message carries its
# sender, and staff vouch for the walk-ins they enter.
SELF_SERVICE_CHANNELS = frozenset({Channel.WEB, Channel.APP})
# Channels whose contact is the sender's account on that platform, not an e-mail or phone.
ACCOUNT_CHANNELS = frozenset({Channel.INSTAGRAM, Channel.FACEBOOK, Channel.X})


@dataclass(frozen=True)
class Submission:
    """A report as an entry point parsed it from its own format, before any intake rule.

    Messaging channels (WhatsApp, SMS, ...) may arrive without a location
    (`location_required=False`); the verifier adds it. A point given is always checked.
    `entered_by` is the staff member who records a report on a citizen's behalf.
    """

    title: str
    text: str
    category: Category | str
    location: Location
    kind: str = Kind.COMPLAINT
    channel: str = Channel.WEB
    privacy: str = Privacy.PUBLIC
    reporter: User | None = None
    reporter_name: str = ""
    reporter_contact: str = ""
    share_contact_with_agency: bool = False
    photos: Sequence[object] = ()
    entered_by: User | None = None
    location_required: bool = True


@dataclass(frozen=True)
class NewAspiration:
    """A submission that passed every intake rule, in its stored (normalised) form."""

    title: str
    text: str
    kind: str
    channel: str
    privacy: str
    category: Category
    location: Location
    kelurahan: AdministrativeArea | None
    reporter: User | None
    reporter_name: str
    reporter_contact: str
    share_contact_with_agency: bool
    entered_by: User | None
    images: tuple[CleanImage, ...]
    photo_digests: tuple[str, ...]

    def digest_input(self) -> dict[str, Any]:
        """What makes two submissions one request: the normalised fields and the photos'
        content, never how a channel spelled them. Anonymous reports hold no identity here
        either (it was dropped before)."""
        return {
            "title": self.title,
            "text": self.text,
            "kind": self.kind,
            "channel": self.channel,
            "privacy": self.privacy,
            "category": self.category.code,
            "location": [self.location.latitude, self.location.longitude, self.location.address],
            "reporter": self.reporter.pk if self.reporter else None,
            "reporter_name": self.reporter_name,
            "reporter_contact": self.reporter_contact,
            "share_contact_with_agency": self.share_contact_with_agency,
            "entered_by": self.entered_by.pk if self.entered_by else None,
            "photos": list(self.photo_digests),
        }


@dataclass(frozen=True)
class Once:
    """Where a create came in, for `Idempotency-Key`: the endpoint, the client's key (None: no
    replay) and the caller the scope names (an account, an Open311 client, a gateway; None for
    a guest). An anonymous report's scope names nobody, whoever calls."""

    endpoint: str
    key: str | None
    caller: object | None = None


def new_tracking_code() -> str:
    return "ASP-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


# --- Rules, one concept each ------------------------------------------------------------------


def _check_text_fields(submission: Submission) -> tuple[str, str]:
    """Title, text and the coded fields; every error at once, keyed by field."""
    title, text = (submission.title or "").strip(), (submission.text or "").strip()
    errors: dict[str, str] = {}
    if not 5 <= len(title) <= 200:
        errors["title"] = str(_("Judul 5-200 karakter."))
    if not 10 <= len(text) <= 4000:
        errors["text"] = str(_("Isi laporan 10-4000 karakter."))
    if submission.kind not in Kind.values:
        errors["kind"] = str(_("Jenis aspirasi tidak dikenal."))
    if submission.channel not in Channel.values:
        errors["channel"] = str(_("Kanal tidak dikenal."))
    if submission.privacy not in Privacy.values:
        errors["privacy"] = str(_("Mode privasi tidak dikenal."))
    if errors:
        raise ValidationFailed(details={"fields": errors})
    return title, text


def _resolve_category(category: Category | str) -> Category:
    if isinstance(category, Category):
        return category
    found = Category.objects.select_related("agency").filter(code=category, is_active=True).first()
    if found is None:
        raise ValidationFailed(
            _("Kategori tidak dikenal."),
            details={"field": "category", "reason": "unknown_category"},
        )
    return found


def _invalid_contact(message: Any) -> ValidationFailed:
    return ValidationFailed(
        message, details={"field": "reporter_contact", "reason": "invalid_contact"}
    )


def normalise_contact(value: str, *, channel: str = Channel.WEB) -> str:
    """A reporter's contact in its one stored form: an e-mail address lower-cased, an
    Indonesian mobile number as +62...; on Instagram, Facebook and X the sender's account as
    given. Anything else is refused: status updates go to this address by e-mail or SMS."""
    value = (value or "").strip()
    if not value or channel in ACCOUNT_CHANNELS:
        return value
    if "@" in value:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise _invalid_contact(_("Alamat email tidak valid.")) from exc
        return value.lower()
    try:
        return normalize_phone(value)
    except ValueError as exc:
        raise _invalid_contact(
            _("Isi alamat email atau nomor ponsel Indonesia (+62 atau 08...).")
        ) from exc


@dataclass(frozen=True)
class _Reporter:
    user: User | None
    name: str
    contact: str
    share_contact_with_agency: bool


def _reporter_identity(submission: Submission) -> _Reporter:
    """Who filed the report and how to reach them. Anonymous (anonim) reports store no
    identity at all, whoever submits them; a guest's identified report on the site or the app
    must leave a contact."""
    if submission.privacy == Privacy.ANONYMOUS:
        return _Reporter(user=None, name="", contact="", share_contact_with_agency=False)
    reporter = submission.reporter
    contact = normalise_contact(submission.reporter_contact, channel=submission.channel)
    if (
        not contact
        and reporter is None
        and submission.entered_by is None
        and submission.channel in SELF_SERVICE_CHANNELS
    ):
        raise ValidationFailed(
            _("Tanpa akun, sertakan kontak (email/HP) atau pilih mode anonim."),
            details={"field": "reporter_contact", "reason": "contact_required"},
        )
    name = submission.reporter_name
    if reporter is not None and not name:
        name = reporter.display_name
    return _Reporter(
        user=reporter,
        name=name.strip()[:150],
        contact=contact,
        share_contact_with_agency=submission.share_contact_with_agency,
    )


def validate_location(location: Location, *, required: bool) -> AdministrativeArea | None:
    """The point or address of a report, placed in its kelurahan (see `core.geo`)."""
    return geo.validate_location(
        location,
        required=required,
        missing_message=_("Lokasi wajib diisi: titik peta atau alamat."),
        outside_message=_("Lokasi berada di luar wilayah kota."),
    )


def validate_photos(photos: Sequence[object]) -> list[CleanImage]:
    """The photo rules of every upload (reports and resolution evidence): at most
    `settings.MAX_PHOTOS_PER_REPORT` files of at most `settings.MAX_PHOTO_BYTES` each, then
    re-encoded without metadata (`core.images`)."""
    limit = settings.MAX_PHOTOS_PER_REPORT
    if len(photos) > limit:
        raise ValidationFailed(
            _("Maksimal %(count)d foto per laporan.") % {"count": limit},
            details={"field": "photos", "reason": "too_many"},
        )
    return [
        clean_image(photo, index=i, max_bytes=settings.MAX_PHOTO_BYTES)
        for i, photo in enumerate(photos)
    ]


def _content_digest(image: CleanImage) -> str:
    digest = hashlib.sha256(image.content.read()).hexdigest()
    image.content.seek(0)
    return digest


def accept_submission(submission: Submission) -> NewAspiration:
    """Apply every intake rule, in the order errors are reported; nothing is written."""
    title, text = _check_text_fields(submission)
    category = _resolve_category(submission.category)
    if submission.entered_by is not None:
        require_intake_staff(submission.entered_by)
    reporter = _reporter_identity(submission)
    kelurahan = validate_location(submission.location, required=submission.location_required)
    images = tuple(validate_photos(submission.photos))
    location = submission.location
    return NewAspiration(
        title=title,
        text=text,
        kind=submission.kind,
        channel=submission.channel,
        privacy=submission.privacy,
        category=category,
        location=Location(
            latitude=location.latitude,
            longitude=location.longitude,
            address=location.address.strip()[:300],
        ),
        kelurahan=kelurahan,
        reporter=reporter.user,
        reporter_name=reporter.name,
        reporter_contact=reporter.contact,
        share_contact_with_agency=reporter.share_contact_with_agency,
        entered_by=submission.entered_by,
        images=images,
        photo_digests=tuple(_content_digest(image) for image in images),
    )


# --- Persistence ------------------------------------------------------------------------------


def _deadlines(aspiration: Aspiration, category: Category, start: dt.datetime) -> None:
    if category.is_emergency:
        aspiration.verify_due_at = start + dt.timedelta(minutes=category.emergency_response_minutes)
    else:
        aspiration.verify_due_at = working_days_deadline(start, category.verify_working_days)


def save_photos(
    aspiration: Aspiration,
    images: Sequence[CleanImage],
    *,
    kind: str = PhotoKind.REPORT,
    event: AspirationEvent | None = None,
) -> list[AspirationPhoto]:
    saved = []
    for image in images:
        photo = AspirationPhoto(
            aspiration=aspiration, kind=kind, event=event, width=image.width, height=image.height
        )
        photo.image.save(
            f"{kind}-{secrets.token_hex(8)}.{image.extension}", image.content, save=False
        )
        photo.save()
        saved.append(photo)
    return saved


def _save(new: NewAspiration) -> Aspiration:
    """Write the aspiration, its first event and its photos in one transaction; files of a
    failed write are removed. Open311 reports get the token their client may look them up by."""
    now = timezone.now()
    aspiration = Aspiration(
        code=new_tracking_code(),
        kind=new.kind,
        channel=new.channel,
        title=new.title,
        text=new.text,
        category=new.category,
        agency=new.category.agency,
        status=Status.SUBMITTED,
        privacy=new.privacy,
        reporter=new.reporter,
        reporter_name=new.reporter_name,
        reporter_contact_encrypted=encrypt(new.reporter_contact),
        share_contact_with_agency=new.share_contact_with_agency,
        entered_by=new.entered_by,
        latitude=new.location.latitude,
        longitude=new.location.longitude,
        address=new.location.address,
        kelurahan=new.kelurahan,
        created_at=now,
        updated_at=now,
        open311_token=secrets.token_hex(8) if new.channel == Channel.OPEN311 else None,
    )
    _deadlines(aspiration, new.category, now)
    refresh_public_copies(aspiration)
    saved_files: list[AspirationPhoto] = []
    try:
        with transaction.atomic():
            aspiration.save()
            add_event(
                aspiration,
                kind=EventKind.TRANSITION,
                actor=new.entered_by or new.reporter,
                to_status=Status.SUBMITTED,
                reason_code=reasons.RECEIVED,
                reason_params={"channel": aspiration.channel},
            )
            saved_files = save_photos(aspiration, new.images)
    except Exception:
        for photo in saved_files:
            photo.image.delete(save=False)
        raise
    return aspiration


# --- Services ---------------------------------------------------------------------------------


def submit_aspiration(
    *,
    title: str,
    text: str,
    category: Category | str,
    kind: str = Kind.COMPLAINT,
    channel: str = Channel.WEB,
    privacy: str = Privacy.PUBLIC,
    location: Location,
    reporter: User | None = None,
    reporter_name: str = "",
    reporter_contact: str = "",
    share_contact_with_agency: bool = False,
    photos: Sequence[object] = (),
    entered_by: User | None = None,
    location_required: bool = True,
) -> Aspiration:
    """Record a new aspiration and give it a tracking code at once (see `Submission`).

    Everything is validated before the first write, so bad input leaves nothing behind.
    """
    submission = Submission(
        title=title,
        text=text,
        category=category,
        kind=kind,
        channel=channel,
        privacy=privacy,
        location=location,
        reporter=reporter,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        share_contact_with_agency=share_contact_with_agency,
        photos=photos,
        entered_by=entered_by,
        location_required=location_required,
    )
    return _save(accept_submission(submission))


def submit_aspiration_once(
    submission: Submission, *, once: Once, respond: Callable[[Aspiration], tuple[int, Any]]
) -> Outcome:
    """`submit_aspiration` behind an `Idempotency-Key`, the same for every entry point.

    `respond` renders the new aspiration as the endpoint answers it; that answer is stored, and
    a retry with the same key and the same submission (same normalised fields, same photo
    contents) gets it back unchanged. The same key with another submission is a Conflict. The
    submission is checked before the key is looked up, so a retry of a refused request is
    refused again for the same reason.
    """
    key = validate_key(once.key)
    new = accept_submission(submission)
    scope = caller_scope(once.endpoint, once.caller, anonymous=new.privacy == Privacy.ANONYMOUS)
    return create_once(
        scope=scope, key=key, request=new.digest_input(), create=lambda: respond(_save(new))
    )
