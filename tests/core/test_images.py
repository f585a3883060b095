"""Uploaded photos: decompression bombs are refused before decoding, huge JPEGs are decoded
reduced, and no metadata (EXIF, GPS, XMP, ICC, comments) survives re-encoding."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from terang.core.errors import ValidationFailed
from terang.core.images import MAX_DIMENSION, clean_image

SECRET_COMMENT = b"terang-secret-comment-42"
SECRET_XMP_TEXT = b"terang-secret-xmp-creator"
CAMERA_MAKE = "KameraRahasia"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A valid all-black RGB PNG, built row by row so making it costs almost no memory."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (width * 3)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def _measure(script: str, tmp_path: Path) -> dict[str, str]:
    """Run `script` in a fresh interpreter with Django set up; it prints key=value lines."""
    prelude = textwrap.dedent(
        """
        import os, resource, sys
        import django
        django.setup()
        from terang.core.images import clean_image
        from terang.core.errors import ValidationFailed
        from django.core.files.uploadedfile import SimpleUploadedFile

        def peak_mb():
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "terang.settings"}
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", prelude + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split("=", 1) for line in done.stdout.split() if "=" in line)


def test_png_bomb_is_refused_before_decoding_and_memory_stays_small(tmp_path):
    # 10950 x 10950 RGB: 466 KB on the wire, 360 MB once decoded.
    (tmp_path / "bomb.png").write_bytes(png_bomb(10950, 10950))

    result = _measure(
        """
        data = open("bomb.png", "rb").read()
        before = peak_mb()
        try:
            clean_image(SimpleUploadedFile("bomb.png", data, content_type="image/png"))
        except ValidationFailed as exc:
            print("reason=" + exc.details["reason"])
        print("growth=%d" % (peak_mb() - before))
        """,
        tmp_path,
    )

    assert result["reason"] == "photo_too_many_pixels"
    assert int(result["growth"]) < 30


@pytest.mark.slow
def test_huge_jpeg_is_decoded_reduced_with_bounded_memory(tmp_path):
    # Made in a child process so its pixels do not count against the measuring one.
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [
            sys.executable,
            "-c",
            "from PIL import Image; "
            "Image.new('L', (12000, 9000), 128).save('big.jpg', 'JPEG', quality=50)",
        ],
        cwd=tmp_path,
        check=True,
        timeout=120,
    )

    result = _measure(
        """
        data = open("big.jpg", "rb").read()
        before = peak_mb()
        clean = clean_image(SimpleUploadedFile("big.jpg", data, content_type="image/jpeg"))
        print("size=%dx%d" % (clean.width, clean.height))
        print("growth=%d" % (peak_mb() - before))
        """,
        tmp_path,
    )

    # Full decode is 108 MB; decoded at 1/4 scale it is under 7 MB.
    assert result["size"] == f"{MAX_DIMENSION}x1920"
    assert int(result["growth"]) < 40


def test_png_over_the_pixel_limit_is_refused_without_decoding():
    bomb = png_bomb(7000, 6000)  # 42 Mpx, just over 40 Mpx

    with pytest.raises(ValidationFailed) as caught:
        clean_image(upload(bomb), index=2)

    assert caught.value.status == 422
    assert caught.value.details == {
        "field": "photos",
        "index": 2,
        "reason": "photo_too_many_pixels",
    }


def test_webp_over_the_pixel_limit_is_refused():
    buffer = io.BytesIO()
    Image.new("L", (8000, 6000)).save(buffer, "WEBP", lossless=True, method=0)

    with pytest.raises(ValidationFailed) as caught:
        clean_image(upload(buffer.getvalue(), "foto.webp"))

    assert caught.value.details["reason"] == "photo_too_many_pixels"


def test_jpeg_larger_than_the_global_bomb_limit_is_refused():
    # A JPEG header claiming 20000 x 20000 (400 Mpx): Pillow itself must raise, not warn.
    buffer = io.BytesIO()
    Image.new("L", (16, 16)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 20000, 20000)

    with pytest.raises(ValidationFailed) as caught:
        clean_image(upload(bytes(data), "foto.jpg"))

    assert caught.value.details["reason"] == "photo_too_many_pixels"


def _jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment before the image data (SOS)."""
    assert data[:2] == b"\xff\xd8"
    segments = []
    pos = 2
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        segments.append((marker, data[pos + 4 : pos + 2 + length]))
        pos += 2 + length
    return segments


def _jpeg_with_every_metadata_block() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKE
    exif[0x8825] = {1: "S", 2: (6.0, 12.0, 0.0), 3: "E", 4: (106.0, 37.0, 0.0)}
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>'
        + SECRET_XMP_TEXT
        + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(
        buffer, "JPEG", exif=exif.tobytes(), comment=SECRET_COMMENT, xmp=xmp, icc_profile=icc
    )
    return buffer.getvalue()


def test_jpeg_output_has_no_comment_exif_gps_xmp_or_icc():
    original = _jpeg_with_every_metadata_block()
    markers = {marker for marker, _payload in _jpeg_segments(original)}
    assert {0xFE, 0xE1, 0xE2} <= markers  # the input really carries COM, APP1 and APP2

    out = clean_image(upload(original, "foto.jpg")).content.read()

    segments = _jpeg_segments(out)
    kept = {marker for marker, _payload in segments}
    assert 0xFE not in kept  # COM
    assert not kept & set(range(0xE1, 0xF0))  # APP1..APP15: EXIF, XMP, ICC, vendor blocks
    for needle in (SECRET_COMMENT, SECRET_XMP_TEXT, CAMERA_MAKE.encode(), b"Exif", b"ICC_"):
        assert needle not in out


def test_png_output_has_no_text_exif_or_icc_chunks():
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKE
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", SECRET_COMMENT.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 20, 30)).save(
        buffer, "PNG", exif=exif.tobytes(), pnginfo=text, icc_profile=icc
    )
    assert b"iCCP" in buffer.getvalue() and b"tEXt" in buffer.getvalue()

    out = clean_image(upload(buffer.getvalue())).content.read()

    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP"):
        assert chunk not in out
    assert SECRET_COMMENT not in out
