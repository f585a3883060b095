"""A decompression-bomb photo sent with a report is refused over HTTP and nothing is kept."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from terang.aspirations.models import Aspiration, AspirationPhoto
from tests.core.test_images import png_bomb

from .api_helpers import API, body
from .test_api_public import media_files


def test_api_submission_with_a_png_bomb_gets_422_and_saves_nothing(
    client, city, kelurahan, category
):
    bomb = SimpleUploadedFile("bom.png", png_bomb(10950, 10950), content_type="image/png")

    response = client.post(f"{API}/aspirations/with-photos", {**body(), "photos": [bomb]})

    assert response.status_code == 422, response.content
    assert response.json()["error"]["details"] == {
        "field": "photos",
        "index": 0,
        "reason": "photo_too_many_pixels",
    }
    assert Aspiration.objects.count() == 0
    assert AspirationPhoto.objects.count() == 0
    assert media_files() == []
