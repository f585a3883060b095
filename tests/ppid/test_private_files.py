# ruff: noqa: F811 - fixtures imported from other test modules are used by name
"""PPID files (an organisation's legal papers, delivered documents, DIP documents) live in
private storage and leave only through the file view: the requester and the PPID desk get
them; anyone else gets a 404 that looks like a missing file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from terang.ppid import services
from terang.ppid.models import DipDocument, InformationRequest, RequestFile
from tests.helpers import client_for

from .conftest import T0, pdf_upload, request_form
from .test_demo import build_demo
from .test_dip import data, lakip  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def created(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The demo PPID built for this test, so its papers are in this test's MEDIA_ROOT."""
    return build_demo()


@pytest.fixture
def organisation(citizen, ppid_officer) -> InformationRequest:  # type: ignore[no-untyped-def]
    """An organisation's request, with its legal entity papers (its identity document)."""
    return services.submit_request(
        actor=citizen,
        form=request_form(
            requester_kind="organisation",
            organisation_name="LSM Jalan Sehat",
            legal_entity_document=pdf_upload(["Akta pendirian LSM Jalan Sehat"], "akta.pdf"),
        ),
        at=T0,
    )


def link_to(page: str, label: str) -> str:
    [href] = re.findall(rf'<a href="([^"]+)">{re.escape(label)}</a>', page)
    return href


def stored(record: RequestFile | DipDocument) -> bytes:
    return (Path(settings.MEDIA_ROOT) / record.file.name).read_bytes()


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def test_identity_papers_go_to_the_requester_and_the_desk_only(
    organisation, citizen, other_citizen, other_officer, inspector, ppid_officer, ppid_head
):
    record = organisation.files.get()
    requester = client_for(citizen)
    page = requester.get(f"/ppid/permohonan/{organisation.register_number}/").content.decode()
    url = link_to(page, "akta.pdf")
    assert url.startswith("/berkas/ppid.requestfile.file/")

    for allowed in (requester, client_for(ppid_officer), client_for(ppid_head)):
        response = allowed.get(url)
        assert response.status_code == 200
        assert body(response) == stored(record)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="akta.pdf"'
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"

    # The inspectorate oversees the queue but sees identities masked: not the papers either.
    outsiders = (client_for(other_citizen), client_for(other_officer), client_for(inspector))
    for refused in (Client(), *outsiders):
        response = refused.get(url)
        assert response.status_code == 404
        assert b"Akta pendirian" not in response.content
    assert organisation.files.count() == 1 and stored(record).startswith(b"%PDF-")


def test_the_desk_page_links_the_papers_through_the_file_view(organisation, ppid_officer):
    client = client_for(ppid_officer)
    page = client.get(f"/staf/ppid/permohonan/{organisation.register_number}/").content.decode()
    url = link_to(page, "akta.pdf")
    assert url.startswith("/berkas/ppid.requestfile.file/")
    assert client.get(url).status_code == 200


def test_the_api_lists_the_papers_at_the_file_view(organisation, citizen):
    client = client_for(citizen)
    detail = client.get(f"/api/v1/ppid/requests/{organisation.register_number}").json()
    [entry] = detail["files"]
    assert "/berkas/ppid.requestfile.file/" in entry["url"]
    assert client.get(entry["url"]).status_code == 200
    assert Client().get(entry["url"]).status_code == 404


def test_the_old_address_of_a_request_file_leads_to_the_file_view(organisation, citizen):
    record = organisation.files.get()
    client = client_for(citizen)
    response = client.get(f"/ppid/permohonan/berkas/{record.token}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/berkas/ppid.requestfile.file/")
    assert body(client.get(response["Location"])) == stored(record)


def test_papers_through_nginx_are_an_empty_answer_naming_the_internal_path(
    organisation, citizen, settings
):
    settings.PRIVATE_FILES_TRANSPORT = "x-accel"
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_berkas_internal/"
    record = organisation.files.get()
    client = client_for(citizen)
    page = client.get(f"/ppid/permohonan/{organisation.register_number}/").content.decode()
    response = client.get(link_to(page, "akta.pdf"))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_berkas_internal/{record.file.name}"
    assert response["Content-Disposition"] == 'attachment; filename="akta.pdf"'
    assert Client().get(link_to(page, "akta.pdf")).status_code == 404


def test_a_published_dip_document_is_for_anyone(lakip):
    document = DipDocument.objects.get(entry=lakip)
    visitor = Client()
    page = visitor.get(f"/ppid/dip/{lakip.pk}/").content.decode()
    url = link_to(page, "LAKIP 2025")
    assert url.startswith("/berkas/ppid.dipdocument.file/")
    response = visitor.get(url)
    assert response.status_code == 200
    assert body(response) == stored(document)
    assert response["Content-Disposition"] == 'attachment; filename="lakip-2025.pdf"'
    assert response["Cache-Control"].startswith("public")


def test_a_draft_dip_document_is_for_the_desk_only(lakip, ppid_officer, other_officer, kominfo):
    services.update_dip_entry(
        actor=ppid_officer, entry=lakip, data=data(kominfo, is_published=False)
    )
    document = DipDocument.objects.get(entry=lakip)
    desk = client_for(ppid_officer)
    page = desk.get(f"/staf/ppid/dip/{lakip.pk}/").content.decode()
    url = link_to(page, "LAKIP 2025")
    assert url.startswith("/berkas/ppid.dipdocument.file/")
    assert body(desk.get(url)) == stored(document)
    assert desk.get(url)["Cache-Control"] == "private, no-store"
    for refused in (Client(), client_for(other_officer)):
        assert refused.get(url).status_code == 404
    assert DipDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.slow
def test_the_demo_papers_and_documents_open_from_their_pages(created):  # noqa: F811
    """`make demo`: what the demo seeds is reachable from the pages that list it."""
    document = (
        DipDocument.objects.filter(entry__is_published=True)
        .exclude(entry__category="dikecualikan")
        .first()
    )
    page = Client().get(f"/ppid/dip/{document.entry_id}/").content.decode()
    response = Client().get(link_to(page, document.title))
    assert response.status_code == 200
    assert body(response) == stored(document)

    record = RequestFile.objects.filter(request__requester__isnull=False).first()
    requester = client_for(record.request.requester)
    number = record.request.register_number
    page = requester.get(f"/ppid/permohonan/{number}/").content.decode()
    url = link_to(page, record.name)
    assert body(requester.get(url)) == stored(record)
    assert Client().get(url).status_code == 404
