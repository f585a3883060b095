"""Contract: what the PyPI `open311` 1.1 client does, replayed by a Python 3 shim, works."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from terang.aspirations.choices import Channel, Privacy, Status
from terang.aspirations.models import Aspiration
from terang.aspirations.services import submit_aspiration, verify_aspiration
from terang.aspirations.services.open311_clients import issue_open311_key

from .conftest import GUEST_CONTACT, INSIDE_A
from .open311_client_shim import Open311Error, Open311Shim, django_transport

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_key(db) -> str:
    return issue_open311_key(name="Aplikasi Warga")[1]


@pytest.fixture
def shim(client, city, kelurahan, category, api_key) -> Open311Shim:
    return Open311Shim(
        endpoint="http://testserver/open311/v2", api_key=api_key, transport=django_transport(client)
    )


def _public(category, operator, title: str = "Lubang besar di jalan") -> Aspiration:
    aspiration = submit_aspiration(
        title=title,
        text="Lubang besar di depan sekolah membahayakan pengendara motor.",
        category=category,
        location=INSIDE_A,
        reporter_contact=GUEST_CONTACT,
    )
    return verify_aspiration(actor=operator, aspiration=aspiration)


def test_service_list_uses_services_xml_with_empty_jurisdiction(shim, category):
    services = shim.service_list()

    assert shim.last_url == "http://testserver/open311/v2/services.xml?jurisdiction_id="
    assert services == {
        "service_code": "jalan-rusak",
        "service_name": "Jalan rusak",
        "description": "",
        "metadata": "false",
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def test_service_definition_on_the_singular_path(shim, category):
    document = shim.service_definition("jalan-rusak")

    assert "/open311/v2/service/jalan-rusak.xml?" in shim.last_url
    assert document == {"service_definition": {"service_code": "jalan-rusak", "attributes": ""}}


def test_post_then_read_back_by_id_and_by_token(shim, category, operator):
    created = shim.post_service_request(
        service_code="jalan-rusak",
        lat="-6.2",
        long="106.62",
        description="Lubang besar di depan SD Negeri 3, sudah dua minggu.",
        first_name="Siti",
        last_name="Aminah",
        email="siti@contoh.id",
    )

    assert "api_key=" in shim.last_url and "jurisdiction_id=" in shim.last_url
    aspiration = Aspiration.objects.get(code=created["service_request_id"])
    assert created["token"] == aspiration.open311_token
    assert created["service_notice"]
    assert aspiration.channel == Channel.OPEN311
    assert aspiration.privacy == Privacy.PUBLIC
    assert aspiration.reporter_name == "Siti Aminah"
    assert aspiration.title == "Jalan rusak: Lubang besar di depan SD Negeri 3, sudah…"

    assert shim.request_id_from_token(created["token"]) == {
        "service_request_id": aspiration.code,
        "token": created["token"],
    }
    pending = shim.get_service_request(aspiration.code)["service_requests"]["request"]
    assert pending["status"] == "open"
    assert pending["description"] == ""

    verify_aspiration(actor=operator, aspiration=aspiration)
    shown = shim.get_service_request(aspiration.code)["service_requests"]["request"]
    assert shown["service_request_id"] == aspiration.code
    assert shown["description"] == "Lubang besar di depan SD Negeri 3, sudah dua minggu."
    assert shown["agency_responsible"] == "Dinas PUPR"
    assert shown["lat"] == "-6.2" and shown["long"] == "106.62"


def test_service_requests_with_filters(shim, category, checked_category, operator):
    first = _public(category, operator)
    second = _public(checked_category, operator, title="Saluran air mampet")

    one = shim.service_requests(service_code="jalan-rusak", status="open")
    both = shim.service_requests(service_code="jalan-rusak,drainase")
    by_id = shim.service_requests(service_request_id=second.code, service_code="jalan-rusak")

    assert one["service_request_id"] == first.code
    assert [item["service_request_id"] for item in both] == [second.code, first.code]
    assert by_id["service_request_id"] == second.code


def test_endpoint_with_trailing_slash_still_works(client, city, category):
    shim = Open311Shim(endpoint="http://testserver/open311/v2/", transport=django_transport(client))

    services = shim.service_list()

    assert shim.last_url.startswith("http://testserver/open311/v2//services.xml")
    assert services["service_code"] == "jalan-rusak"


def test_api_key_in_the_body_is_accepted(client, city, kelurahan, category, api_key):
    shim = Open311Shim(
        endpoint="http://testserver/open311/v2",
        api_key=api_key,
        api_key_in="body",
        transport=django_transport(client),
    )

    created = shim.post_service_request(
        service_code="jalan-rusak",
        address_string="Jl. Melati No. 1",
        description="Lampu jalan mati sejak minggu lalu.",
    )

    assert "api_key" not in shim.last_url
    assert Aspiration.objects.get(code=created["service_request_id"]).status == Status.SUBMITTED


def test_bad_key_is_an_error_list_with_code_403(client, city, category):
    shim = Open311Shim(
        endpoint="http://testserver/open311/v2", api_key="salah", transport=django_transport(client)
    )

    with pytest.raises(Open311Error) as raised:
        shim.post_service_request(
            service_code="jalan-rusak",
            lat="-6.2",
            long="106.62",
            description="Lubang besar di depan sekolah.",
        )

    assert raised.value.status == 403
    assert raised.value.document["errors"]["error"]["code"] == "403"
    assert Aspiration.objects.count() == 0


def urllib_transport(method: str, url: str, body: bytes | None) -> tuple[int, bytes]:
    """What the real client does: urlopen(url) for GET, urlopen(url, form body) for POST."""
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - test server
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_whole_flow_over_real_http(live_server, city, kelurahan, category, operator, api_key):
    shim = Open311Shim(
        endpoint=live_server.url + "/open311/v2/",
        api_key=api_key,
        jurisdiction="kota-uji",
        transport=urllib_transport,
    )

    assert shim.service_list()["service_code"] == "jalan-rusak"
    assert shim.service_definition("jalan-rusak")["service_definition"]["service_code"] == (
        "jalan-rusak"
    )
    created = shim.post_service_request(
        service_code="jalan-rusak",
        lat="-6.2",
        long="106.62",
        description="Lubang besar di depan SD Negeri 3.",
    )
    code = shim.request_id_from_token(created["token"])["service_request_id"]
    verify_aspiration(actor=operator, aspiration=Aspiration.objects.get(code=code))

    assert shim.service_requests(status="open")["service_request_id"] == code
    assert shim.get_service_request(code)["service_requests"]["request"]["status"] == "open"
    with pytest.raises(Open311Error) as raised:
        shim.service_definition("tidak-ada")
    assert raised.value.status == 404
    assert raised.value.document["errors"]["error"]["code"] == "404"
