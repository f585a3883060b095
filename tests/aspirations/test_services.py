"""The aspiration workflow through its services: every transition, its trail, its guards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from PIL import Image

from terang.aspirations import services
from terang.aspirations.choices import EventKind, Privacy, Status
from terang.aspirations.models import Aspiration, AspirationEvent, AspirationPhoto, Follow
from terang.core.audit import chain_name
from terang.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from terang.core.models import AuditEntry, Notification

from .conftest import GUEST_CONTACT, INSIDE_A, OUTSIDE, image_upload

pytestmark = pytest.mark.django_db


def submit(category, reporter=None, **kwargs):
    defaults = dict(
        title="Jalan berlubang di depan sekolah",
        text="Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor.",
        category=category,
        location=INSIDE_A,
        reporter=reporter,
    )
    if reporter is None:
        # A guest's identified web report must leave a contact (intake rule).
        defaults["reporter_contact"] = GUEST_CONTACT
    defaults.update(kwargs)
    return services.submit_aspiration(**defaults)


def test_submit_gives_tracking_code_deadline_kelurahan_and_audit(
    city, kelurahan, category, citizen
):
    aspiration = submit(category, citizen)

    assert aspiration.code.startswith("ASP-") and len(aspiration.code) == 12
    assert aspiration.status == Status.SUBMITTED
    assert aspiration.agency == category.agency
    assert aspiration.kelurahan == kelurahan
    assert aspiration.reporter == citizen and aspiration.reporter_name == citizen.display_name
    assert aspiration.verify_due_at > aspiration.created_at
    event = aspiration.events.get()
    assert (event.kind, event.to_status, event.actor) == (
        EventKind.TRANSITION,
        "submitted",
        citizen,
    )
    entry = AuditEntry.objects.get(chain=chain_name(aspiration))
    assert entry.action == "aspiration.transition.submitted" and entry.seq == 1


def test_anonymous_report_stores_no_identity_even_from_a_logged_in_citizen(
    city, kelurahan, category, citizen
):
    aspiration = submit(
        category,
        citizen,
        privacy=Privacy.ANONYMOUS,
        reporter_name="Budi Santoso",
        reporter_contact="budi@contoh.id",
        share_contact_with_agency=True,
    )

    stored = Aspiration.objects.get(pk=aspiration.pk)
    assert stored.reporter is None
    assert stored.reporter_name == ""
    assert stored.reporter_contact_encrypted == ""
    assert stored.share_contact_with_agency is False
    assert stored.events.get().actor is None


def test_contact_is_encrypted_at_rest(city, kelurahan, category):
    aspiration = submit(category, reporter_name="Siti", reporter_contact="+6281234567890")
    raw = (
        Aspiration.objects.filter(pk=aspiration.pk)
        .values_list("reporter_contact_encrypted", flat=True)
        .get()
    )
    assert "81234567890" not in raw and raw


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"location": OUTSIDE}, "outside_city"),
        ({"category": "tidak-ada"}, "unknown_category"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(city, kelurahan, category, kwargs, reason):
    kwargs = dict(kwargs)
    with pytest.raises(ValidationFailed) as error:
        submit(kwargs.pop("category", category), **kwargs)
    assert error.value.details["reason"] == reason
    assert Aspiration.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_short_title_and_text_are_field_errors(city, kelurahan, category):
    with pytest.raises(ValidationFailed) as error:
        submit(category, title="abc", text="pendek")
    assert set(error.value.details["fields"]) == {"title", "text"}


def test_photos_are_reencoded_without_exif_or_gps(city, kelurahan, category):
    aspiration = submit(category, photos=[image_upload("a.jpg"), image_upload("b.png", "PNG")])

    photos = list(aspiration.photos.all())
    assert [p.kind for p in photos] == ["report", "report"]
    for photo in photos:
        with Image.open(photo.image.path) as image:
            assert not image.getexif()
            assert "exif" not in image.info


def test_a_bad_photo_among_good_ones_saves_nothing(city, kelurahan, category, tmp_path):
    fake = image_upload("c.jpg")
    fake.file.seek(0)
    fake.file.write(b"this is not an image at all")
    fake.file.truncate()
    fake.file.seek(0)
    fake.size = 27
    with pytest.raises(ValidationFailed) as error:
        submit(category, photos=[image_upload("a.jpg"), fake])
    assert error.value.details["reason"] == "unsupported_photo_type"
    assert Aspiration.objects.count() == 0
    assert AspirationPhoto.objects.count() == 0


def test_more_than_five_photos_is_refused(city, kelurahan, category):
    with pytest.raises(ValidationFailed) as error:
        submit(category, photos=[image_upload(f"{i}.jpg") for i in range(6)])
    assert error.value.details["reason"] == "too_many"


def test_oversize_photo_is_refused(city, kelurahan, category, settings):
    settings.MAX_PHOTO_BYTES = 100
    with pytest.raises(ValidationFailed) as error:
        submit(category, photos=[image_upload("big.jpg", size=(400, 400))])
    assert error.value.details["reason"] == "photo_too_large"


def walk_to_resolved(aspiration, officer, operator=None):
    services.verify_aspiration(actor=operator or officer, aspiration=aspiration)
    services.start_progress(actor=officer, aspiration=aspiration, note="Tim ke lokasi")
    return services.resolve_aspiration(
        actor=officer,
        aspiration=aspiration,
        answer="Lubang sudah ditambal.",
        after_photos=[image_upload("after.jpg")],
    )


def test_full_life_citizen_rates_and_it_closes(
    city, kelurahan, category, citizen, officer, operator
):
    aspiration = submit(category, citizen)
    walk_to_resolved(aspiration, officer, operator)
    services.rate_aspiration(actor=citizen, aspiration=aspiration, rating=4, comment="Cepat")

    aspiration.refresh_from_db()
    assert aspiration.status == Status.CLOSED and aspiration.rating == 4
    assert aspiration.first_response_at is not None and aspiration.closed_at is not None
    assert aspiration.disposition_count == 1
    transitions = list(
        aspiration.events.filter(kind=EventKind.TRANSITION).values_list("to_status", flat=True)
    )
    assert transitions == [
        "submitted",
        "verified",
        "dispositioned",
        "in_progress",
        "resolved",
        "closed",
    ]
    assert aspiration.photos.get().kind == "after"
    chain = AuditEntry.objects.filter(chain=chain_name(aspiration)).order_by("seq")
    assert list(chain.values_list("seq", flat=True)) == list(range(1, chain.count() + 1))
    assert Notification.objects.filter(recipient=citizen).count() >= 5


def test_reporter_reopens_within_window_but_not_after(city, kelurahan, category, citizen, officer):
    aspiration = submit(category, citizen)
    walk_to_resolved(aspiration, officer)
    services.rate_aspiration(actor=citizen, aspiration=aspiration, rating=2)
    services.reopen_aspiration(actor=citizen, aspiration=aspiration, reason="Lubang muncul lagi")
    aspiration.refresh_from_db()
    assert aspiration.status == Status.IN_PROGRESS and aspiration.reopen_count == 1
    assert aspiration.rating is None

    services.resolve_aspiration(actor=officer, aspiration=aspiration, answer="Ditambal ulang.")
    services.rate_aspiration(actor=citizen, aspiration=aspiration, rating=5)
    Aspiration.objects.filter(pk=aspiration.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=30)
    )
    with pytest.raises(InvalidTransition) as error:
        services.reopen_aspiration(actor=citizen, aspiration=aspiration, reason="Lagi-lagi rusak")
    assert error.value.details["reason"] == "reopen_window_passed"
    assert Aspiration.objects.get(pk=aspiration.pk).status == Status.CLOSED


def test_only_the_reporter_may_rate_or_reopen(
    city, kelurahan, category, citizen, other_citizen, officer
):
    aspiration = submit(category, citizen)
    walk_to_resolved(aspiration, officer)
    with pytest.raises(PermissionDenied):
        services.rate_aspiration(actor=other_citizen, aspiration=aspiration, rating=1)
    with pytest.raises(PermissionDenied):
        services.reopen_aspiration(actor=officer, aspiration=aspiration, reason="bukan pelapor")
    aspiration.refresh_from_db()
    assert aspiration.status == Status.RESOLVED and aspiration.rating is None


def test_invalid_transition_is_refused_and_changes_nothing(city, kelurahan, category, officer):
    aspiration = submit(category)
    events_before = AspirationEvent.objects.count()
    with pytest.raises(InvalidTransition) as error:
        services.resolve_aspiration(actor=officer, aspiration=aspiration, answer="Sudah beres.")
    assert error.value.details == {
        "from": "submitted",
        "to": "resolved",
        "allowed": ["merged", "rejected", "verified"],
    }
    aspiration.refresh_from_db()
    assert aspiration.status == Status.SUBMITTED and aspiration.resolved_at is None
    assert AspirationEvent.objects.count() == events_before


@pytest.mark.parametrize("actor_name", ["other_officer", "inspector", "citizen"])
def test_outsiders_and_the_inspectorate_cannot_act(city, kelurahan, category, request, actor_name):
    aspiration = submit(category)
    actor = request.getfixturevalue(actor_name)
    with pytest.raises(PermissionDenied):
        services.verify_aspiration(actor=actor, aspiration=aspiration)
    with pytest.raises(PermissionDenied):
        services.reject_aspiration(actor=actor, aspiration=aspiration, reason="Tidak jelas")
    aspiration.refresh_from_db()
    assert aspiration.status == Status.SUBMITTED
    assert aspiration.events.count() == 1


def test_reject_needs_a_reason(city, kelurahan, category, officer):
    aspiration = submit(category)
    with pytest.raises(ValidationFailed):
        services.reject_aspiration(actor=officer, aspiration=aspiration, reason="")
    services.reject_aspiration(actor=officer, aspiration=aspiration, reason="Bukan wewenang kota")
    aspiration.refresh_from_db()
    assert aspiration.status == Status.REJECTED
    assert aspiration.events.last().reason == "Bukan wewenang kota"


def test_second_move_flags_ping_pong_and_operator_assigns_for_good(
    city,
    kelurahan,
    category,
    officer,
    other_officer,
    other_agency,
    third_agency,
    operator,
    agency,
):
    aspiration = submit(category)
    services.verify_aspiration(actor=officer, aspiration=aspiration)
    services.redisposition_aspiration(
        actor=officer,
        aspiration=aspiration,
        agency=other_agency,
        reason="Bukan jalan kota, saluran DLH",
    )
    aspiration.refresh_from_db()
    assert aspiration.disposition_count == 2 and not aspiration.is_ping_pong

    services.redisposition_aspiration(
        actor=other_officer,
        aspiration=aspiration,
        agency=agency,
        reason="Ini jalan, kembalikan ke PUPR",
    )
    aspiration.refresh_from_db()
    assert aspiration.is_ping_pong and aspiration.disposition_count == 3
    assert aspiration.events.filter(kind=EventKind.ESCALATION).count() == 1
    assert Notification.objects.filter(recipient=operator).exists()

    services.assign_for_good(
        actor=operator,
        aspiration=aspiration,
        agency=third_agency,
        reason="Ditetapkan ke Dishub oleh ruang kendali",
    )
    aspiration.refresh_from_db()
    assert aspiration.assigned_for_good and aspiration.agency == third_agency
    with pytest.raises(PermissionDenied):
        services.redisposition_aspiration(
            actor=_officer_of(third_agency),
            aspiration=aspiration,
            agency=agency,
            reason="Bukan kami juga",
        )
    aspiration.refresh_from_db()
    assert aspiration.agency == third_agency


def _officer_of(agency):
    from .conftest import make_user

    return make_user(f"petugas_{agency.code.lower()}", "officer", agency)


def test_officer_cannot_assign_for_good(city, kelurahan, category, officer, other_agency):
    aspiration = submit(category)
    services.verify_aspiration(actor=officer, aspiration=aspiration)
    with pytest.raises(PermissionDenied):
        services.assign_for_good(
            actor=officer, aspiration=aspiration, agency=other_agency, reason="Saya tetapkan"
        )
    assert not Aspiration.objects.get(pk=aspiration.pk).assigned_for_good


def test_resolution_check_blocks_rating_until_approved_and_can_send_back(
    city, kelurahan, checked_category, citizen, officer, agency_head
):
    aspiration = submit(checked_category, citizen)
    walk_to_resolved(aspiration, officer)
    with pytest.raises(InvalidTransition):
        services.rate_aspiration(actor=citizen, aspiration=aspiration, rating=5)
    with pytest.raises(PermissionDenied):
        services.check_resolution(actor=officer, aspiration=aspiration, approve=True)

    services.check_resolution(
        actor=agency_head,
        aspiration=aspiration,
        approve=False,
        reason="Foto sesudah tidak menunjukkan lokasi yang sama",
    )
    aspiration.refresh_from_db()
    assert aspiration.status == Status.IN_PROGRESS and aspiration.resolved_at is None

    services.resolve_aspiration(actor=officer, aspiration=aspiration, answer="Diperbaiki ulang.")
    services.check_resolution(actor=agency_head, aspiration=aspiration, approve=True)
    services.rate_aspiration(actor=citizen, aspiration=aspiration, rating=5)
    assert Aspiration.objects.get(pk=aspiration.pk).status == Status.CLOSED


def test_merge_moves_followers_and_notifies_them(
    city, kelurahan, category, officer, citizen, other_citizen
):
    main = submit(category, citizen)
    duplicate = submit(category, other_citizen)
    for item in (main, duplicate):
        services.verify_aspiration(actor=officer, aspiration=item)
    services.follow_aspiration(user=citizen, aspiration=duplicate)
    before = Notification.objects.filter(recipient=other_citizen).count()

    services.merge_aspirations(actor=officer, duplicate=duplicate, into=main)

    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == main
    assert Follow.objects.filter(aspiration=main, user=other_citizen).exists()
    assert Notification.objects.filter(recipient=other_citizen).count() == before + 1


def test_question_answer_counts_as_first_response(city, kelurahan, category, citizen, officer):
    aspiration = submit(
        category,
        citizen,
        kind="question",
        title="Jadwal pengaspalan Jl. Melati?",
        text="Kapan jalan di RT 03 RW 02 akan diaspal ulang tahun ini?",
    )
    services.verify_aspiration(actor=officer, aspiration=aspiration)
    services.answer_aspiration(
        actor=officer, aspiration=aspiration, answer="Dijadwalkan bulan depan."
    )
    aspiration.refresh_from_db()
    assert aspiration.first_response_at is not None
    assert aspiration.events.filter(kind=EventKind.ANSWER, is_public=True).count() == 1


def test_internal_note_is_not_public(city, kelurahan, category, officer):
    aspiration = submit(category)
    services.add_internal_note(actor=officer, aspiration=aspiration, note="Cek anggaran dulu")
    assert aspiration.events.get(kind=EventKind.NOTE).is_public is False


def test_bulk_action_reports_done_and_failed(city, kelurahan, category, officer, other_agency):
    from terang.aspirations.models import Category

    foreign = Category.objects.create(code="sampah", name="Sampah", agency=other_agency)
    mine = submit(category)
    theirs = submit(foreign)
    result = services.bulk_action(actor=officer, aspirations=[mine, theirs], action="verify")
    assert result == {"done": [mine.code], "failed": [theirs.code]}
    assert Aspiration.objects.get(pk=theirs.pk).status == Status.SUBMITTED


def test_verifier_may_tighten_privacy_but_not_loosen_it(city, kelurahan, category, officer):
    aspiration = submit(category, privacy=Privacy.CONFIDENTIAL)
    with pytest.raises(ValidationFailed):
        services.verify_aspiration(actor=officer, aspiration=aspiration, privacy=Privacy.PUBLIC)
    assert Aspiration.objects.get(pk=aspiration.pk).status == Status.SUBMITTED
    public_one = submit(category)
    services.verify_aspiration(actor=officer, aspiration=public_one, privacy=Privacy.CONFIDENTIAL)
    assert Aspiration.objects.get(pk=public_one.pk).privacy == Privacy.CONFIDENTIAL


def test_officer_places_a_report_that_came_without_a_location(
    city, kelurahan, category, officer, other_officer
):
    from terang.aspirations.services import Location

    aspiration = submit(category, channel="whatsapp", location=Location(), location_required=False)
    assert aspiration.kelurahan is None
    with pytest.raises(PermissionDenied):
        services.place_aspiration(actor=other_officer, aspiration=aspiration, location=INSIDE_A)
    with pytest.raises(ValidationFailed):
        services.place_aspiration(actor=officer, aspiration=aspiration, location=OUTSIDE)
    assert Aspiration.objects.get(pk=aspiration.pk).latitude is None

    services.place_aspiration(actor=officer, aspiration=aspiration, location=INSIDE_A)

    aspiration.refresh_from_db()
    assert (aspiration.latitude, aspiration.kelurahan) == (INSIDE_A.latitude, kelurahan)
    note = aspiration.events.get(kind=EventKind.NOTE)
    assert note.reason_code == "placed" and not note.is_public
    assert "Kelurahan Melati" in note.display_reason


def test_system_reasons_are_translated_for_each_reader(city, kelurahan, category):
    from django.utils import translation

    aspiration = submit(category, channel="sms")
    event = aspiration.events.get()
    assert event.reason == "" and event.reason_code == "received"
    with translation.override("id"):
        assert event.display_reason == "Laporan diterima melalui kanal SMS."
    with translation.override("en"):
        assert event.display_reason == "Report received via the SMS channel."
