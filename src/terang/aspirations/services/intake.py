"""Taking in an aspiration from any channel: web, API, Open311, messaging, assisted intake."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.core import geo
from terang.core.calendar import working_days_deadline
from terang.core.choices import Role
from terang.core.crypto import encrypt
from terang.core.errors import PermissionDenied, ValidationFailed
from terang.core.geo import Location
from terang.core.images import CleanImage, clean_image
from terang.core.models import AdministrativeArea, User

from .. import reasons
from ..choices import Channel, EventKind, Kind, PhotoKind, Privacy, Status
from ..models import Aspiration, AspirationEvent, AspirationPhoto, Category
from ._common import add_event, refresh_public_copies

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
STAFF_INTAKE_ROLES = frozenset({Role.OPERATOR, Role.ADMIN, Role.OFFICER, Role.AGENCY_HEAD})


def new_tracking_code() -> str:
    return "ASP-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def validate_location(location: Location, *, required: bool) -> AdministrativeArea | None:
    """The point or address of a report, placed in its kelurahan (see `core.geo`)."""
    return geo.validate_location(
        location,
        required=required,
        missing_message=_("Lokasi wajib diisi: titik peta atau alamat."),
        outside_message=_("Lokasi berada di luar wilayah kota."),
    )


def _deadlines(aspiration: Aspiration, category: Category, start: dt.datetime) -> None:
    if category.is_emergency:
        aspiration.verify_due_at = start + dt.timedelta(minutes=category.emergency_response_minutes)
    else:
        aspiration.verify_due_at = working_days_deadline(start, category.verify_working_days)


def validate_photos(photos: Sequence[object]) -> list[CleanImage]:
    if len(photos) > settings.MAX_PHOTOS_PER_REPORT:
        raise ValidationFailed(
            _("Maksimal 5 foto per laporan."), details={"field": "photos", "reason": "too_many"}
        )
    return [clean_image(photo, index=i) for i, photo in enumerate(photos)]


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
    open311_token: str | None = None,
    location_required: bool = True,
) -> Aspiration:
    """Record a new aspiration and give it a tracking code at once.

    Messaging channels (WhatsApp, SMS, ...) may arrive without a location
    (`location_required=False`); the verifier adds it. A point given is always checked.

    Anonymous (anonim) reports store no identity at all, whoever submits them. Everything is
    validated before the first write, so bad input leaves nothing behind.
    """
    title, text = (title or "").strip(), (text or "").strip()
    errors: dict[str, str] = {}
    if not 5 <= len(title) <= 200:
        errors["title"] = str(_("Judul 5-200 karakter."))
    if not 10 <= len(text) <= 4000:
        errors["text"] = str(_("Isi laporan 10-4000 karakter."))
    if kind not in Kind.values:
        errors["kind"] = str(_("Jenis aspirasi tidak dikenal."))
    if channel not in Channel.values:
        errors["channel"] = str(_("Kanal tidak dikenal."))
    if privacy not in Privacy.values:
        errors["privacy"] = str(_("Mode privasi tidak dikenal."))
    if errors:
        raise ValidationFailed(details={"fields": errors})
    if isinstance(category, str):
        found = Category.objects.select_related("agency").filter(code=category, is_active=True)
        category_obj = found.first()
        if category_obj is None:
            raise ValidationFailed(
                _("Kategori tidak dikenal."),
                details={"field": "category", "reason": "unknown_category"},
            )
        category = category_obj
    if entered_by is not None and entered_by.role not in STAFF_INTAKE_ROLES:
        raise PermissionDenied()
    kelurahan = validate_location(location, required=location_required)
    images = validate_photos(photos)

    if privacy == Privacy.ANONYMOUS:
        reporter, reporter_name, reporter_contact = None, "", ""
        share_contact_with_agency = False
    elif reporter is not None and not reporter_name:
        reporter_name = reporter.display_name

    now = timezone.now()
    aspiration = Aspiration(
        code=new_tracking_code(),
        kind=kind,
        channel=channel,
        title=title,
        text=text,
        category=category,
        agency=category.agency,
        status=Status.SUBMITTED,
        privacy=privacy,
        reporter=reporter,
        reporter_name=reporter_name.strip()[:150],
        reporter_contact_encrypted=encrypt(reporter_contact.strip()),
        share_contact_with_agency=share_contact_with_agency,
        entered_by=entered_by,
        latitude=location.latitude,
        longitude=location.longitude,
        address=location.address.strip()[:300],
        kelurahan=kelurahan,
        created_at=now,
        updated_at=now,
        open311_token=open311_token,
    )
    _deadlines(aspiration, category, now)
    refresh_public_copies(aspiration)
    saved_files: list[AspirationPhoto] = []
    try:
        with transaction.atomic():
            aspiration.save()
            add_event(
                aspiration,
                kind=EventKind.TRANSITION,
                actor=entered_by or reporter,
                to_status=Status.SUBMITTED,
                reason_code=reasons.RECEIVED,
                reason_params={"channel": aspiration.channel},
            )
            saved_files = save_photos(aspiration, images)
    except Exception:
        for photo in saved_files:
            photo.image.delete(save=False)
        raise
    return aspiration
