"""End to end: the real `ckanapi` client (library and command line), run as an external
client against a live server holding the demo catalog, lists, searches, shows datasets,
queries a datastore resource and creates a dataset with a resource using an API token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError

from terang.opendata import services
from terang.opendata.choices import DatasetState
from terang.opendata.models import Dataset, Resource

from .demo_fixture import build_demo_catalog

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CKANAPI = Path(sys.executable).with_name("ckanapi")


@pytest.fixture
def demo(db):
    return build_demo_catalog()


def test_ckanapi_reads_the_demo_catalog(live_server, demo):
    published = Dataset.objects.filter(state=DatasetState.PUBLISHED).count()
    assert published >= 20
    with RemoteCKAN(live_server.url, user_agent="ckanapi-test") as ckan:
        names = ckan.action.package_list()
        assert len(names) == published
        assert "jumlah-penduduk-per-kelurahan" in names
        assert "kualitas-air-sungai" not in names  # a draft

        found = ckan.action.package_search(
            q="penduduk", rows=5, facet_field=["organization", "res_format"]
        )
        assert found["count"] >= 2
        assert len(found["results"]) <= 5
        assert found["results"][0]["name"] in names
        assert found["facets"]["organization"]["disdukcapil"] >= 2
        by_org = ckan.action.package_search(fq="organization:dinkes", rows=100)
        assert {p["organization"]["name"] for p in by_org["results"]} == {"dinkes"}
        dotted = ckan.action.package_search(**{"facet.field": ["groups"], "rows": 0})
        assert dotted["search_facets"]["groups"]["items"]

        package = ckan.action.package_show(id="jumlah-penduduk-per-kelurahan")
        assert package["organization"]["name"] == "disdukcapil"
        table = next(r for r in package["resources"] if r["datastore_active"])
        assert table["format"] == "CSV"

        organizations = ckan.action.organization_list(all_fields=True)
        assert {o["name"] for o in organizations} >= {"disdukcapil", "dinkes", "diskominfo"}
        assert all("package_count" in o for o in organizations)

        first = ckan.action.datastore_search(resource_id=table["id"], limit=1)
        kelurahan = first["records"][0]["kelurahan"]
        rows = ckan.action.datastore_search(
            resource_id=table["id"], filters={"kelurahan": kelurahan}, limit=5
        )
        assert rows["total"] == 1
        assert rows["records"][0]["kelurahan"] == kelurahan
        assert [f["id"] for f in rows["fields"]][:2] == ["_id", "kode_kelurahan"]
        biggest = ckan.action.datastore_search(
            resource_id=table["id"], sort="jumlah_penduduk desc", limit=3
        )
        counts = [r["jumlah_penduduk"] for r in biggest["records"]]
        assert counts == sorted(counts, reverse=True)

        with pytest.raises(NotFound):
            ckan.action.package_show(id="tidak-ada")
        with pytest.raises(ValidationError):
            ckan.action.datastore_search(resource_id=table["id"], filters={"desa": "x"})

    get_only = RemoteCKAN(live_server.url, get_only=True)
    assert get_only.action.package_show(id="jumlah-penduduk-per-kelurahan")["name"] == (
        "jumlah-penduduk-per-kelurahan"
    )


def test_ckanapi_creates_with_a_token(live_server, demo, tmp_path):
    producer = next(iter(demo["officers"].values()))
    _row, token = services.issue_api_token(user=producer, name="ckanapi")
    with RemoteCKAN(live_server.url) as anonymous:
        with pytest.raises(NotAuthorized):
            anonymous.action.package_create(name="tanpa-token", title="Tanpa token")
    with RemoteCKAN(live_server.url, apikey=token) as ckan:
        package = ckan.action.package_create(
            name="jumlah-posyandu",
            title="Jumlah Posyandu",
            license_id="cc-by-4.0",
            tags=[{"name": "posyandu"}],
            groups=[{"name": "kesehatan"}],
        )
        assert package["state"] == "draft"
        path = tmp_path / "posyandu.csv"
        path.write_text("kecamatan,posyandu\nKecamatan 1,41\nKecamatan 2,37\n")
        with path.open("rb") as handle:
            resource = ckan.action.resource_create(
                package_id="jumlah-posyandu", name="Posyandu per kecamatan", upload=handle
            )
        assert resource["datastore_active"] is True
        rows = ckan.action.datastore_search(resource_id=resource["id"], sort="posyandu asc")
        assert [r["posyandu"] for r in rows["records"]] == [37, 41]
        bad = tmp_path / "buruk.csv"
        bad.write_text("a,b\n" + "".join(f"{n},{n}\n" for n in range(30)) + "x,y\n")
        with bad.open("rb") as handle, pytest.raises(ValidationError) as raised:
            ckan.action.resource_create(package_id="jumlah-posyandu", upload=handle)
        assert raised.value.error_dict["report"]["errors"][0]["line"] == 32
    assert Resource.objects.filter(dataset__name="jumlah-posyandu").count() == 1


def test_ckanapi_command_line(live_server, demo):
    assert CKANAPI.exists()
    completed = subprocess.run(  # noqa: S603 - our own venv's ckanapi against the test server
        [str(CKANAPI), "action", "package_search", "-r", live_server.url, "q=sampah", "rows=3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "CKANAPI_MY_SITES": "localhost"},
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["count"] >= 1
    assert any("sampah" in p["title"].lower() for p in result["results"])
