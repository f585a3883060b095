"""Public aspiration pages: report form, tracking, list, map, performance, template helpers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from terang.aspirations import services
from terang.aspirations.choices import Privacy
from terang.aspirations.models import Aspiration, AspirationPhoto, Category
from terang.aspirations.templatetags.aspirations_tags import decimal, percent, time_left
from terang.core.models import IdempotencyRecord

from .conftest import GUEST_CONTACT, INSIDE_A, image_upload

pytestmark = pytest.mark.django_db

SUBMIT_URL = "/lapor/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def form_data(chosen: Category, /, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "action": "submit",
        "kind": "complaint",
        "category": chosen.code,
        "title": "Jalan berlubang di depan sekolah",
        "text": "Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor.",
        "latitude": "-6.2",
        "longitude": "106.62",
        "address": "Jl. Melati No. 1",
        "privacy": "public",
        "reporter_name": "Siti Aminah",
        "reporter_contact": "siti@contoh.id",
        "share_contact_with_agency": "on",
        "idempotency_key": "kunci-uji-1-formulir",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(category, reporter=None, **kwargs) -> Aspiration:
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


def published(category, operator, **kwargs) -> Aspiration:
    """A verified (hence public, if its privacy allows) item, built through the services."""
    aspiration = submit(category, **kwargs)
    return services.verify_aspiration(actor=operator, aspiration=aspiration)


# --- Submit form ------------------------------------------------------------------------------


def test_submit_form_renders_grouped_categories_key_and_photo_input(client, city, agency):
    Category.objects.create(
        code="jalan-rusak", name="Jalan rusak", group="Infrastruktur", agency=agency
    )
    Category.objects.create(code="sampah", name="Sampah liar", group="Lingkungan", agency=agency)
    Category.objects.create(code="lama", name="Kategori lama", agency=agency, is_active=False)

    response = client.get(SUBMIT_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="Infrastruktur">' in html and '<optgroup label="Lingkungan">' in html
    assert "Kategori lama" not in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html and "multiple" in html
    assert 'name="idempotency_key"' in html
    assert "Izinkan OPD melihat kontak saya" in html
    assert 'name="reporter_contact"' in html


def test_logged_in_reporter_is_not_asked_for_name_and_contact(client, city, category, citizen):
    client.force_login(citizen)
    html = client.get(SUBMIT_URL).content.decode()
    assert 'name="reporter_name"' not in html and 'name="reporter_contact"' not in html
    assert 'name="share_contact_with_agency"' in html


def test_submit_with_photo_stores_it_without_exif_and_shows_tracking_code(
    client, city, kelurahan, category
):
    photo = image_upload("jalan.jpg", gps=True)
    assert Image.open(io.BytesIO(photo.read())).getexif()  # the upload does carry EXIF
    photo.seek(0)

    response = client.post(SUBMIT_URL, form_data(category, photos=[photo]))

    aspiration = Aspiration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/lapor/terkirim/{aspiration.code}/"
    assert (aspiration.title, aspiration.kelurahan, aspiration.reporter_name) == (
        "Jalan berlubang di depan sekolah",
        kelurahan,
        "Siti Aminah",
    )
    assert aspiration.share_contact_with_agency is True
    stored = AspirationPhoto.objects.get(aspiration=aspiration)
    with stored.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
    result = client.get(response["Location"])
    html = result.content.decode()
    assert aspiration.code in html
    assert f'href="/lacak/{aspiration.code}/"' in html


def test_double_submit_with_the_same_key_creates_one_report(client, city, kelurahan, category):
    first = client.post(SUBMIT_URL, form_data(category, photos=[image_upload("a.jpg")]))
    second = client.post(SUBMIT_URL, form_data(category, photos=[image_upload("a.jpg")]))

    assert Aspiration.objects.count() == 1
    assert AspirationPhoto.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert (
        IdempotencyRecord.objects.filter(
            scope="web:submit:guest", key="kunci-uji-1-formulir"
        ).count()
        == 1
    )


def test_same_key_with_other_content_is_refused_and_given_a_fresh_key(
    client, city, kelurahan, category
):
    client.post(SUBMIT_URL, form_data(category))
    response = client.post(SUBMIT_URL, form_data(category, title="Judul lain sama sekali"))

    assert response.status_code == 409
    assert Aspiration.objects.count() == 1
    html = response.content.decode()
    assert "sudah pernah dikirim" in html
    assert 'value="kunci-uji-1-formulir"' not in html


def _text_as_jpeg():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("foto.jpg", b"bukan gambar, hanya teks", content_type="image/jpeg")


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"photos": "text"}, "id_photos_error", "Berkas harus berupa foto JPEG, PNG, atau WebP."),
        ({"photos": "large"}, "id_photos_error", "Foto terlalu besar (maksimal 2 KB)."),
        (
            {"latitude": "-7.5", "longitude": "110.0"},
            "id_latitude_error",
            "Lokasi berada di luar wilayah kota.",
        ),
        ({"category": "tidak-ada"}, "id_category_error", "Kategori tidak dikenal."),
        ({"title": "Abc"}, "id_title_error", "Judul 5-200 karakter."),
    ],
    ids=["not-an-image", "too-large", "outside-city", "unknown-category", "short-title"],
)
def test_bad_input_is_shown_next_to_its_field_with_422_and_nothing_saved(
    client, settings, city, kelurahan, category, overrides, field_id, message
):
    settings.MAX_PHOTO_BYTES = 2000
    if overrides.get("photos") == "text":
        overrides = {"photos": [_text_as_jpeg()]}
    elif overrides.get("photos") == "large":
        overrides = {"photos": [image_upload("besar.jpg", size=(600, 600))]}
        assert overrides["photos"][0].size > settings.MAX_PHOTO_BYTES

    response = client.post(SUBMIT_URL, form_data(category, **overrides))

    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="{field_id}"' in html
    assert message in html
    assert f'aria-describedby="{field_id}"' in html or f'{field_id}"' in html
    assert "Jl. Melati No. 1" in html  # values are kept
    assert Aspiration.objects.count() == 0
    assert AspirationPhoto.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0


def test_photo_error_names_which_photo_failed(client, city, kelurahan, category):
    response = client.post(
        SUBMIT_URL, form_data(category, photos=[image_upload("ok.jpg"), _text_as_jpeg()])
    )
    assert response.status_code == 422
    assert "(foto ke-2)" in response.content.decode()
    assert Aspiration.objects.count() == 0


def test_guest_must_give_name_and_contact_unless_anonymous(client, city, kelurahan, category):
    response = client.post(SUBMIT_URL, form_data(category, reporter_name="", reporter_contact=""))
    assert response.status_code == 422
    assert 'id="id_reporter_contact_error"' in response.content.decode()
    assert Aspiration.objects.count() == 0

    response = client.post(
        SUBMIT_URL, form_data(category, reporter_name="", reporter_contact="", privacy="anonymous")
    )
    assert response.status_code == 302
    stored = Aspiration.objects.get()
    assert (stored.privacy, stored.reporter_name, stored.reporter_contact_encrypted) == (
        Privacy.ANONYMOUS,
        "",
        "",
    )


def test_guest_phone_contact_is_normalised(client, city, kelurahan, category):
    from terang.core.crypto import decrypt

    client.post(SUBMIT_URL, form_data(category, reporter_contact="0812-3456-7890"))
    assert decrypt(Aspiration.objects.get().reporter_contact_encrypted) == "+6281234567890"


def test_invalid_contact_is_refused(client, city, kelurahan, category):
    response = client.post(SUBMIT_URL, form_data(category, reporter_contact="12345"))
    assert response.status_code == 422
    assert "nomor ponsel Indonesia" in response.content.decode()
    assert Aspiration.objects.count() == 0


def test_logged_in_citizen_submits_as_themselves(client, city, kelurahan, category, citizen):
    client.force_login(citizen)
    data = form_data(category)
    del data["reporter_name"], data["reporter_contact"]
    response = client.post(SUBMIT_URL, data)
    assert response.status_code == 302
    assert Aspiration.objects.get().reporter == citizen


def test_check_step_lists_similar_open_reports_without_saving(
    client, city, kelurahan, category, operator
):
    existing = published(category, operator)
    data = form_data(category, action="check")

    response = client.post(SUBMIT_URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Laporan serupa di dekat Anda" in html
    assert f'href="/aspirasi/{existing.code}/"' in html
    assert 'value="Jalan berlubang di depan sekolah"' in html  # the form keeps its values
    assert Aspiration.objects.count() == 1


def test_check_step_without_a_point_explains_what_is_needed(client, city, category):
    response = client.post(
        SUBMIT_URL, form_data(category, action="check", latitude="", longitude="")
    )
    assert response.status_code == 200
    assert "isi lintang serta bujur" in response.content.decode()
    assert Aspiration.objects.count() == 0


# --- Tracking --------------------------------------------------------------------------------


def test_track_lookup_redirects_to_the_code(client):
    response = client.get("/lacak/", {"code": " asp-abcdefgh "})
    assert response.status_code == 302 and response["Location"] == "/lacak/ASP-ABCDEFGH/"


def test_track_lookup_without_a_code_asks_for_one(client, city):
    response = client.get("/lacak/", {"code": ""})
    assert response.status_code == 422
    assert 'id="id_code_error"' in response.content.decode()
    assert client.get("/lacak/").status_code == 200


def test_unknown_code_is_a_404_page(client, city):
    response = client.get("/lacak/ASP-TIDAKADA/")
    assert response.status_code == 404
    assert "Data tidak ditemukan." in response.content.decode()


def test_tracking_shows_public_item_with_timeline_and_deadline(
    client, city, kelurahan, category, operator
):
    aspiration = published(category, operator)
    html = client.get(f"/lacak/{aspiration.code}/").content.decode()
    assert "Jalan berlubang di depan sekolah" in html
    assert "Lubang besar di Jl. Melati" in html
    assert "Terverifikasi" in html and "Didisposisikan" in html
    assert "Dinas PUPR" in html
    assert 'class="time-left' in html


@pytest.mark.parametrize("viewer", ["anonymous", "other_citizen", "officer_elsewhere"])
def test_tracking_hides_confidential_content_from_strangers(
    client, city, kelurahan, category, citizen, other_citizen, other_officer, viewer
):
    from .conftest import login_staff

    aspiration = submit(
        category,
        citizen,
        privacy=Privacy.CONFIDENTIAL,
        title="Pungutan liar di kantor kelurahan",
        text="Petugas meminta uang tambahan saat mengurus surat pindah.",
    )
    if viewer == "other_citizen":
        client.force_login(other_citizen)
    elif viewer == "officer_elsewhere":
        login_staff(client, other_officer)

    response = client.get(f"/lacak/{aspiration.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Diterima" in html
    assert "Pungutan liar" not in html and "uang tambahan" not in html
    assert "Jl. Melati" not in html
    assert "bersifat rahasia" in html


def test_tracking_shows_confidential_content_to_its_reporter(
    client, city, kelurahan, category, citizen
):
    aspiration = submit(
        category,
        citizen,
        privacy=Privacy.CONFIDENTIAL,
        title="Pungutan liar di kantor kelurahan",
        text="Petugas meminta uang tambahan saat mengurus surat pindah.",
    )
    client.force_login(citizen)
    html = client.get(f"/lacak/{aspiration.code}/").content.decode()
    assert "Pungutan liar" in html and "uang tambahan" in html


def test_public_detail_is_404_for_unverified_or_confidential(
    client, city, kelurahan, category, operator
):
    unverified = submit(category)
    confidential = published(category, operator, privacy=Privacy.CONFIDENTIAL)
    assert client.get(f"/aspirasi/{unverified.code}/").status_code == 404
    assert client.get(f"/aspirasi/{confidential.code}/").status_code == 404


def test_tracking_masks_personal_data_for_the_public(client, city, kelurahan, category, operator):
    aspiration = published(
        category,
        operator,
        reporter_name="Budi Santoso",
        text="Saya Budi Santoso, hubungi 0812-3456-7890 atau budi@contoh.id.",
    )
    html = client.get(f"/aspirasi/{aspiration.code}/").content.decode()
    assert "0812-3456-7890" not in html and "budi@contoh.id" not in html
    assert "Santoso" not in html
    assert "[disamarkan]" in html


# --- Public list -----------------------------------------------------------------------------


def test_list_shows_public_items_masked_and_hides_others(
    client, city, kelurahan, category, operator
):
    shown = published(
        category,
        operator,
        title="Lampu mati, telepon 081234567890",
        text="NIK saya 3671012345678901, email warga@contoh.id, lampu jalan mati seminggu.",
    )
    hidden_confidential = published(
        category, operator, privacy=Privacy.CONFIDENTIAL, title="Rahasia sekali laporannya"
    )
    hidden_unverified = submit(category, title="Belum diverifikasi sama sekali")

    html = client.get("/aspirasi/").content.decode()

    assert f"/aspirasi/{shown.code}/" in html
    assert "Lampu mati, telepon [disamarkan]" in html
    assert "081234567890" not in html
    assert "3671012345678901" not in html and "warga@contoh.id" not in html
    assert hidden_confidential.code not in html and "Rahasia sekali" not in html
    assert hidden_unverified.code not in html and "Belum diverifikasi" not in html


def test_list_filters_by_category_kelurahan_status_and_words(
    client, city, kelurahan, kelurahan_b, agency, category, operator, officer
):
    other_category = Category.objects.create(code="sampah", name="Sampah", agency=agency)
    pothole = published(category, operator)
    rubbish = published(
        other_category,
        operator,
        title="Sampah menumpuk di pasar",
        text="Sampah tidak diangkut sejak minggu lalu dan berbau.",
    )
    services.start_progress(actor=officer, aspiration=rubbish)
    services.resolve_aspiration(
        actor=officer, aspiration=rubbish, answer="Sampah sudah diangkut hari ini."
    )
    in_b = published(
        category,
        operator,
        title="Trotoar rusak di Mawar",
        location=services.Location(latitude=-6.2, longitude=106.68),
    )

    def codes(**params):
        html = client.get("/aspirasi/", params).content.decode()
        return {a.code for a in (pothole, rubbish, in_b) if f"/aspirasi/{a.code}/" in html}

    assert codes() == {pothole.code, rubbish.code, in_b.code}
    assert codes(category="sampah") == {rubbish.code}
    assert codes(kelurahan=kelurahan_b.code) == {in_b.code}
    assert codes(status="open") == {pothole.code, in_b.code}
    assert codes(status="resolved") == {rubbish.code}
    assert codes(q="trotoar") == {in_b.code}
    assert codes(agency="PUPR", status="open", kelurahan=kelurahan.code) == {pothole.code}
    today = timezone.localdate()
    assert codes(since=str(today + dt.timedelta(days=1))) == set()
    assert codes(until=str(today)) == {pothole.code, rubbish.code, in_b.code}


def test_list_open_items_show_time_left(client, city, kelurahan, category, operator):
    published(category, operator)
    html = client.get("/aspirasi/").content.decode()
    assert 'class="time-left' in html and " lagi</time>" in html


def test_list_pages_with_a_cursor(client, city, kelurahan, category, operator):
    items = [published(category, operator, title=f"Laporan nomor {n:02d} jalan") for n in range(23)]
    newest_first = list(reversed(items))

    first = client.get("/aspirasi/", {"category": category.code})
    html = first.content.decode()
    assert [a.code for a in newest_first if f"/aspirasi/{a.code}/" in html] == [
        a.code for a in newest_first[:20]
    ]
    next_url = first.context["next_url"]
    assert "Berikutnya" in html and "cursor=" in next_url and "category=jalan-rusak" in next_url

    second = client.get(next_url)
    html = second.content.decode()
    assert [a.code for a in newest_first if f"/aspirasi/{a.code}/" in html] == [
        a.code for a in newest_first[20:]
    ]
    assert second.context["next_url"] is None
    assert "Berikutnya" not in html


def test_list_with_a_broken_cursor_shows_an_error(client, city):
    response = client.get("/aspirasi/", {"cursor": "bukan-kursor"})
    assert response.status_code == 422
    assert "Kursor halaman tidak valid." in response.content.decode()


def test_list_query_count_does_not_grow_with_items(
    client, city, kelurahan, category, operator, django_assert_max_num_queries
):
    for n in range(3):
        published(category, operator, title=f"Laporan awal {n} jalan")
    client.get("/aspirasi/")  # warm the city cache like any running site
    with django_assert_max_num_queries(5):
        client.get("/aspirasi/")
    for n in range(15):
        published(category, operator, title=f"Laporan tambahan {n} jalan")
    with django_assert_max_num_queries(5):
        response = client.get("/aspirasi/")
    assert len(response.context["rows"]) == 18


# --- Map and GeoJSON -------------------------------------------------------------------------


def test_map_page_works_without_javascript(client, city):
    html = client.get("/aspirasi/peta/", {"category": "jalan-rusak"}).content.decode()
    assert "<noscript>" in html and "Peta memerlukan JavaScript" in html
    assert 'href="/aspirasi/?category=jalan-rusak"' in html
    assert 'data-geojson="/aspirasi/peta.geojson?category=jalan-rusak"' in html
    assert "vendor/leaflet/leaflet.js" in html


def test_geojson_has_masked_public_points_and_honours_filters(
    client, city, kelurahan, category, operator
):
    point = published(category, operator, title="Banjir, hubungi 081234567890")
    published(
        category,
        operator,
        title="Tanpa titik koordinat",
        location=services.Location(address="Jl. Kenanga 3"),
    )
    published(category, operator, privacy=Privacy.CONFIDENTIAL, title="Rahasia di peta")

    data = json.loads(client.get("/aspirasi/peta.geojson").content)

    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.62, -6.2]}
    assert feature["properties"]["code"] == point.code
    assert feature["properties"]["title"] == "Banjir, hubungi [disamarkan]"
    assert feature["properties"]["url"] == f"/aspirasi/{point.code}/"
    filtered = json.loads(client.get("/aspirasi/peta.geojson", {"status": "closed"}).content)
    assert filtered["features"] == []


# --- Performance -----------------------------------------------------------------------------


def _resolved_and_rated(category, operator, officer, reporter):
    aspiration = published(category, operator, reporter=reporter)
    services.start_progress(actor=officer, aspiration=aspiration)
    services.resolve_aspiration(
        actor=officer, aspiration=aspiration, answer="Lubang sudah ditambal."
    )
    services.rate_aspiration(actor=reporter, aspiration=aspiration, rating=4)
    return aspiration


def test_performance_table_is_accessible(
    client, city, kelurahan, category, operator, officer, citizen
):
    _resolved_and_rated(category, operator, officer, citizen)
    published(category, operator)

    html = client.get("/kinerja/").content.decode()

    assert "<caption>" in html
    assert '<th scope="col">' in html and '<th scope="row">Dinas PUPR</th>' in html
    assert "<td>2</td>" in html  # received
    assert "<td>100,0%</td>" in html  # resolved within the deadline
    assert "<td>0,0%</td>" in html  # reopened
    assert "4,00" in html  # average rating, Indonesian decimal comma


def test_performance_csv_export(client, city, kelurahan, category, operator, officer, citizen):
    _resolved_and_rated(category, operator, officer, citizen)
    published(category, operator)

    response = client.get("/kinerja.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == [
        "agency_code",
        "agency_name",
        "received",
        "resolved",
        "median_first_response_hours",
        "median_resolution_hours",
        "within_deadline_share",
        "average_rating",
        "reopened_share",
        "ping_pong",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["agency_code"], row["agency_name"], row["received"], row["resolved"]) == (
        "PUPR",
        "Dinas PUPR",
        "2",
        "1",
    )
    assert (
        row["within_deadline_share"],
        row["average_rating"],
        row["reopened_share"],
        row["ping_pong"],
    ) == ("1.0", "4.0", "0.0", "0")


def test_performance_period_filter_and_json(client, city, kelurahan, category, operator):
    published(category, operator)
    today = timezone.localdate()
    data = json.loads(client.get("/kinerja.json").content)
    assert [a["agency_code"] for a in data["agencies"]] == ["PUPR"]
    later = json.loads(
        client.get("/kinerja.json", {"since": str(today + dt.timedelta(days=1))}).content
    )
    assert later["agencies"] == []
    bad = client.get("/kinerja/", {"since": "2026-02-01", "until": "2026-01-01"})
    assert bad.status_code == 422
    assert "Tanggal akhir harus sesudah tanggal awal." in bad.content.decode()


# --- Home and navigation ---------------------------------------------------------------------


def test_home_links_everything_and_lists_latest_public_items(
    client, city, kelurahan, category, operator
):
    public = published(category, operator, title="Pohon tumbang, hubungi 081234567890")
    secret = published(category, operator, privacy=Privacy.CONFIDENTIAL, title="Rahasia kota")

    html = client.get("/").content.decode()

    for href in (
        'href="/lapor/"',
        'action="/lacak/"',
        'href="/aspirasi/"',
        'href="/aspirasi/peta/"',
        'href="/kinerja/"',
        'href="/akun/daftar/"',
    ):
        assert href in html
    assert f"/aspirasi/{public.code}/" in html and "Pohon tumbang, hubungi [disamarkan]" in html
    assert secret.code not in html
    assert 'href="/staf/"' not in html and 'href="/saya/laporan/"' not in html


def test_nav_for_citizens_and_staff(client, city, citizen, operator):
    from .conftest import login_staff

    client.force_login(citizen)
    html = client.get("/").content.decode()
    assert 'href="/saya/laporan/"' in html and 'href="/wilayah/langganan/"' in html
    assert 'href="/staf/"' not in html
    login_staff(client, operator)
    assert 'href="/staf/"' in client.get("/").content.decode()


# --- Template helpers ------------------------------------------------------------------------


NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("delta", "text", "css"),
    [
        (dt.timedelta(days=3, hours=4, minutes=20), "3 hari 4 jam lagi", ""),
        (dt.timedelta(days=3), "3 hari lagi", ""),
        (dt.timedelta(hours=5, minutes=10), "5 jam 10 menit lagi", "soon"),
        (dt.timedelta(seconds=20), "kurang dari 1 menit lagi", "soon"),
        (-dt.timedelta(days=2), "terlambat 2 hari", "late"),
        (-dt.timedelta(days=2, hours=3), "terlambat 2 hari 3 jam", "late"),
        (-dt.timedelta(minutes=7), "terlambat 7 menit", "late"),
    ],
)
def test_time_left_filter(delta, text, css):
    html = str(time_left(NOW + delta, NOW))
    assert f">{text}</time>" in html
    assert f'class="time-left{" " + css if css else ""}"' in html


def test_time_left_without_deadline_is_empty():
    assert time_left(None) == ""
    rendered = Template("{% load aspirations_tags %}[{{ d|time_left }}]").render(
        Context({"d": None})
    )
    assert rendered == "[]"


def test_number_filters_use_indonesian_format():
    assert percent(0.875) == "87,5%"
    assert percent(None) == "–"
    assert decimal(1234.5) == "1.234,5"
    assert decimal(4, 2) == "4,00"


def test_reverse_names_exist():
    for name in (
        "submit",
        "track_lookup",
        "list",
        "map",
        "map_geojson",
        "performance",
        "performance_csv",
        "performance_json",
        "my_reports",
        "subscriptions",
    ):
        assert reverse(f"aspirations:{name}")
    assert reverse("aspirations:track", kwargs={"code": "ASP-X"}) == "/lacak/ASP-X/"
