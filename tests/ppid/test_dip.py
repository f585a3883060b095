"""The DIP: entries with the SLIP columns, exemptions with their basis, documents whose text
(from PDFs too) is searchable, and what the public may download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from terang.core.errors import PermissionDenied, ValidationFailed
from terang.core.models import AuditEntry
from terang.ppid import selectors, services
from terang.ppid.models import DipDocument, DipEntry

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

SECRET_WORD = "zamrudkatulistiwa"


def data(agency, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "category": "berkala",
        "title": "Laporan Kinerja Instansi Pemerintah 2025",
        "summary": "Capaian kinerja dan realisasi anggaran tahun 2025.",
        "agency": agency,
        "official": "Kepala Dinas Komunikasi dan Informatika",
        "person_in_charge": "Sekretaris Dinas",
        "produced_when": "Maret 2026",
        "produced_where": "Kota Contoh",
        "retention": "10 tahun",
    }
    values.update(overrides)
    return services.DipEntryData(**values)


@pytest.fixture
def lakip(ppid_officer, kominfo):  # type: ignore[no-untyped-def]
    entry = services.create_dip_entry(actor=ppid_officer, data=data(kominfo))
    services.add_dip_document(
        actor=ppid_officer,
        entry=entry,
        file=pdf_upload(
            ["LAKIP Diskominfo 2025", f"Program unggulan {SECRET_WORD} 97,5%"], "lakip-2025.pdf"
        ),
        title="LAKIP 2025",
        kind="performance",
    )
    return entry


def test_pdf_text_is_extracted_on_upload(lakip):
    document = DipDocument.objects.get(entry=lakip)
    assert (document.pages, document.content_type, document.extraction_note) == (
        1,
        "application/pdf",
        "",
    )
    assert SECRET_WORD in document.extracted_text


def test_full_text_finds_a_word_only_present_inside_a_pdf(lakip, ppid_officer, kominfo):
    services.create_dip_entry(actor=ppid_officer, data=data(kominfo, title="APBD 2026"))
    assert SECRET_WORD not in lakip.title + lakip.summary
    found = selectors.search_dip(selectors.DipFilters(q=SECRET_WORD))
    assert [entry.pk for entry in found] == [lakip.pk]
    page = Client().get("/ppid/dip/", {"q": SECRET_WORD})
    assert "Laporan Kinerja Instansi Pemerintah 2025" in page.content.decode()
    assert "APBD 2026" not in page.content.decode()
    api = Client().get("/api/v1/ppid/dip", {"q": SECRET_WORD}).json()
    assert [item["id"] for item in api["items"]] == [lakip.pk]


def test_every_word_must_match_and_the_category_filter_applies(lakip):
    assert list(selectors.search_dip(selectors.DipFilters(q=f"{SECRET_WORD} tidakada"))) == []
    assert (
        list(selectors.search_dip(selectors.DipFilters(q=SECRET_WORD, category="serta_merta")))
        == []
    )


@pytest.mark.postgres
def test_full_text_on_postgresql_uses_the_document_text(lakip):
    found = selectors.search_dip(selectors.DipFilters(q=f"{SECRET_WORD} unggulan"))
    assert [entry.pk for entry in found] == [lakip.pk]


def test_an_exempt_entry_needs_its_legal_basis_and_consequence_test(ppid_officer, kominfo):
    with pytest.raises(ValidationFailed) as caught:
        services.create_dip_entry(actor=ppid_officer, data=data(kominfo, category="dikecualikan"))
    assert sorted(caught.value.details["fields"]) == [
        "consequence_test",
        "exemption",
        "legal_basis",
    ]
    assert DipEntry.objects.count() == 0


def test_documents_are_never_attached_to_exempt_information(ppid_officer, kominfo):
    entry = services.create_dip_entry(
        actor=ppid_officer,
        data=data(
            kominfo,
            category="dikecualikan",
            title="Data pribadi penerima bantuan",
            exemption="h",
            legal_basis="UU 14/2008 Pasal 17 huruf h; UU 27/2022",
            consequence_test="Membuka data ini mengungkap rahasia pribadi ribuan warga.",
        ),
    )
    with pytest.raises(ValidationFailed) as caught:
        services.add_dip_document(
            actor=ppid_officer, entry=entry, file=pdf_upload(["x"]), title="Daftar penerima"
        )
    assert caught.value.details["reason"] == "exempt_entry"
    assert DipDocument.objects.count() == 0
    body = Client().get(f"/ppid/dip/{entry.pk}/").content.decode()
    assert "Membuka data ini mengungkap rahasia pribadi ribuan warga." in body


def test_a_file_whose_content_does_not_match_its_type_is_refused(lakip, ppid_officer):
    fake = SimpleUploadedFile(
        "laporan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationFailed) as caught:
        services.add_dip_document(actor=ppid_officer, entry=lakip, file=fake, title="Palsu")
    assert caught.value.details["reason"] == "file_content"
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationFailed) as caught:
        services.add_dip_document(actor=ppid_officer, entry=lakip, file=exe, title="Program")
    assert caught.value.details["reason"] == "file_type"
    assert DipDocument.objects.filter(entry=lakip).count() == 1


def test_a_file_over_the_size_limit_is_refused(lakip, ppid_officer, settings):
    settings.PPID_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    big = SimpleUploadedFile(
        "besar.pdf", b"%PDF-" + b"x" * (2 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(ValidationFailed) as caught, translation.override("id"):
        services.add_dip_document(actor=ppid_officer, entry=lakip, file=big, title="Besar")
    assert str(caught.value.message) == "Berkas lebih dari 2 MB."
    assert caught.value.details == {"field": "file", "reason": "file_too_large"}
    assert DipDocument.objects.filter(entry=lakip).count() == 1


def test_public_download_of_a_published_document(lakip):
    document = DipDocument.objects.get(entry=lakip)
    response = Client().get(f"/ppid/dip/dokumen/{document.token}/", follow=True)
    assert response.redirect_chain[0][0].startswith("/berkas/ppid.dipdocument.file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="lakip-2025.pdf"' == response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_draft_entries_and_their_documents_stay_hidden(lakip, ppid_officer):
    services.update_dip_entry(
        actor=ppid_officer, entry=lakip, data=data(lakip.agency, is_published=False)
    )
    document = DipDocument.objects.get(entry=lakip)
    client = Client()
    assert client.get(f"/ppid/dip/{lakip.pk}/").status_code == 404
    assert client.get(f"/ppid/dip/dokumen/{document.token}/").status_code == 404
    assert list(selectors.search_dip(selectors.DipFilters(q=SECRET_WORD))) == []


def test_only_ppid_staff_keep_the_dip(kominfo, other_officer, inspector):
    for actor in (other_officer, inspector):
        with pytest.raises(PermissionDenied):
            services.create_dip_entry(actor=actor, data=data(kominfo))
    assert DipEntry.objects.count() == 0


def test_changes_to_an_entry_are_audited(lakip, ppid_officer):
    services.update_dip_entry(
        actor=ppid_officer, entry=lakip, data=data(lakip.agency, retention="Permanen")
    )
    actions = list(
        AuditEntry.objects.filter(chain=f"ppid.dipentry:{lakip.pk}").values_list(
            "action", flat=True
        )
    )
    assert actions == ["ppid.dip.created", "ppid.dip.document_added", "ppid.dip.changed"]
    assert AuditEntry.objects.filter(chain=f"ppid.dipentry:{lakip.pk}").last().payload[
        "changed"
    ] == ["retention"]
