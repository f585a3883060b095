"""Safe handling of uploaded photos: type and size checked, re-encoded, EXIF and GPS removed.

Re-encoding from decoded pixels drops every metadata block (EXIF, GPS, XMP, comments) and any
payload hidden after the image data; orientation is applied first so photos stay upright.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ValidationFailed

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_DIMENSION = 2560
Image.MAX_IMAGE_PIXELS = 60_000_000


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    extension: str
    width: int
    height: int


def clean_image(upload: object, *, index: int = 0) -> CleanImage:
    """Validate and re-encode one upload (any object with .read() and .size)."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.MAX_PHOTO_BYTES:
        raise ValidationFailed(
            _("Foto terlalu besar (maksimal 10 MB)."),
            details={"field": "photos", "index": index, "reason": "photo_too_large"},
        )
    raw = upload.read()  # type: ignore[attr-defined]
    if len(raw) > settings.MAX_PHOTO_BYTES:
        raise ValidationFailed(
            _("Foto terlalu besar (maksimal 10 MB)."),
            details={"field": "photos", "index": index, "reason": "photo_too_large"},
        )
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            image_format = probe.format
            probe.verify()
        if image_format not in ALLOWED_FORMATS:
            raise UnidentifiedImageError(image_format)
        image = Image.open(io.BytesIO(raw))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(
            _("Berkas harus berupa foto JPEG, PNG, atau WebP."),
            details={"field": "photos", "index": index, "reason": "unsupported_photo_type"},
        ) from exc
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((MAX_DIMENSION, MAX_DIMENSION))
    out = io.BytesIO()
    if image_format == "JPEG":
        upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        upright.save(out, "PNG", optimize=True)
    else:
        upright.save(out, "WEBP", quality=85)
    return CleanImage(
        content=ContentFile(out.getvalue()),
        extension=ALLOWED_FORMATS[image_format],
        width=upright.width,
        height=upright.height,
    )
