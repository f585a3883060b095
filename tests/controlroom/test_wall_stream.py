# ruff: noqa: F811 - fixtures imported from the aspirations conftest are used by name
"""The wall's Server-Sent Events stream (controlroom.streams), driven as an ASGI request."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient, Client

from terang.aspirations.services import submit_aspiration
from terang.controlroom.wall import streams
from tests.aspirations.conftest import INSIDE_A, login_staff

pytestmark = pytest.mark.django_db(transaction=True)


def _async_client_of(user) -> AsyncClient:  # type: ignore[no-untyped-def]
    client = Client()
    login_staff(client, user)
    async_client = AsyncClient()
    async_client.cookies = client.cookies
    return async_client


def test_the_wsgi_site_refuses_streams_at_once(client, operator):
    login_staff(client, operator)
    response = client.get("/ruang-kendali/stream")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "stream_unavailable"


def test_stream_refuses_strangers_and_officers(officer):
    officer_client = _async_client_of(officer)

    async def scenario() -> tuple[int, int]:
        anonymous = await AsyncClient().get("/ruang-kendali/stream")
        officer_response = await officer_client.get("/ruang-kendali/stream")
        return anonymous.status_code, officer_response.status_code

    assert asyncio.run(scenario()) == (401, 403)


def test_a_new_report_is_pushed_within_two_seconds(monkeypatch, kelurahan, category, operator):
    hub = streams.Hub(tick=0.2, language="id")
    monkeypatch.setattr(streams, "HUB", hub)
    async_client = _async_client_of(operator)

    async def scenario() -> tuple[bytes, float, bytes]:
        hub.start()
        try:
            response = await async_client.get("/ruang-kendali/stream")
            assert response.status_code == 200
            assert response["Content-Type"] == "text/event-stream"
            chunks = aiter(response.streaming_content)
            first = await anext(chunks)
            item = await sync_to_async(submit_aspiration)(
                title="Banjir di Jl. Melati",
                text="Air setinggi lutut.",
                category=category,
                location=INSIDE_A,
                reporter_contact="warga@contoh.id",
            )
            committed = time.monotonic()
            key = f"aspiration:{item.code}:new".encode()

            async def until_key() -> bytes:
                async for chunk in chunks:
                    if key in chunk:
                        return chunk
                return b""

            pushed = await asyncio.wait_for(until_key(), timeout=2.0)
            elapsed = time.monotonic() - committed
            await sync_to_async(response.close)()  # request_finished: its connections close
            return first, elapsed, pushed
        finally:
            await hub.stop()

    first, elapsed, pushed = asyncio.run(scenario())
    assert first.startswith(b"retry: 2000\n\n")
    assert b"event: state\n" in first and b'"counters":' in first
    assert elapsed < 2.0
    assert pushed.startswith(b"id: ") and b"event: events\n" in pushed
    assert b"Aspirasi" in pushed  # the source label, in the hub's language


def test_a_reconnecting_screen_gets_what_it_missed(monkeypatch, kelurahan, category, operator):
    hub = streams.Hub(tick=10.0, language="id")  # never ticks during the test
    monkeypatch.setattr(streams, "HUB", hub)
    item = submit_aspiration(
        title="Lampu jalan mati",
        text="Gelap sejak kemarin malam.",
        category=category,
        reporter_contact="warga@contoh.id",
        location=INSIDE_A,
    )
    since = (item.created_at.replace(microsecond=0)).isoformat()
    async_client = _async_client_of(operator)

    async def scenario() -> bytes:
        response = await async_client.get("/ruang-kendali/stream", headers={"Last-Event-ID": since})
        first = await anext(aiter(response.streaming_content))
        await sync_to_async(response.close)()
        return first

    first = asyncio.run(scenario())
    assert f"aspiration:{item.code}:new".encode() in first
    assert first.index(b"event: events") < first.index(b"event: state")
