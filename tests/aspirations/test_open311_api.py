"""Open311 GeoReport v2 shapes, filters, visibility and errors at /open311/v2/."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own responses

import pytest
from django.test import Client
from django.utils import timezone

from terang.aspirations.choices import Privacy
from terang.aspirations.models import Aspiration, Category
from terang.aspirations.services import (
    resolve_aspiration,
    start_progress,
    submit_aspiration,
    verify_aspiration,
)
from terang.aspirations.services.open311_clients import issue_open311_key

from .conftest import GUEST_CONTACT, INSIDE_A, image_upload

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
W3C_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")
REQUEST_KEYS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
GOOD_POST = {
    "service_code": "jalan-rusak",
    "lat": "-6.2",
    "long": "106.62",
    "description": "Lubang besar di depan sekolah, sudah dua minggu.",
}


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def submit(
    category,
    *,
    text="Lubang besar di depan sekolah membahayakan pengendara.",
    privacy=Privacy.PUBLIC,
    **extra,
) -> Aspiration:
    return submit_aspiration(
        title="Jalan berlubang",
        text=text,
        category=category,
        location=INSIDE_A,
        privacy=privacy,
        **{"reporter_contact": GUEST_CONTACT, **extra},
    )


def public(category, operator, **extra) -> Aspiration:
    return verify_aspiration(actor=operator, aspiration=submit(category, **extra))


def age(aspiration: Aspiration, days: int) -> None:
    """Test setup only: pretend an item was received `days` ago."""
    Aspiration.objects.filter(pk=aspiration.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


@pytest.fixture
def api_key(db) -> str:
    return issue_open311_key(name="Aplikasi Warga")[1]


@pytest.fixture
def ready(city, kelurahan, category) -> Category:
    return category


def post(client, fmt="xml", data=None, query="", idempotency_key=None):
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return client.post(f"{BASE}/requests.{fmt}{query}", data=data or {}, headers=headers)


def ids(response) -> list[str]:
    return [item["service_request_id"] for item in json.loads(response.content)]


# Discovery and services


def test_discovery_json_lists_the_endpoint_without_trailing_slash(client, city):
    response = client.get(f"{BASE}/discovery.json")

    assert response.status_code == 200
    body = json.loads(response.content)
    assert W3C_WITH_OFFSET.match(body["changeset"])
    assert body["key_service"]
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "test"
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_xml_has_formats_as_elements(client, city):
    root = xml(client.get(f"{BASE}/discovery.xml"))

    assert root.tag == "discovery"
    formats = root.findall("./endpoints/endpoint/formats/format")
    assert [f.text for f in formats] == ["text/xml", "application/json"]


def test_services_json_is_a_top_level_array_of_active_categories(client, ready, agency):
    Category.objects.create(code="lama", name="Kategori lama", agency=agency, is_active=False)
    Category.objects.create(
        code="pju",
        name="Lampu jalan",
        agency=agency,
        group="Jalan",
        keywords="lampu,pju",
        description="Lampu penerangan jalan umum",
    )

    body = json.loads(client.get(f"{BASE}/services.json").content)

    assert body == [
        {
            "service_code": "jalan-rusak",
            "service_name": "Jalan rusak",
            "description": "",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "",
        },
        {
            "service_code": "pju",
            "service_name": "Lampu jalan",
            "description": "Lampu penerangan jalan umum",
            "metadata": False,
            "type": "realtime",
            "keywords": "lampu,pju",
            "group": "Jalan",
        },
    ]


@pytest.mark.parametrize("path", ["services", "service"])
def test_service_definition_json_on_both_paths(client, ready, path):
    response = client.get(f"{BASE}/{path}/jalan-rusak.json?jurisdiction_id=")

    assert json.loads(response.content) == {"service_code": "jalan-rusak", "attributes": []}


@pytest.mark.parametrize("path", ["services", "service"])
def test_unknown_service_definition_is_404_with_error_list(client, ready, path):
    response = client.get(f"{BASE}/{path}/tidak-ada.xml")

    assert response.status_code == 404
    root = xml(response)
    assert root.tag == "errors"
    assert root.findtext("./error/code") == "404"
    assert root.findtext("./error/description")


# Requests: shapes, dates, visibility


def test_request_json_shape_and_dates_with_time_zone(client, ready, operator):
    aspiration = public(ready, operator)

    body = json.loads(client.get(f"{BASE}/requests/{aspiration.code}.json").content)

    [record] = body
    assert list(record) == REQUEST_KEYS
    assert record["service_request_id"] == aspiration.code
    assert record["status"] == "open"
    assert record["service_code"] == "jalan-rusak"
    assert record["service_name"] == "Jalan rusak"
    assert record["agency_responsible"] == "Dinas PUPR"
    assert record["address"] == "Jl. Melati No. 1"
    assert record["lat"] == -6.2 and record["long"] == 106.62
    assert record["media_url"] == ""
    for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C_WITH_OFFSET.match(record[key]), record[key]


def test_request_xml_dates_carry_the_offset(client, ready, operator):
    aspiration = public(ready, operator)

    root = xml(client.get(f"{BASE}/requests/{aspiration.code}.xml"))

    assert root.tag == "service_requests"
    assert [child.tag for child in root.find("request")] == REQUEST_KEYS
    assert W3C_WITH_OFFSET.match(root.findtext("./request/requested_datetime"))


def test_description_is_the_masked_public_text(client, ready, operator):
    aspiration = public(
        ready,
        operator,
        reporter_name="Budi Santoso",
        text="Saya Budi Santoso, hubungi 0812-3456-7890 atau budi@contoh.id soal lubang ini.",
    )

    [record] = json.loads(client.get(f"{BASE}/requests/{aspiration.code}.json").content)

    assert "Budi" not in record["description"]
    assert "0812" not in record["description"]
    assert "budi@contoh.id" not in record["description"]
    assert "[disamarkan]" in record["description"]


def test_confidential_never_appears(client, ready, operator):
    secret = public(ready, operator, privacy=Privacy.CONFIDENTIAL)
    Aspiration.objects.filter(pk=secret.pk).update(open311_token="abc123")
    shown = public(ready, operator)

    listed = client.get(f"{BASE}/requests.json")
    by_ids = client.get(f"{BASE}/requests.json?service_request_id={secret.code},{shown.code}")
    single = client.get(f"{BASE}/requests/{secret.code}.xml")
    token = client.get(f"{BASE}/tokens/abc123.json")

    assert ids(listed) == [shown.code]
    assert ids(by_ids) == [shown.code]
    assert single.status_code == 404
    assert xml(single).findtext("./error/code") == "404"
    assert token.status_code == 404


def test_unverified_item_is_not_listed_but_its_id_shows_status_only(client, ready):
    pending = submit(ready)

    listed = client.get(f"{BASE}/requests.json")
    [record] = json.loads(client.get(f"{BASE}/requests/{pending.code}.json").content)

    assert ids(listed) == []
    assert record["status"] == "open"
    assert record["description"] == ""
    assert record["lat"] is None and record["address"] == ""


def test_resolved_is_closed_with_public_answer_as_status_notes(client, ready, operator, officer):
    aspiration = public(ready, operator)
    start_progress(actor=officer, aspiration=aspiration)
    resolve_aspiration(actor=officer, aspiration=aspiration, answer="Lubang sudah ditambal.")
    still_open = public(ready, operator)

    closed = client.get(f"{BASE}/requests.json?status=closed")
    opened = client.get(f"{BASE}/requests.json?status=open")
    both = client.get(f"{BASE}/requests.json?status=open,closed")

    assert ids(closed) == [aspiration.code]
    assert json.loads(closed.content)[0]["status"] == "closed"
    assert json.loads(closed.content)[0]["status_notes"] == "Lubang sudah ditambal."
    assert ids(opened) == [still_open.code]
    assert ids(both) == [still_open.code, aspiration.code]


def test_media_url_is_the_absolute_url_of_the_first_photo(client, ready, operator):
    aspiration = public(ready, operator, photos=[image_upload()])

    [record] = json.loads(client.get(f"{BASE}/requests/{aspiration.code}.json").content)

    assert record["media_url"].startswith(
        "http://testserver/berkas/aspirations.aspirationphoto.image/"
    )
    photo = client.get(record["media_url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_list_query_count_does_not_grow_with_items(
    client, ready, operator, django_assert_max_num_queries
):
    for _ in range(3):
        public(ready, operator, photos=[image_upload()])

    with django_assert_max_num_queries(3):
        response = client.get(f"{BASE}/requests.xml")

    assert len(xml(response).findall("request")) == 3


# Requests: date window and paging


def test_default_window_is_the_last_90_days(client, ready, operator):
    old = public(ready, operator)
    recent = public(ready, operator)
    age(old, 100)

    assert ids(client.get(f"{BASE}/requests.json")) == [recent.code]


def test_start_and_end_dates_select_a_window(client, ready, operator):
    old = public(ready, operator)
    public(ready, operator)
    age(old, 100)
    start = (timezone.localdate() - dt.timedelta(days=110)).isoformat()
    end = (timezone.localdate() - dt.timedelta(days=95)).isoformat()

    response = client.get(f"{BASE}/requests.json?start_date={start}&end_date={end}")

    assert ids(response) == [old.code]


def test_full_timestamps_and_an_unencoded_plus_are_accepted(client, ready, operator):
    aspiration = public(ready, operator)
    start = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")

    # A client that forgot to URL-encode "+07:00" sends " 07:00" after decoding.
    response = client.get(f"{BASE}/requests.json?start_date={start}+07:00")

    assert response.status_code == 200
    assert ids(response) == [aspiration.code]


def test_span_over_90_days_is_400(client, ready):
    response = client.get(f"{BASE}/requests.xml?start_date=2026-01-01&end_date=2026-04-15")

    assert response.status_code == 400
    root = xml(response)
    assert root.findtext("./error/code") == "400"
    assert "90" in root.findtext("./error/description")


def test_exactly_90_calendar_days_is_allowed(client, ready):
    response = client.get(f"{BASE}/requests.json?start_date=2026-01-01&end_date=2026-03-31")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "start_date=kemarin",
        "start_date=2026-03-01&end_date=2026-02-01",
        "status=pending",
        "page=0",
        "page_size=abc",
    ],
)
def test_bad_filters_are_400_in_json(client, ready, query):
    response = client.get(f"{BASE}/requests.json?{query}")

    assert response.status_code == 400
    [error] = json.loads(response.content)
    assert error["code"] == 400
    assert error["description"]


def test_id_list_overrides_other_filters(client, ready, operator):
    old = public(ready, operator)
    age(old, 200)

    response = client.get(
        f"{BASE}/requests.json?service_request_id={old.code.lower()}&service_code=lain"
        "&status=closed&start_date=2026-01-01&end_date=2026-01-02"
    )

    assert ids(response) == [old.code]


def test_page_and_page_size(client, ready, operator):
    items = [public(ready, operator) for _ in range(3)]
    newest_first = [item.code for item in reversed(items)]

    first = client.get(f"{BASE}/requests.json?page_size=2")
    second = client.get(f"{BASE}/requests.json?page_size=2&page=2")

    assert ids(first) == newest_first[:2]
    assert ids(second) == newest_first[2:]


# POST requests


def test_post_json_returns_id_token_and_notice(client, ready, api_key):
    response = post(client, "json", {**GOOD_POST, "api_key": api_key, "phone": "081234567890"})

    assert response.status_code == 200
    [body] = json.loads(response.content)
    assert set(body) == {"service_request_id", "token", "service_notice", "account_id"}
    aspiration = Aspiration.objects.get(code=body["service_request_id"])
    assert aspiration.open311_token == body["token"]
    assert aspiration.text == GOOD_POST["description"]
    assert aspiration.kelurahan.name == "Kelurahan Melati"
    stored = aspiration.reporter_contact_encrypted
    assert stored and "0812" not in stored


def test_post_with_key_in_query_string(client, ready, api_key):
    response = post(client, "xml", GOOD_POST, query=f"?jurisdiction_id=&api_key={api_key}")

    assert response.status_code == 200
    assert xml(response).findtext("./request/service_request_id").startswith("ASP-")


def test_post_is_csrf_exempt(ready, api_key):
    strict = Client(enforce_csrf_checks=True)

    response = post(strict, "json", {**GOOD_POST, "api_key": api_key})

    assert response.status_code == 200


@pytest.mark.parametrize("key", [None, "", "bukan-kunci"])
def test_post_without_a_valid_key_is_403_and_creates_nothing(client, ready, key):
    data = dict(GOOD_POST) if key is None else {**GOOD_POST, "api_key": key}

    response = post(client, "xml", data)

    assert response.status_code == 403
    assert xml(response).findtext("./error/code") == "403"
    assert Aspiration.objects.count() == 0


def test_revoked_client_key_is_403(client, ready):
    client_row, key = issue_open311_key(name="Lama")
    client_row.is_active = False
    client_row.save(update_fields=["is_active"])

    response = post(client, "json", {**GOOD_POST, "api_key": key})

    assert response.status_code == 403
    assert Aspiration.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"service_code": ""},
        {"service_code": "tidak-ada"},
        {"lat": "", "long": ""},
        {"long": ""},
        {"lat": "utara"},
        {"lat": "-7.5", "long": "110.0"},
        {"description": "x" * 4001},
        {"description": "pendek"},
    ],
)
def test_post_invalid_input_is_400_and_creates_nothing(client, ready, api_key, change):
    response = post(client, "json", {**GOOD_POST, "api_key": api_key, **change})

    assert response.status_code == 400
    [error] = json.loads(response.content)
    assert error["code"] == 400
    assert error["description"]
    assert Aspiration.objects.count() == 0


def test_point_outside_the_city_says_so(client, ready, api_key):
    response = post(
        client, "xml", {**GOOD_POST, "api_key": api_key, "lat": "-7.5", "long": "110.0"}
    )

    assert response.status_code == 400
    assert "luar wilayah" in xml(response).findtext("./error/description")


def test_service_validation_names_the_open311_field(client, ready, api_key):
    response = post(client, "json", {**GOOD_POST, "api_key": api_key, "description": "pendek"})

    [error] = json.loads(response.content)
    assert "description: " in error["description"]


def test_address_alone_is_a_location_and_no_description_is_allowed(client, ready, api_key):
    response = post(
        client,
        "json",
        {"service_code": "jalan-rusak", "api_key": api_key, "address_string": "Jl. Mawar 7"},
    )

    assert response.status_code == 200
    aspiration = Aspiration.objects.get()
    assert aspiration.address == "Jl. Mawar 7"
    assert aspiration.latitude is None
    assert aspiration.title == "Jalan rusak"


def test_idempotency_key_replays_the_first_result(client, ready, api_key):
    data = {**GOOD_POST, "api_key": api_key}

    first = post(client, "json", data, idempotency_key="k-1-open311-kunci")
    again = post(client, "json", data, idempotency_key="k-1-open311-kunci")
    other = post(
        client,
        "json",
        {**data, "description": "Sesuatu yang lain sama sekali."},
        idempotency_key="k-1-open311-kunci",
    )

    assert first.status_code == again.status_code == 200
    assert json.loads(first.content) == json.loads(again.content)
    assert again["Idempotent-Replayed"] == "true"
    assert other.status_code == 400
    assert Aspiration.objects.count() == 1


def test_idempotency_keys_are_scoped_per_client(client, ready, api_key):
    other_key = issue_open311_key(name="Agregator")[1]

    key = "k-open311-uji-16"
    first = post(client, "json", {**GOOD_POST, "api_key": api_key}, idempotency_key=key)
    second = post(client, "json", {**GOOD_POST, "api_key": other_key}, idempotency_key=key)

    assert ids(first) != ids(second)
    assert Aspiration.objects.count() == 2


# Routing, jurisdiction, formats


def test_jurisdiction_empty_or_city_slug_is_accepted_else_404(client, ready):
    assert client.get(f"{BASE}/services.xml?jurisdiction_id=").status_code == 200
    assert client.get(f"{BASE}/services.xml?jurisdiction_id=kota-uji").status_code == 200
    response = client.get(f"{BASE}/services.json?jurisdiction_id=kota-lain")
    assert response.status_code == 404
    assert json.loads(response.content)[0]["code"] == 404


def test_jurisdiction_in_the_post_body_is_checked(client, ready, api_key):
    response = post(
        client, "json", {**GOOD_POST, "api_key": api_key, "jurisdiction_id": "kota-lain"}
    )

    assert response.status_code == 404
    assert Aspiration.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "services.csv",
        "requests.html",
        "tokens/abc.yaml",
        "tidak-ada.xml",
        "requests/ASP-1/notes.xml",
        "",
    ],
)
def test_unknown_format_or_resource_is_404_with_error_list(client, ready, path):
    response = client.get(f"{BASE}/{path}")

    assert response.status_code == 404
    assert xml(response).findtext("./error/code") == "404"


def test_double_slash_is_tolerated_everywhere(client, ready, operator):
    aspiration = public(ready, operator)

    assert client.get(f"{BASE}//requests.json").status_code == 200
    assert client.get(f"{BASE}//requests/{aspiration.code}.json").status_code == 200
    assert client.get(f"{BASE}//services//jalan-rusak.json").status_code == 200
    assert client.get(f"{BASE}//discovery.json").status_code == 200


def test_unsupported_method_is_405_with_error_list(client, ready):
    response = client.delete(f"{BASE}/services.xml")

    assert response.status_code == 405
    assert xml(response).findtext("./error/code") == "405"


def test_every_xml_endpoint_is_well_formed(client, ready, operator, api_key):
    aspiration = public(ready, operator, text='Ada <tag> & "kutip" serta emoji 🚧 di sini.')
    created = post(client, "xml", {**GOOD_POST, "api_key": api_key})
    token = xml(created).findtext("./request/token")
    urls = [
        "discovery.xml",
        "services.xml",
        "services/jalan-rusak.xml",
        "service/jalan-rusak.xml",
        "requests.xml",
        f"requests/{aspiration.code}.xml",
        f"tokens/{token}.xml",
        "services/tidak-ada.xml",
        "requests.xml?start_date=x",
        "requests/ASP-TIDAKADA.xml",
    ]

    roots = {url: xml(client.get(f"{BASE}/{url}")).tag for url in urls}

    assert roots == {
        "discovery.xml": "discovery",
        "services.xml": "services",
        "services/jalan-rusak.xml": "service_definition",
        "service/jalan-rusak.xml": "service_definition",
        "requests.xml": "service_requests",
        f"requests/{aspiration.code}.xml": "service_requests",
        f"tokens/{token}.xml": "service_requests",
        "services/tidak-ada.xml": "errors",
        "requests.xml?start_date=x": "errors",
        "requests/ASP-TIDAKADA.xml": "errors",
    }
    description = xml(client.get(f"{BASE}/requests/{aspiration.code}.xml")).findtext(
        "./request/description"
    )
    assert description == aspiration.text
