"""Safe handling of uploaded photos: type, bytes and pixels checked, re-encoded, metadata removed.

Memory: a small file can declare a huge image (a 466 KB PNG of 10950 x 10950 pixels decodes to
360 MB). The declared size is read from the header first, so PNG and WebP over MAX_PIXELS are
refused before any pixel is decoded; JPEGs are decoded already reduced (libjpeg's DCT scaling,
`draft`) to about the stored size, so even a 100 Mpx phone photo costs a few megabytes.
Nothing declaring more than MAX_SOURCE_PIXELS is decoded (Pillow's own bomb check included).

Privacy: the stored image is re-encoded from decoded pixels with an empty `info`, so no EXIF
(GPS, camera serial), XMP, ICC profile, JPEG comment or PNG text chunk survives, nor any payload
hidden after the image data; orientation is applied first so photos stay upright. Dropping the
ICC profile may shift colours of wide-gamut photos slightly; that is acceptable for evidence
photos and removes a block that can name the device.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ValidationFailed
from .imports import read_upload

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_DIMENSION = 2560
# Largest image decoded at full size (PNG, WebP) or after reduction (JPEG): 40 Mpx is 120 MB
# of RGB, 160 MB of RGBA, and more than any phone camera's PNG/WebP output.
MAX_PIXELS = 40_000_000
# Largest JPEG accepted at all (decoded reduced, at 1/2 to 1/8 scale). Pillow only warns
# between MAX_IMAGE_PIXELS and twice that, then raises DecompressionBombError; _decode refuses
# everything past MAX_IMAGE_PIXELS itself, so nothing in Pillow's warning band is decoded.
MAX_SOURCE_PIXELS = 128_000_000
Image.MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS
# Info keys that describe pixels rather than their origin, kept when re-encoding.
_PIXEL_INFO_KEYS = ("transparency",)


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    extension: str
    width: int
    height: int


def size_label(size: int) -> str:
    """A byte limit as people read it: whole megabytes, else kilobytes, else bytes."""
    megabyte = 1024 * 1024
    if size >= megabyte and size % megabyte == 0:
        return f"{size // megabyte} MB"
    if size >= 1024:
        return f"{round(size / 1024)} KB"
    return f"{size} B"


def _too_large(index: int, limit: int) -> ValidationFailed:
    return ValidationFailed(
        _("Foto terlalu besar (maksimal %(size)s).") % {"size": size_label(limit)},
        details={"field": "photos", "index": index, "reason": "photo_too_large"},
    )


def _too_many_pixels(index: int) -> ValidationFailed:
    return ValidationFailed(
        _("Resolusi foto terlalu besar (maksimal 40 megapiksel)."),
        details={"field": "photos", "index": index, "reason": "photo_too_many_pixels"},
    )


def _unsupported(index: int) -> ValidationFailed:
    return ValidationFailed(
        _("Berkas harus berupa foto JPEG, PNG, atau WebP."),
        details={"field": "photos", "index": index, "reason": "unsupported_photo_type"},
    )


def _pixels(size: tuple[int, int]) -> int:
    return size[0] * size[1]


def _decode(raw: bytes, index: int) -> tuple[Image.Image, str]:
    """Open, check the declared size, and decode (JPEG reduced); raise ValidationFailed."""
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            image_format = probe.format
            probe.verify()
        if image_format not in ALLOWED_FORMATS:
            raise UnidentifiedImageError(image_format)
        image = Image.open(io.BytesIO(raw))
        if _pixels(image.size) > MAX_SOURCE_PIXELS:
            image.close()
            raise _too_many_pixels(index)
        if image_format == "JPEG":
            # Reduce while decoding to at least the stored size: libjpeg scales by 1/2..1/8.
            width, height = image.size
            ratio = min(MAX_DIMENSION / width, MAX_DIMENSION / height, 1.0)
            target = (max(1, int(width * ratio)), max(1, int(height * ratio)))
            image.draft(image.mode, target)
        if _pixels(image.size) > MAX_PIXELS:
            image.close()
            raise _too_many_pixels(index)
        image.load()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(index) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _unsupported(index) from exc
    return image, image_format


def clean_image(upload: object, *, index: int = 0, max_bytes: int | None = None) -> CleanImage:
    """Validate and re-encode one upload (any object with .read() and .size) of at most
    `max_bytes` (default `settings.MAX_PHOTO_BYTES`)."""
    limit = settings.MAX_PHOTO_BYTES if max_bytes is None else max_bytes
    raw = read_upload(
        upload,  # type: ignore[arg-type]
        max_bytes=limit,
        too_large=lambda: _too_large(index, limit),
    )
    image, image_format = _decode(raw, index)
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((MAX_DIMENSION, MAX_DIMENSION))
    # Savers re-write what `info` holds (JPEG comments, PNG ICC profiles): keep pixels only.
    upright.info = {k: v for k, v in upright.info.items() if k in _PIXEL_INFO_KEYS}
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
