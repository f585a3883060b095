"""Contract tests of the CKAN Action API: envelope, errors, each action's shape, search
parameters (q, fq, sort, rows, start, facets), datastore_search, tokens and writes."""

from __future__ import annotations

import json

import pytest

from terang.opendata import services
from terang.opendata.models import ApiToken, Dataset, Resource

from .conftest import csv_upload

pytestmark = pytest.mark.django_db

API = "/api/3/action/"


def call(client, action, /, method="get", token=None, **data):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    if method == "get":
        response = client.get(API + action, data, **headers)
    else:
        response = client.post(
            API + action, json.dumps(data), content_type="application/json", **headers
        )
    return response, response.json()


@pytest.fixture
def published(catalog, producer, walidata, groups, other_producer):
    """Three published datasets over two agencies, and one draft."""
    first, first_resource = catalog.published(
        "Jumlah Penduduk per Kelurahan", tags=["penduduk", "kelurahan"]
    )
    second, _ = catalog.published(
        "Data Puskesmas",
        groups=["kesehatan"],
        tags=["kesehatan"],
        notes="Daftar puskesmas dan jumlah kunjungan.",
    )
    third = services.create_dataset(
        actor=other_producer,
        title="Volume Lalu Lintas",
        licence="odbl-1.0",
        groups=["transportasi"],
        tags=["jalan"],
    )
    services.add_resource(
        actor=other_producer,
        dataset=third,
        name="Portal lalu lintas",
        url="https://lalulintas.contoh.go.id/data.json",
        file_format="JSON",
    )
    services.submit_dataset(actor=other_producer, dataset=third)
    services.verify_dataset(actor=walidata, dataset=third)
    draft = catalog.draft("Draf Rahasia")
    return {
        "first": first,
        "resource": first_resource,
        "second": second,
        "third": third,
        "draft": draft,
    }


def test_envelope_and_help_url(client, published):
    response, body = call(client, "package_list")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert set(body) == {"help", "success", "result"}
    assert body["success"] is True
    assert body["help"] == "http://testserver/api/3/action/help_show?name=package_list"
    assert body["result"] == [
        "data-puskesmas",
        "jumlah-penduduk-per-kelurahan",
        "volume-lalu-lintas",
    ]


def test_unversioned_path_and_post_json_work(client, published):
    response = client.post("/api/action/package_list", "{}", content_type="application/json")
    assert response.status_code == 200
    assert len(response.json()["result"]) == 3


def test_unknown_action_is_a_400_bad_request(client):
    response, body = call(client, "package_explode")
    assert response.status_code == 400
    assert body["success"] is False
    assert body["error"]["message"] == "Bad request - Action name not known: package_explode"


def test_not_found_error_shape(client, published):
    response, body = call(client, "package_show", id="tidak-ada")
    assert response.status_code == 404
    assert body["error"]["__type"] == "Not Found Error"
    assert body["error"]["message"].startswith("Not found: ")


def test_drafts_are_invisible_to_anonymous_callers(client, published):
    response, _body = call(client, "package_show", id="draf-rahasia")
    assert response.status_code == 404
    _r, search = call(client, "package_search", q="Rahasia")
    assert search["result"]["count"] == 0


def test_missing_id_is_a_validation_error(client):
    response, body = call(client, "package_show")
    assert response.status_code == 409
    assert body["error"]["__type"] == "Validation Error"
    assert body["error"]["id"] == ["Missing value"]


def test_writes_refuse_get(client):
    response, body = call(client, "package_create", name="x")
    assert response.status_code == 400
    assert "POST" in body["error"]["message"]


def test_site_read_and_status_show(client, published):
    assert call(client, "site_read")[1]["result"] is True
    status = call(client, "status_show")[1]["result"]
    assert status["ckan_version"] == "2.10.4"
    assert status["site_url"] == "http://testserver"
    assert status["locale_default"] == "id"
    assert "datastore" in status["extensions"]


def test_package_show_shape(client, published):
    dataset = published["first"]
    _r, body = call(client, "package_show", id=dataset.name)
    package = body["result"]
    assert package["id"] == str(dataset.pk)
    assert package["name"] == "jumlah-penduduk-per-kelurahan"
    assert package["title"] == "Jumlah Penduduk per Kelurahan"
    assert package["state"] == "active"
    assert package["private"] is False
    assert package["type"] == "dataset"
    assert package["license_id"] == "cc-by-4.0"
    assert package["license_title"] == "Creative Commons Attribution 4.0"
    assert package["organization"]["name"] == "dinkes"
    assert package["organization"]["title"] == "Dinas Kesehatan"
    assert package["organization"]["is_organization"] is True
    assert package["owner_org"] == package["organization"]["id"]
    assert [g["name"] for g in package["groups"]] == ["kependudukan"]
    assert sorted(t["name"] for t in package["tags"]) == ["kelurahan", "penduduk"]
    assert (package["num_resources"], package["num_tags"]) == (1, 2)
    assert package["metadata_modified"].count("T") == 1 and "+" not in package["metadata_modified"]
    resource = package["resources"][0]
    assert resource["id"] == str(published["resource"].pk)
    assert resource["package_id"] == package["id"]
    assert resource["format"] == "CSV"
    assert resource["datastore_active"] is True
    assert resource["url_type"] == "upload"
    assert resource["url"].startswith(
        "http://testserver/data/dataset/jumlah-penduduk-per-kelurahan/sumber/"
    )
    assert resource["url"].endswith("/versi/1/penduduk.csv")
    assert {"key": "frequency", "value": "annual"} in package["extras"]


def test_package_show_counts_an_api_call(client, published):
    call(client, "package_show", id=published["first"].name)
    call(client, "package_show", id=str(published["first"].pk))
    published["first"].refresh_from_db()
    assert published["first"].api_count == 2


def test_resource_download_url_serves_the_file(client, published):
    _r, body = call(client, "package_show", id=published["first"].name)
    url = body["result"]["resources"][0]["url"].replace("http://testserver", "")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"kelurahan,kecamatan")


def test_package_search_text_rows_start_and_count(client, published):
    _r, body = call(client, "package_search", q="puskesmas")
    assert body["result"]["count"] == 1
    assert body["result"]["results"][0]["name"] == "data-puskesmas"
    _r, body = call(client, "package_search", rows=2, start=0, sort="title_string asc")
    assert body["result"]["count"] == 3
    assert [p["name"] for p in body["result"]["results"]] == [
        "data-puskesmas",
        "jumlah-penduduk-per-kelurahan",
    ]
    _r, body = call(client, "package_search", rows=2, start=2, sort="title_string asc")
    assert [p["name"] for p in body["result"]["results"]] == ["volume-lalu-lintas"]


def test_package_search_rows_are_capped_at_1000(client, published):
    _r, body = call(client, "package_search", rows=5000)
    assert body["success"] is True
    assert body["result"]["count"] == 3


@pytest.mark.parametrize(
    ("fq", "names"),
    [
        ("organization:dinkes", ["data-puskesmas", "jumlah-penduduk-per-kelurahan"]),
        ("organization:dishub", ["volume-lalu-lintas"]),
        ("groups:kesehatan", ["data-puskesmas"]),
        ("tags:penduduk", ["jumlah-penduduk-per-kelurahan"]),
        ("res_format:CSV", ["data-puskesmas", "jumlah-penduduk-per-kelurahan"]),
        ("res_format:json", ["volume-lalu-lintas"]),
        ("license_id:odbl-1.0", ["volume-lalu-lintas"]),
        ("organization:dinkes AND tags:kesehatan", ["data-puskesmas"]),
        ('+organization:dinkes tags:"kelurahan"', ["jumlah-penduduk-per-kelurahan"]),
        (
            "organization:dinkes +dataset_type:dataset",
            ["data-puskesmas", "jumlah-penduduk-per-kelurahan"],
        ),
    ],
)
def test_package_search_fq(client, published, fq, names):
    _r, body = call(client, "package_search", fq=fq, sort="name asc")
    assert [p["name"] for p in body["result"]["results"]] == names


def test_field_terms_in_q_filter_like_fq(client, published):
    _r, body = call(client, "package_search", q="organization:dishub")
    assert [p["name"] for p in body["result"]["results"]] == ["volume-lalu-lintas"]


def test_bad_fq_is_a_search_query_error(client, published):
    response, body = call(client, "package_search", fq="frobnicate:yes")
    assert response.status_code == 400
    assert body["error"]["__type"] == "Search Query Error"


def test_bad_sort_is_a_search_query_error(client, published):
    response, body = call(client, "package_search", sort="colour desc")
    assert response.status_code == 400
    assert body["error"]["__type"] == "Search Query Error"


def test_sort_by_metadata_modified(client, published):
    _r, body = call(client, "package_search", sort="metadata_modified desc")
    assert [p["name"] for p in body["result"]["results"]] == [
        "volume-lalu-lintas",
        "data-puskesmas",
        "jumlah-penduduk-per-kelurahan",
    ]


def test_facets(client, published):
    _r, body = call(
        client,
        "package_search",
        **{
            "facet.field": json.dumps(
                ["organization", "res_format", "tags", "groups", "license_id"]
            )
        },
    )
    result = body["result"]
    assert result["facets"]["organization"] == {"dinkes": 2, "dishub": 1}
    assert result["facets"]["res_format"] == {"CSV": 2, "JSON": 1}
    assert result["facets"]["license_id"] == {"cc-by-4.0": 2, "odbl-1.0": 1}
    assert result["search_facets"]["organization"] == {
        "title": "organization",
        "items": [
            {"name": "dinkes", "display_name": "Dinkes", "count": 2},
            {"name": "dishub", "display_name": "Dishub", "count": 1},
        ],
    }
    assert result["facets"]["groups"] == {"kependudukan": 1, "kesehatan": 1, "transportasi": 1}


def test_facets_follow_the_filter(client, published):
    _r, body = call(
        client, "package_search", fq="organization:dinkes", **{"facet.field": '["organization"]'}
    )
    assert body["result"]["facets"] == {"organization": {"dinkes": 2}}


def test_no_facet_field_means_no_facets(client, published):
    _r, body = call(client, "package_search")
    assert body["result"]["facets"] == {} and body["result"]["search_facets"] == {}


def test_organization_list_and_show(client, published, walidata_agency):
    _r, body = call(client, "organization_list")
    assert body["result"] == ["dinkes", "dishub", "diskominfo"]
    _r, body = call(client, "organization_list", all_fields="true")
    counts = {o["name"]: o["package_count"] for o in body["result"]}
    assert counts == {"dinkes": 2, "dishub": 1, "diskominfo": 0}
    _r, body = call(client, "organization_show", id="dinkes", include_datasets="true")
    assert body["result"]["title"] == "Dinas Kesehatan"
    assert sorted(p["name"] for p in body["result"]["packages"]) == [
        "data-puskesmas",
        "jumlah-penduduk-per-kelurahan",
    ]
    response, _body = call(client, "organization_show", id="tidak-ada")
    assert response.status_code == 404


def test_group_list_and_show(client, published):
    _r, body = call(client, "group_list")
    assert body["result"] == ["kependudukan", "kesehatan", "transportasi"]
    _r, body = call(client, "group_list", all_fields=True)
    assert body["result"][1]["package_count"] == 1
    _r, body = call(client, "group_show", id="kesehatan", include_datasets=True)
    assert [p["name"] for p in body["result"]["packages"]] == ["data-puskesmas"]


def test_tag_list_only_public_tags(client, published):
    services.create_dataset(
        actor=published["draft"].created_by, title="Lain", licence="cc-by-4.0", tags=["rahasia"]
    )
    _r, body = call(client, "tag_list")
    assert body["result"] == ["jalan", "kelurahan", "kesehatan", "penduduk"]
    _r, body = call(client, "tag_list", query="ke")
    assert body["result"] == ["kelurahan", "kesehatan"]


def test_license_list(client, published):
    _r, body = call(client, "license_list")
    # The fixture's two plus CC0, which migration 0004 installs with the other standard ones.
    assert [item["id"] for item in body["result"]] == ["cc-by-4.0", "cc0-1.0", "odbl-1.0"]
    assert body["result"][0]["od_conformance"] == "approved"


def test_resource_show(client, published):
    _r, body = call(client, "resource_show", id=str(published["resource"].pk))
    assert body["result"]["name"] == "Data penduduk"
    assert body["result"]["datastore_active"] is True


def test_datastore_search_shape_and_usage(client, published):
    resource = published["resource"]
    _r, body = call(
        client,
        "datastore_search",
        resource_id=str(resource.pk),
        limit=2,
        filters=json.dumps({"kecamatan": "Kecamatan Utara"}),
        sort="jumlah_penduduk desc",
    )
    result = body["result"]
    assert result["fields"][:2] == [
        {"id": "_id", "type": "int"},
        {"id": "kelurahan", "type": "text"},
    ]
    assert result["records"] == [
        {
            "_id": 1,
            "kelurahan": "Melati",
            "kecamatan": "Kecamatan Utara",
            "tahun": 2024,
            "jumlah_penduduk": 12500,
            "luas_km2": 1.25,
        },
        {
            "_id": 2,
            "kelurahan": "Mawar",
            "kecamatan": "Kecamatan Utara",
            "tahun": 2024,
            "jumlah_penduduk": 9800,
            "luas_km2": 0.9,
        },
    ]
    assert (result["total"], result["limit"], result["offset"]) == (2, 2, 0)
    assert result["_links"]["start"].startswith("/api/3/action/datastore_search?")
    assert "offset=2" in result["_links"]["next"]
    published["first"].refresh_from_db()
    assert published["first"].api_count == 1


def test_datastore_search_post_with_native_json(client, published):
    resource = published["resource"]
    _r, body = call(
        client,
        "datastore_search",
        method="post",
        resource_id=str(resource.pk),
        filters={"jumlah_penduduk": [9800, 7400]},
        fields=["kelurahan"],
        q="Kenanga",
    )
    assert body["result"]["records"] == [{"kelurahan": "Kenanga"}]
    assert body["result"]["fields"] == [{"id": "kelurahan", "type": "text"}]


def test_datastore_search_limit_zero_gives_fields(client, published):
    _r, body = call(client, "datastore_search", resource_id=str(published["resource"].pk), limit=0)
    assert body["result"]["records"] == [] and body["result"]["total"] == 5
    assert len(body["result"]["fields"]) == 6


def test_datastore_search_lists_format(client, published):
    _r, body = call(
        client,
        "datastore_search",
        resource_id=str(published["resource"].pk),
        limit=1,
        records_format="lists",
        fields="kelurahan,tahun",
    )
    assert body["result"]["records"] == [["Melati", 2024]]


def test_datastore_search_unknown_field_is_a_validation_error(client, published):
    response, body = call(
        client,
        "datastore_search",
        resource_id=str(published["resource"].pk),
        filters='{"desa": "x"}',
    )
    assert response.status_code == 409
    assert body["error"]["__type"] == "Validation Error"
    assert body["error"]["filters"] == ['Kolom "desa" tidak ada pada sumber data ini.']


def test_datastore_search_of_a_link_is_not_found(client, published):
    link = Resource.objects.get(dataset=published["third"])
    response, _body = call(client, "datastore_search", resource_id=str(link.pk))
    assert response.status_code == 404


# Tokens and writes


@pytest.fixture
def token(producer):
    return services.issue_api_token(user=producer, name="ckanapi")[1]


def test_token_is_stored_as_a_digest(producer, token):
    row = ApiToken.objects.get(user=producer)
    assert token.startswith(row.prefix)
    assert token not in row.digest and len(row.digest) == 64
    assert services.authenticate_api_token(token) == producer
    services.revoke_api_token(token=row)
    assert services.authenticate_api_token(token) is None


def test_package_create_needs_a_token(client, catalog):
    response, body = call(client, "package_create", method="post", name="baru", title="Baru")
    assert response.status_code == 403
    assert body["error"]["__type"] == "Authorization Error"
    assert not Dataset.objects.exists()


def test_invalid_token_is_refused(client, catalog):
    response, body = call(client, "package_create", method="post", token="palsu", name="baru")
    assert response.status_code == 403
    assert not Dataset.objects.exists()


def test_package_create_makes_a_draft_of_the_token_agency(client, catalog, token):
    response, body = call(
        client,
        "package_create",
        method="post",
        token=token,
        name="angka-kematian-ibu",
        title="Angka Kematian Ibu",
        notes="Per kecamatan.",
        license_id="cc-by-4.0",
        tags=[{"name": "Kesehatan Ibu"}],
        groups=[{"name": "kesehatan"}],
        extras=[{"key": "frequency", "value": "monthly"}],
        resources=[{"name": "Sumber", "url": "https://contoh.go.id/aki.csv", "format": "CSV"}],
    )
    assert response.status_code == 200, body
    package = body["result"]
    assert (package["name"], package["state"]) == ("angka-kematian-ibu", "draft")
    assert package["organization"]["name"] == "dinkes"
    assert [t["name"] for t in package["tags"]] == ["kesehatan ibu"]
    assert package["resources"][0]["url"] == "https://contoh.go.id/aki.csv"
    dataset = Dataset.objects.get(name="angka-kematian-ibu")
    assert dataset.update_frequency == "monthly"
    # The producer reads its own draft with the token; the public does not.
    assert call(client, "package_show", token=token, id="angka-kematian-ibu")[0].status_code == 200
    assert call(client, "package_show", id="angka-kematian-ibu")[0].status_code == 404


def test_package_create_for_another_agency_is_refused(client, catalog, token, other_agency):
    response, body = call(
        client, "package_create", method="post", token=token, name="curang", owner_org="dishub"
    )
    assert response.status_code == 403
    assert not Dataset.objects.exists()


def test_package_create_duplicate_name_is_a_validation_error(client, catalog, token):
    catalog.draft("Ganda", name="ganda")
    response, body = call(client, "package_create", method="post", token=token, name="ganda")
    assert response.status_code == 409
    assert body["error"]["name"] == ["Nama URL itu sudah dipakai."]


def test_resource_create_upload_multipart(client, catalog, token):
    dataset = catalog.draft()
    upload = csv_upload()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        API + "resource_create",
        {
            "package_id": dataset.name,
            "name": "Penduduk 2024",
            "upload": SimpleUploadedFile("penduduk.csv", upload.content, "text/csv"),
        },
        HTTP_AUTHORIZATION=token,
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["result"]["datastore_active"] is True
    assert body["result"]["format"] == "CSV"
    assert body["result"]["url"].endswith("/versi/1/penduduk.csv")


def test_resource_create_bad_file_is_409_with_the_report_and_nothing_stored(client, catalog, token):
    dataset = catalog.draft()
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "a,b\n1,2\n3,x\n" + "".join(f"{n},{n}\n" for n in range(30))
    response = client.post(
        API + "resource_create",
        {"package_id": dataset.name, "upload": SimpleUploadedFile("buruk.csv", text.encode())},
        HTTP_X_CKAN_API_KEY=token,
    )
    body = response.json()
    assert response.status_code == 409
    assert body["error"]["__type"] == "Validation Error"
    assert body["error"]["upload"] == ['baris 3: Nilai "x" di kolom b bukan bilangan bulat.']
    assert body["error"]["report"]["errors"][0]["line"] == 3
    assert not Resource.objects.exists()


def test_resource_create_on_another_agency_dataset_is_refused(client, catalog, other_producer):
    dataset = catalog.draft()
    _row, other_token = services.issue_api_token(user=other_producer, name="x")
    response, _body = call(
        client,
        "resource_create",
        method="post",
        token=other_token,
        package_id=dataset.name,
        url="https://contoh.id/x",
        name="x",
    )
    assert response.status_code == 404
    assert not Resource.objects.exists()


def test_list_endpoints_have_bounded_queries(client, published, django_assert_max_num_queries):
    for n in range(5):
        published_dataset = services.create_dataset(
            actor=published["draft"].created_by,
            title=f"Tambahan {n}",
            licence="cc-by-4.0",
            tags=[f"t{n}"],
            groups=["kesehatan"],
        )
        services.add_resource(
            actor=published["draft"].created_by,
            dataset=published_dataset,
            name="Data",
            upload=csv_upload(),
        )
    with django_assert_max_num_queries(14):
        _r, body = call(
            client,
            "package_search",
            rows=100,
            **{"facet.field": '["organization","tags","groups","res_format","license_id"]'},
        )
    assert body["result"]["count"] == 3


def test_help_show_returns_the_action_documentation(client):
    _r, body = call(client, "help_show", name="datastore_search")
    assert body["result"].startswith("Rows of a resource's table")
    response, _body = call(client, "help_show", name="nope")
    assert response.status_code == 404


def test_ckan_token_command_prints_a_working_token(producer):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("ckan-token", producer.username, "skrip harian", stdout=out)
    token = out.getvalue().strip()
    assert services.authenticate_api_token(token) == producer
    assert ApiToken.objects.get(user=producer).name == "skrip harian"


def test_ckan_token_command_unknown_user():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("ckan-token", "tidak-ada", "x")
    assert not ApiToken.objects.exists()
