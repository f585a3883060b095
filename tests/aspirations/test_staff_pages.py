"""Staff HTML pages: inbox, detail and its action URLs, control room, assisted intake."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terang.aspirations import services
from terang.aspirations.choices import Channel, EventKind, PhotoKind, Privacy, Status
from terang.aspirations.models import Aspiration, AspirationPhoto, Category, Follow
from terang.aspirations.views.staff import detail as staff_detail_views
from terang.aspirations.views.staff import inbox as staff_inbox_views
from terang.core.models import Notification

from .conftest import INSIDE_A, image_upload, login_staff

pytestmark = pytest.mark.django_db

STAFF = ("officer", "other_officer", "inspector", "operator", "admin_user")


def submit(category, **kwargs) -> Aspiration:
    defaults = dict(
        title="Jalan berlubang di depan sekolah",
        text="Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor.",
        category=category,
        location=INSIDE_A,
        reporter_name="Rina Wulandari",
        reporter_contact="rina@contoh.id",
    )
    defaults.update(kwargs)
    return services.submit_aspiration(**defaults)


def sign_in(client, request, who: str):
    """Sign `who` (a fixture name, or "anonymous") in; staff get a TOTP-verified session."""
    if who == "anonymous":
        return None
    user = request.getfixturevalue(who)
    if who in STAFF:
        login_staff(client, user)
    else:
        client.force_login(user)
    return user


def detail_url(aspiration: Aspiration, action: str = "detail") -> str:
    return reverse(f"aspirations:staff_{action}", args=[aspiration.code])


def snapshot(aspiration: Aspiration) -> tuple:
    fresh = Aspiration.objects.get(pk=aspiration.pk)
    return (
        fresh.status,
        fresh.agency_id,
        fresh.disposition_count,
        fresh.public_answer,
        fresh.events.count(),
        fresh.photos.count(),
    )


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def item(city, kelurahan, category) -> Aspiration:
    return submit(category)


@pytest.fixture
def routed(item, operator) -> Aspiration:
    return services.verify_aspiration(actor=operator, aspiration=item)


@pytest.fixture
def in_progress(routed, operator) -> Aspiration:
    return services.start_progress(actor=operator, aspiration=routed)


# Permission matrix: pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "lists_item"),
    [
        ("anonymous", 302, False),
        ("citizen", 403, False),
        ("other_officer", 200, False),
        ("officer", 200, True),
        ("inspector", 200, True),
        ("operator", 200, True),
        ("admin_user", 200, True),
    ],
)
def test_inbox_permission_matrix(client, request, item, who, status, lists_item):
    sign_in(client, request, who)

    response = client.get(reverse("aspirations:staff_inbox"))

    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith(reverse("core:login"))
    if status == 200:
        assert (item.code in response.content.decode()) is lists_item


def test_inspectorate_inbox_has_no_bulk_form(client, inspector, item):
    login_staff(client, inspector)

    page = client.get(reverse("aspirations:staff_inbox")).content.decode()

    assert item.code in page
    assert reverse("aspirations:staff_bulk") not in page
    assert 'name="codes"' not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("other_officer", 404),
        ("officer", 200),
        ("inspector", 200),
        ("operator", 200),
        ("admin_user", 200),
    ],
)
def test_detail_permission_matrix(client, request, item, who, status):
    sign_in(client, request, who)

    response = client.get(detail_url(item))

    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert item.text in page
        verify_form_shown = f'action="{detail_url(item, "verify")}"' in page
        assert verify_form_shown is (who != "inspector")


def test_other_agency_officer_gets_the_same_404_as_for_a_missing_code(client, other_officer, item):
    login_staff(client, other_officer)

    hidden = client.get(detail_url(item))
    missing = client.get(reverse("aspirations:staff_detail", args=["ASP-TIDAKADA"]))

    assert hidden.status_code == missing.status_code == 404
    assert item.title not in hidden.content.decode()


# Permission matrix: action POSTs -------------------------------------------------------------

DENIED = {"anonymous": 302, "citizen": 403, "other_officer": 404, "inspector": 403}
MATRIX = [*DENIED, "officer", "operator", "admin_user"]


@pytest.mark.parametrize("who", MATRIX)
def test_verify_post_matrix(client, request, item, who):
    sign_in(client, request, who)
    before = snapshot(item)

    response = client.post(detail_url(item, "verify"))

    if who in DENIED:
        assert response.status_code == DENIED[who]
        assert snapshot(item) == before
        return
    assert response.status_code == 302 and response["Location"] == detail_url(item)
    fresh = Aspiration.objects.get(pk=item.pk)
    assert fresh.status == Status.DISPOSITIONED and fresh.agency == item.category.agency


@pytest.mark.parametrize("who", MATRIX)
def test_redisposition_post_matrix(client, request, routed, other_agency, who):
    sign_in(client, request, who)
    before = snapshot(routed)

    response = client.post(
        detail_url(routed, "redisposition"),
        {
            "redisposition-agency": other_agency.pk,
            "redisposition-reason": "Saluran air kewenangan DLH.",
        },
    )

    if who in DENIED:
        assert response.status_code == DENIED[who]
        assert snapshot(routed) == before
        return
    assert response.status_code == 302
    fresh = Aspiration.objects.get(pk=routed.pk)
    assert (fresh.agency, fresh.disposition_count) == (other_agency, 2)


@pytest.mark.parametrize("who", MATRIX)
def test_resolve_post_matrix(client, request, in_progress, who):
    sign_in(client, request, who)
    before = snapshot(in_progress)

    response = client.post(
        detail_url(in_progress, "resolve"),
        {
            "resolve-answer": "Lubang sudah ditambal dengan aspal baru.",
            "resolve-after_photos": [image_upload("sesudah.jpg")],
        },
    )

    if who in DENIED:
        assert response.status_code == DENIED[who]
        assert snapshot(in_progress) == before
        assert AspirationPhoto.objects.filter(aspiration=in_progress).count() == 0
        return
    assert response.status_code == 302
    fresh = Aspiration.objects.get(pk=in_progress.pk)
    assert fresh.status == Status.RESOLVED
    assert fresh.public_answer == "Lubang sudah ditambal dengan aspal baru."
    assert list(fresh.photos.values_list("kind", flat=True)) == [PhotoKind.AFTER]


def test_inspectorate_post_re_renders_detail_with_message_and_no_forms(client, inspector, item):
    login_staff(client, inspector)

    response = client.post(detail_url(item, "verify"))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Anda tidak berwenang melakukan tindakan ini." in page
    assert f'action="{detail_url(item, "verify")}"' not in page
    assert Aspiration.objects.get(pk=item.pk).status == Status.SUBMITTED


def test_get_on_an_action_url_is_refused(client, officer, item):
    login_staff(client, officer)

    assert client.get(detail_url(item, "verify")).status_code == 405
    assert Aspiration.objects.get(pk=item.pk).status == Status.SUBMITTED


# Workflows through the pages ------------------------------------------------------------------


def test_officer_works_an_item_from_inbox_to_resolution(client, officer, item):
    login_staff(client, officer)
    assert item.code in client.get(reverse("aspirations:staff_inbox")).content.decode()

    verified = client.post(detail_url(item, "verify"), follow=True)
    assert verified.status_code == 200
    assert f"Laporan {item.code} diverifikasi dan diteruskan ke OPD." in (verified.content.decode())

    started = client.post(detail_url(item, "start"), {"start-note": "Tim berangkat."})
    assert started.status_code == 302
    assert Aspiration.objects.get(pk=item.pk).status == Status.IN_PROGRESS

    resolved = client.post(
        detail_url(item, "resolve"),
        {
            "resolve-answer": "Lubang sudah ditambal dengan aspal baru.",
            "resolve-before_photos": [image_upload("sebelum.jpg")],
            "resolve-after_photos": [image_upload("sesudah.png", "PNG")],
        },
    )
    assert resolved.status_code == 302

    fresh = Aspiration.objects.get(pk=item.pk)
    assert fresh.status == Status.RESOLVED and fresh.first_response_at is not None
    assert sorted(fresh.photos.values_list("kind", flat=True)) == [
        PhotoKind.AFTER,
        PhotoKind.BEFORE,
    ]
    assert [e.to_status for e in fresh.events.filter(kind=EventKind.TRANSITION)] == [
        Status.SUBMITTED,
        Status.VERIFIED,
        Status.DISPOSITIONED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
    ]
    inbox = client.get(reverse("aspirations:staff_inbox")).content.decode()
    assert f'href="{detail_url(item)}"' not in inbox
    page = client.get(detail_url(item)).content.decode()
    assert "Lubang sudah ditambal dengan aspal baru." in page
    assert detail_url(item, "resolve") not in page


def test_service_refusal_re_renders_detail_with_field_error_and_changes_nothing(
    client, officer, item
):
    login_staff(client, officer)
    before = snapshot(item)

    response = client.post(detail_url(item, "reject"), {"reject-reason": "spam"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Alasan wajib diisi (minimal 5 karakter)." in page
    assert 'aria-describedby="id_reject-reason_error"' in page
    assert snapshot(item) == before


def test_invalid_transition_gives_409(client, officer, in_progress):
    login_staff(client, officer)
    before = snapshot(in_progress)

    response = client.post(detail_url(in_progress, "verify"))

    assert response.status_code == 409
    assert "Perubahan status ini tidak diizinkan." in response.content.decode()
    assert snapshot(in_progress) == before


def test_internal_note_shows_on_staff_timeline_only_as_internal(client, officer, routed):
    login_staff(client, officer)

    client.post(detail_url(routed, "note"), {"note-note": "Perlu alat berat dari UPT."})

    event = routed.events.get(kind=EventKind.NOTE)
    assert event.is_public is False and event.actor == officer
    page = client.get(detail_url(routed)).content.decode()
    assert "Perlu alat berat dari UPT." in page and "Internal" in page


def test_operator_redispositions_twice_then_control_room_then_assigns_for_good(
    client, operator, routed, other_agency, third_agency, agency
):
    login_staff(client, operator)
    for target in (other_agency, third_agency):
        response = client.post(
            detail_url(routed, "redisposition"),
            {
                "redisposition-agency": target.pk,
                "redisposition-reason": "Bukan kewenangan OPD ini.",
            },
        )
        assert response.status_code == 302

    fresh = Aspiration.objects.get(pk=routed.pk)
    assert fresh.is_ping_pong is True and fresh.agency == third_agency
    room = client.get(reverse("aspirations:staff_control_room"))
    assert room.status_code == 200
    assert detail_url(routed) in room.content.decode()
    assert detail_url(routed, "assign") in client.get(detail_url(routed)).content.decode()

    response = client.post(
        detail_url(routed, "assign"),
        {
            "assign-agency": agency.pk,
            "assign-reason": "Jalan kota: kewenangan PUPR.",
        },
    )

    assert response.status_code == 302
    fresh = Aspiration.objects.get(pk=routed.pk)
    assert fresh.assigned_for_good is True and fresh.agency == agency
    room = client.get(reverse("aspirations:staff_control_room")).content.decode()
    assert detail_url(routed) not in room


@pytest.mark.parametrize(
    ("who", "status"), [("citizen", 403), ("officer", 403), ("inspector", 200), ("admin_user", 200)]
)
def test_control_room_access(client, request, who, status):
    sign_in(client, request, who)

    assert client.get(reverse("aspirations:staff_control_room")).status_code == status


def test_officer_cannot_move_an_item_assigned_for_good(
    client, operator, officer, routed, other_agency, agency
):
    services.assign_for_good(
        actor=operator, aspiration=routed, agency=agency, reason="Tetap di PUPR sesuai perda."
    )
    login_staff(client, officer)
    assert (
        detail_url(routed, "redisposition") not in client.get(detail_url(routed)).content.decode()
    )
    before = snapshot(routed)

    response = client.post(
        detail_url(routed, "redisposition"),
        {
            "redisposition-agency": other_agency.pk,
            "redisposition-reason": "Coba pindahkan.",
        },
    )

    assert response.status_code == 403
    assert snapshot(routed) == before


def test_merge_moves_and_notifies_the_followers(client, officer, other_citizen, routed, category):
    main = services.verify_aspiration(actor=officer, aspiration=submit(category))
    services.follow_aspiration(user=other_citizen, aspiration=routed)
    assert not Notification.objects.filter(recipient=other_citizen).exists()
    login_staff(client, officer)

    response = client.post(detail_url(routed, "merge"), {"merge-into": main.code.lower()})

    assert response.status_code == 302 and response["Location"] == detail_url(main)
    fresh = Aspiration.objects.get(pk=routed.pk)
    assert fresh.status == Status.MERGED and fresh.merged_into == main
    assert Follow.objects.filter(aspiration=main, user=other_citizen).exists()
    assert Notification.objects.filter(
        recipient=other_citizen, subject__contains=routed.code
    ).exists()


def test_merge_into_an_unknown_code_is_a_field_error(client, officer, routed):
    login_staff(client, officer)
    before = snapshot(routed)

    response = client.post(detail_url(routed, "merge"), {"merge-into": "ASP-TIDAKADA"})

    assert response.status_code == 422
    assert "Laporan utama tidak ditemukan." in response.content.decode()
    assert snapshot(routed) == before


def test_agency_head_checks_a_resolution_officer_sees_no_check_form(
    client, officer, agency_head, operator, city, kelurahan, checked_category
):
    aspiration = services.verify_aspiration(actor=operator, aspiration=submit(checked_category))
    services.resolve_aspiration(
        actor=officer, aspiration=aspiration, answer="Saluran sudah dibersihkan."
    )
    login_staff(client, officer)
    assert (
        detail_url(aspiration, "check") not in client.get(detail_url(aspiration)).content.decode()
    )

    login_staff(client, agency_head)
    assert detail_url(aspiration, "check") in client.get(detail_url(aspiration)).content.decode()
    response = client.post(
        detail_url(aspiration, "check"),
        {
            "check-decision": "send_back",
            "check-reason": "Foto sesudah belum ada.",
        },
    )

    assert response.status_code == 302
    fresh = Aspiration.objects.get(pk=aspiration.pk)
    assert fresh.status == Status.IN_PROGRESS and fresh.resolved_at is None


# Reporter contact visibility ------------------------------------------------------------------


def test_anonymous_reporter_is_never_shown(client, operator, city, kelurahan, category):
    aspiration = submit(category, privacy=Privacy.ANONYMOUS)
    login_staff(client, operator)

    page = client.get(detail_url(aspiration)).content.decode()

    assert "Pelapor anonim: identitas tidak disimpan" in page
    assert "Rina Wulandari" not in page and "rina@contoh.id" not in page


def test_confidential_contact_without_consent_hidden_from_officer_shown_to_operator(
    client, officer, operator, city, kelurahan, category
):
    aspiration = submit(category, privacy=Privacy.CONFIDENTIAL, share_contact_with_agency=False)

    login_staff(client, officer)
    page = client.get(detail_url(aspiration)).content.decode()
    assert "Kontak pelapor tidak dibagikan ke OPD" in page
    assert "rina@contoh.id" not in page

    login_staff(client, operator)
    page = client.get(detail_url(aspiration)).content.decode()
    assert "rina@contoh.id" in page and "Rina Wulandari" in page


def test_contact_shared_with_consent_is_shown_to_the_owning_officer(
    client, officer, city, kelurahan, category
):
    aspiration = submit(category, privacy=Privacy.CONFIDENTIAL, share_contact_with_agency=True)
    login_staff(client, officer)

    assert "rina@contoh.id" in client.get(detail_url(aspiration)).content.decode()


# Two-factor --------------------------------------------------------------------------------


def test_staff_without_2fa_verification_is_redirected(client, officer, item):
    client.force_login(officer)

    response = client.get(reverse("aspirations:staff_inbox"))
    posted = client.post(detail_url(item, "verify"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two_factor"))
    assert posted.status_code == 302
    assert Aspiration.objects.get(pk=item.pk).status == Status.SUBMITTED


def test_views_refuse_unverified_staff_even_without_the_middleware(officer, item):
    request = RequestFactory().get(detail_url(item))
    request.user = officer  # no OTPMiddleware: no is_verified() at all

    response = staff_detail_views.detail(request, code=item.code)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two_factor"))


# Inbox: filters, bulk actions, query bound ---------------------------------------------------


def test_inbox_filters_ping_pong_and_status(
    client, operator, routed, other_agency, third_agency, category
):
    fresh_item = submit(category, title="Lampu jalan mati di gang")
    for target in (other_agency, third_agency):
        services.redisposition_aspiration(
            actor=operator, aspiration=routed, agency=target, reason="Bukan kewenangan kami."
        )
    login_staff(client, operator)
    url = reverse("aspirations:staff_inbox")

    ping_pong = client.get(url, {"ping_pong": "on"}).content.decode()
    submitted = client.get(url, {"status": Status.SUBMITTED}).content.decode()

    assert routed.code in ping_pong and fresh_item.code not in ping_pong
    assert fresh_item.code in submitted and routed.code not in submitted


def test_bulk_verify_reports_done_and_failed_codes(
    client, officer, city, kelurahan, category, other_agency
):
    mine = [submit(category) for _ in range(2)]
    foreign_category = Category.objects.create(code="sampah", name="Sampah", agency=other_agency)
    foreign = submit(foreign_category)
    login_staff(client, officer)

    response = client.post(
        reverse("aspirations:staff_bulk"),
        {
            "codes": [a.code for a in mine] + [foreign.code],
            "action": "verify",
            "query": "status=submitted&evil=1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("aspirations:staff_inbox") + "?status=submitted"
    texts = message_texts(response)
    assert f"Berhasil (2): {mine[0].code}, {mine[1].code}" in texts
    assert f"Gagal (1): {foreign.code}" in texts
    assert {a.status for a in Aspiration.objects.filter(pk__in=[m.pk for m in mine])} == {
        Status.DISPOSITIONED
    }
    assert Aspiration.objects.get(pk=foreign.pk).status == Status.SUBMITTED


def test_bulk_by_inspectorate_changes_nothing(client, inspector, item):
    login_staff(client, inspector)
    before = snapshot(item)

    response = client.post(
        reverse("aspirations:staff_bulk"), {"codes": [item.code], "action": "verify"}
    )

    assert response.status_code == 302
    assert f"Gagal (1): {item.code}" in message_texts(response)
    assert snapshot(item) == before


def _inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("aspirations:staff_inbox"))
    assert response.status_code == 200
    return len(queries)


def test_inbox_query_count_does_not_grow_with_items(
    client, operator, city, kelurahan, category, django_assert_max_num_queries
):
    for _ in range(3):
        submit(category)
    login_staff(client, operator)
    few = _inbox_queries(client)
    for _ in range(12):
        submit(category)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("aspirations:staff_inbox"))

    assert response.status_code == 200
    assert _inbox_queries(client) == few


def test_inbox_shows_a_page_of_fifty_and_says_how_many_match(
    client, operator, city, kelurahan, category, monkeypatch
):
    monkeypatch.setattr(staff_inbox_views, "INBOX_LIMIT", 3)
    for _ in range(5):
        submit(category)
    login_staff(client, operator)

    page = client.get(reverse("aspirations:staff_inbox")).content.decode()

    assert page.count('name="codes"') == 3
    assert "5 laporan terbuka; halaman ini menampilkan 3, tenggat terdekat lebih dulu." in page
    assert 'rel="next">Berikutnya</a>' in page


def test_inbox_countdown_says_late_in_words(client, operator, item):
    Aspiration.objects.filter(pk=item.pk).update(
        verify_due_at=item.created_at.replace(year=item.created_at.year - 1)
    )
    login_staff(client, operator)

    page = client.get(reverse("aspirations:staff_inbox")).content.decode()

    assert 'class="time-left late"' in page and "terlambat" in page


# Assisted intake --------------------------------------------------------------------------

INTAKE = {
    "channel": Channel.WHATSAPP,
    "kind": "complaint",
    "privacy": Privacy.CONFIDENTIAL,
    "reporter_name": "Pak Darto",
    "reporter_contact": "+6281234567890",
    "share_contact_with_agency": "on",
    "category": "jalan-rusak",
    "title": "Jembatan kayu lapuk",
    "text": "Jembatan penyeberangan kayu di RT 03 lapuk dan berbahaya.",
    "latitude": "-6.2",
    "longitude": "106.62",
    "address": "RT 03 RW 02",
    "idempotency_key": "kunci-uji-1-loket-staf",
}


def test_operator_enters_a_whatsapp_report_and_gets_the_code(
    client, operator, city, kelurahan, category
):
    login_staff(client, operator)
    assert client.get(reverse("aspirations:staff_intake")).status_code == 200

    response = client.post(
        reverse("aspirations:staff_intake"), {**INTAKE, "photos": [image_upload()]}
    )
    again = client.post(reverse("aspirations:staff_intake"), {**INTAKE, "photos": [image_upload()]})

    assert response.status_code == again.status_code == 302
    aspiration = Aspiration.objects.get()
    assert (aspiration.channel, aspiration.entered_by, aspiration.kelurahan) == (
        Channel.WHATSAPP,
        operator,
        kelurahan,
    )
    assert aspiration.share_contact_with_agency is True and aspiration.photos.count() == 1
    done = client.get(response["Location"]).content.decode()
    assert aspiration.code in done and detail_url(aspiration) in done


def test_intake_errors_are_shown_and_nothing_is_saved(client, officer, city, kelurahan, category):
    login_staff(client, officer)

    response = client.post(
        reverse("aspirations:staff_intake"),
        {
            **INTAKE,
            "latitude": "-7.5",
            "longitude": "110.0",
            "idempotency_key": "kunci-uji-2-loket-staf",
        },
    )

    assert response.status_code == 422
    assert "Lokasi berada di luar wilayah kota." in response.content.decode()
    assert not Aspiration.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("citizen", 403), ("inspector", 403)]
)
def test_intake_refused_for_non_intake_roles(client, request, city, category, who, status):
    sign_in(client, request, who)

    response = client.post(reverse("aspirations:staff_intake"), INTAKE)

    assert response.status_code == status
    assert not Aspiration.objects.exists()


def test_operator_verifies_to_another_agency_officer_cannot(
    client, operator, officer, item, other_agency, agency
):
    login_staff(client, officer)
    assert 'name="verify-agency"' not in client.get(detail_url(item)).content.decode()
    login_staff(client, operator)
    assert 'name="verify-agency"' in client.get(detail_url(item)).content.decode()

    response = client.post(
        detail_url(item, "verify"),
        {"verify-agency": other_agency.pk, "verify-privacy": "confidential"},
    )

    assert response.status_code == 302
    fresh = Aspiration.objects.get(pk=item.pk)
    assert (fresh.status, fresh.agency, fresh.privacy) == (
        Status.DISPOSITIONED,
        other_agency,
        Privacy.CONFIDENTIAL,
    )


def test_public_answer_is_recorded_as_first_response(client, officer, routed):
    login_staff(client, officer)

    response = client.post(
        detail_url(routed, "answer"), {"answer-answer": "Akan kami survei minggu ini."}
    )

    assert response.status_code == 302
    fresh = Aspiration.objects.get(pk=routed.pk)
    assert fresh.first_response_at is not None and fresh.status == Status.DISPOSITIONED
    event = fresh.events.get(kind=EventKind.ANSWER)
    assert event.is_public is True and event.reason == "Akan kami survei minggu ini."


def test_officer_sets_the_location_from_the_detail_page(client, city, kelurahan, category, officer):
    from terang.aspirations.services import Location, submit_aspiration

    aspiration = submit_aspiration(
        title="Lampu jalan mati",
        text="Lampu jalan mati di gang sebelah masjid sejak kemarin.",
        category=category,
        channel="whatsapp",
        location=Location(),
        location_required=False,
    )
    login_staff(client, officer)
    page = client.get(f"/staf/aspirasi/{aspiration.code}/")
    assert f"/staf/aspirasi/{aspiration.code}/lokasi/" in page.content.decode()

    response = client.post(
        f"/staf/aspirasi/{aspiration.code}/lokasi/",
        {"place-latitude": "-6.2", "place-longitude": "106.62", "place-address": "Gg. Masjid"},
    )

    assert response.status_code == 302
    aspiration.refresh_from_db()
    assert aspiration.kelurahan == kelurahan and aspiration.address == "Gg. Masjid"
