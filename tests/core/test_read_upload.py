"""The one upload-size check (`core.imports.read_upload`): every app's limit goes through it."""

from __future__ import annotations

import io

import pytest

from terang.core.imports import read_upload


class TooLarge(Exception):
    pass


class Declared(io.BytesIO):
    """A file that declares a size, as Django's UploadedFile does, and counts what is read."""

    def __init__(self, data: bytes, size: int) -> None:
        super().__init__(data)
        self.size = size
        self.read_calls = 0

    def read(self, n: int | None = -1) -> bytes:
        self.read_calls += 1
        return super().read(n)


def test_bytes_within_the_limit_come_back_unchanged():
    assert read_upload(b"12345", max_bytes=5, too_large=TooLarge) == b"12345"


def test_bytes_over_the_limit_are_refused():
    with pytest.raises(TooLarge):
        read_upload(b"123456", max_bytes=5, too_large=TooLarge)


def test_a_declared_size_over_the_limit_is_refused_before_reading():
    upload = Declared(b"12", size=6)

    with pytest.raises(TooLarge):
        read_upload(upload, max_bytes=5, too_large=TooLarge)

    assert upload.read_calls == 0


def test_a_file_that_lies_about_its_size_is_still_refused_after_a_bounded_read():
    upload = Declared(b"x" * 1000, size=3)

    with pytest.raises(TooLarge):
        read_upload(upload, max_bytes=5, too_large=TooLarge)

    assert upload.tell() == 6  # one byte past the limit, never the whole file


def test_a_file_is_read_from_its_start():
    upload = io.BytesIO(b"abc")
    upload.read()

    assert read_upload(upload, max_bytes=5, too_large=TooLarge) == b"abc"
