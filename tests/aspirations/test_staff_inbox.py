"""The staff inbox through HTTP: ordered by the deadline each row shows (the current stage's),
keyset pages of 50, category filters scoped to the reader's agency."""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from terang.aspirations import selectors, services
from terang.aspirations.choices import Status
from terang.aspirations.models import Aspiration, Category
from terang.core.choices import Role
from terang.core.models import Agency, User
from tests.factories import DEFAULT_PASSWORD, UserFactory, make_staff, totp_device

from .conftest import login_staff

pytestmark = pytest.mark.django_db

INBOX = reverse("aspirations:staff_inbox")
DAY = dt.timedelta(days=1)
# Future deadlines get half an hour more so "sisa 8 hari" still reads 8 days at render time.
SLACK = dt.timedelta(minutes=30)


def make_row(category: Category, *, status: str = Status.DISPOSITIONED, **fields) -> Aspiration:
    """A plain inbox row with the deadline fields given (a factory row, no workflow)."""
    now = timezone.now()
    return Aspiration.objects.create(
        code=secrets.token_hex(5).upper(),
        title=fields.pop("title", "Laporan uji"),
        text="Isi laporan uji.",
        category=category,
        agency=fields.pop("agency", category.agency),
        status=status,
        created_at=fields.pop("created_at", now - 10 * DAY),
        updated_at=now,
        **fields,
    )


def codes_in(page: str, rows: list[Aspiration]) -> list[str]:
    """The codes of `rows` in the order the page lists them."""
    wanted = {row.code for row in rows}
    found = re.findall(r'name="codes" value="([0-9A-F]+)"', page)
    return [code for code in found if code in wanted]


def row_html(page: str, code: str) -> str:
    start = page.index(f'value="{code}"')
    return page[start : page.index("</tr>", start)]


def link(page: str, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(match.group(1)) if match else None


# 1. Order: the deadline the row shows, late first ---------------------------------------------


def test_inbox_orders_by_the_deadline_of_the_current_stage_and_names_it(client, officer, category):
    now = timezone.now()
    awaiting_answer = make_row(  # answer 3 days late, while the resolution is 8.5 days away
        category,
        first_response_at=None,
        response_due_at=now - 3 * DAY,
        resolution_due_at=now + 8 * DAY + 12 * dt.timedelta(hours=1),
    )
    eight = make_row(
        category,
        status=Status.IN_PROGRESS,
        first_response_at=now - 2 * DAY,
        response_due_at=now - 9 * DAY,
        resolution_due_at=now + 8 * DAY + SLACK,
    )
    nine = make_row(
        category,
        status=Status.IN_PROGRESS,
        first_response_at=now - 2 * DAY,
        resolution_due_at=now + 9 * DAY + SLACK,
    )
    unverified_late = make_row(category, status=Status.SUBMITTED, verify_due_at=now - 5 * DAY)
    unverified = make_row(
        category,
        status=Status.SUBMITTED,
        verify_due_at=now + DAY + SLACK,
        resolution_due_at=now - 30 * DAY,  # not this stage's: must not pull it forward
    )
    no_deadline = make_row(category)
    login_staff(client, officer)

    page = client.get(INBOX).content.decode()

    rows = [awaiting_answer, eight, nine, unverified_late, unverified, no_deadline]
    assert codes_in(page, rows) == [
        unverified_late.code,
        awaiting_answer.code,
        unverified.code,
        eight.code,
        nine.code,
        no_deadline.code,
    ]
    assert "Verifikasi" in row_html(page, unverified_late.code)
    assert "terlambat 5 hari" in row_html(page, unverified_late.code)
    assert "Tanggapan pertama" in row_html(page, awaiting_answer.code)
    assert "terlambat 3 hari" in row_html(page, awaiting_answer.code)
    assert "sisa 1 hari" in row_html(page, unverified.code)
    assert "Penyelesaian" in row_html(page, eight.code)
    assert "sisa 8 hari" in row_html(page, eight.code)
    assert "sisa 9 hari" in row_html(page, nine.code)
    assert "Tidak ada tenggat berjalan" in row_html(page, no_deadline.code)


def test_inbox_late_rows_come_first_the_latest_of_them_on_top(client, operator, category):
    now = timezone.now()
    one_hour_late = make_row(category, response_due_at=now - dt.timedelta(hours=1))
    two_days_late = make_row(
        category,
        status=Status.IN_PROGRESS,
        first_response_at=now - 5 * DAY,
        resolution_due_at=now - 2 * DAY,
    )
    soon = make_row(category, status=Status.SUBMITTED, verify_due_at=now + dt.timedelta(hours=2))
    login_staff(client, operator)

    page = client.get(INBOX).content.decode()

    rows = [one_hour_late, two_days_late, soon]
    assert codes_in(page, rows) == [two_days_late.code, one_hour_late.code, soon.code]
    assert "terlambat 1 jam" in row_html(page, one_hour_late.code)


@pytest.mark.postgres
def test_inbox_query_reads_the_deadline_index_in_order(officer, operator, category):
    """The query spells the indexed expression: with sorting and scans without an index
    priced out, PostgreSQL walks an `asp_inbox_due*` index in order and sorts nothing (which
    of the two it picks on a tiny table is its choice)."""
    for _ in range(2):
        make_row(category, response_due_at=timezone.now())
    for user in (officer, operator):
        first = selectors.inbox_for(user)[:51]
        cursor = selectors.inbox_page(user, size=1).next_cursor
        later = selectors.inbox_for(user)
        for plan in (_plan(first), _plan(_after_query(later, cursor))):
            assert "Index Scan using asp_inbox_due" in plan, plan
            assert "Sort" not in plan


def _after_query(queryset, cursor):
    from terang.core.pagination import decode_cursor

    due, pk = decode_cursor(cursor)
    return queryset.filter(current_due_at__gte=due).filter(
        Q(current_due_at__gt=due) | Q(current_due_at=due, id__gt=pk)
    )[:51]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


# 2. Keyset pages --------------------------------------------------------------------------


@pytest.fixture
def hundred_twenty(category) -> list[Aspiration]:
    """120 rows over 40 deadlines (three share each), a few late, five with none."""
    now = timezone.now()
    rows = []
    for n in range(115):
        rows.append(make_row(category, response_due_at=now + (n // 3 - 5) * dt.timedelta(hours=7)))
    rows += [make_row(category) for _ in range(5)]
    return rows


def _expected_order(rows: list[Aspiration]) -> list[str]:
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    ordered = sorted(rows, key=lambda row: (row.response_due_at or far, row.pk))
    return [row.code for row in ordered]


def test_inbox_pages_walk_every_report_once_in_order_and_back(client, officer, hundred_twenty):
    login_staff(client, officer)

    pages, url = [], INBOX
    while url:
        page = client.get(url).content.decode()
        pages.append(codes_in(page, hundred_twenty))
        url = link(page, "next")
    backwards, url = [], link(page, "prev")
    while url:
        page = client.get(url).content.decode()
        backwards.insert(0, codes_in(page, hundred_twenty))
        url = link(page, "prev")

    assert [len(codes) for codes in pages] == [50, 50, 20]
    assert [code for codes in pages for code in codes] == _expected_order(hundred_twenty)
    assert backwards == pages[:2]
    assert "120 laporan terbuka; halaman ini menampilkan 50" in client.get(INBOX).content.decode()


def test_inbox_next_page_neither_skips_nor_repeats_when_rows_change(
    client, officer, category, hundred_twenty
):
    login_staff(client, officer)
    first = client.get(INBOX).content.decode()
    seen = codes_in(first, hundred_twenty)
    # Meanwhile a colleague resolves a row already read and a late report arrives.
    Aspiration.objects.filter(code=seen[3]).update(status=Status.RESOLVED)
    newcomer = make_row(category, response_due_at=timezone.now() - 30 * DAY)

    second = client.get(link(first, "next")).content.decode()

    expected = _expected_order(hundred_twenty)
    assert codes_in(second, hundred_twenty) == expected[50:100]
    assert newcomer.code not in second
    assert newcomer.code in client.get(INBOX).content.decode()


def test_inbox_pages_keep_the_filters(client, officer, category, hundred_twenty):
    Aspiration.objects.filter(pk__in=[row.pk for row in hundred_twenty[::2]]).update(
        status=Status.IN_PROGRESS
    )
    login_staff(client, officer)

    first = client.get(INBOX, {"status": Status.IN_PROGRESS}).content.decode()
    second = client.get(link(first, "next")).content.decode()

    assert "status=in_progress" in link(first, "next")
    assert len(codes_in(first, hundred_twenty)) == 50
    assert len(codes_in(second, hundred_twenty)) == 10
    assert link(second, "next") is None


def test_inbox_with_a_broken_cursor_shows_the_first_page(client, officer, hundred_twenty):
    login_staff(client, officer)

    response = client.get(INBOX, {"after": "not-a-cursor", "before": "%%%"})

    assert response.status_code == 200
    assert (
        codes_in(response.content.decode(), hundred_twenty) == _expected_order(hundred_twenty)[:50]
    )


# 3. Category filter scoped to the agency ---------------------------------------------------


@pytest.fixture
def foreign_category(other_agency: Agency) -> Category:
    return Category.objects.create(
        code="sampah-liar", name="Tumpukan sampah liar", agency=other_agency
    )


def test_officer_category_filter_lists_only_the_own_agency(
    client, officer, category, foreign_category
):
    login_staff(client, officer)

    page = client.get(INBOX).content.decode()

    assert f'value="{category.code}"' in page
    assert f'value="{foreign_category.code}"' not in page
    assert foreign_category.name not in page


@pytest.mark.parametrize("who", ["operator", "inspector"])
def test_city_wide_category_filter_lists_every_agency(
    client, request, who, category, foreign_category
):
    login_staff(client, request.getfixturevalue(who))

    page = client.get(INBOX).content.decode()

    assert f'value="{category.code}"' in page and f'value="{foreign_category.code}"' in page


def test_crafted_foreign_category_shows_nothing_of_that_agency(
    client, officer, category, foreign_category
):
    own = make_row(category, response_due_at=timezone.now() + DAY)
    foreign = make_row(foreign_category, response_due_at=timezone.now() + DAY)
    login_staff(client, officer)

    page = client.get(INBOX, {"category": foreign_category.code}).content.decode()

    assert foreign.code not in page
    assert foreign_category.name not in page
    assert own.code in page  # the refused filter is ignored, as the page says
    assert "Sebagian saringan tidak valid dan diabaikan." in page


def test_agency_head_category_filter_lists_only_the_own_agency(
    client, agency_head: User, category, foreign_category
):
    login_staff(client, agency_head)

    page = client.get(INBOX).content.decode()

    assert f'value="{category.code}"' in page
    assert f'value="{foreign_category.code}"' not in page


# 4. Where staff land after signing in ----------------------------------------------------

TWO_FACTOR = reverse("core:two_factor")


def _code(user: User) -> str:
    device = totp_device(user)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AGENCY_HEAD, Role.OPERATOR, Role.ADMIN])
def test_staff_land_on_the_inbox_after_sign_in_and_two_factor(client, role):
    staff = make_staff(role)

    signed_in = client.post(
        reverse("core:login"), {"username": staff.username, "password": DEFAULT_PASSWORD}
    )
    verified = client.post(TWO_FACTOR, {"code": _code(staff)})

    assert signed_in["Location"] == TWO_FACTOR
    assert verified.status_code == 302 and verified["Location"] == INBOX
    assert client.get(TWO_FACTOR)["Location"] == INBOX  # already verified: same landing


def test_a_safe_next_still_wins_over_the_inbox(client):
    staff = make_staff(Role.OFFICER)

    wanted = reverse("aspirations:staff_detail", args=["ABC123"])

    signed_in = client.post(
        f"{reverse('core:login')}?next={wanted}",
        {"username": staff.username, "password": DEFAULT_PASSWORD, "next": wanted},
    )
    verified = client.post(TWO_FACTOR, {"code": _code(staff), "next": wanted})

    assert signed_in["Location"].startswith(TWO_FACTOR + "?next=")
    assert verified["Location"] == wanted


def test_citizens_still_land_on_the_home_page(client):
    citizen = UserFactory()

    response = client.post(
        reverse("core:login"), {"username": citizen.username, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302 and response["Location"] == reverse("core:home")


# 5. Actions that take the item out of the officer's reach --------------------------------


@pytest.fixture
def routed_item(category, operator) -> Aspiration:
    from .test_staff_pages import submit

    return services.verify_aspiration(actor=operator, aspiration=submit(category))


def test_redisposition_away_returns_the_officer_to_the_inbox_with_a_confirmation(
    client, officer, routed_item, other_agency
):
    login_staff(client, officer)

    response = client.post(
        reverse("aspirations:staff_redisposition", args=[routed_item.code]),
        {
            "redisposition-agency": other_agency.pk,
            "redisposition-reason": "Saluran air kewenangan DLH.",
        },
        follow=True,
    )

    assert response.redirect_chain == [(INBOX, 302)]
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Laporan {routed_item.code} didisposisikan ke {other_agency.name}" in page
    assert routed_item.code in page  # named in the message, no longer a row
    assert f'value="{routed_item.code}"' not in page
    assert Aspiration.objects.get(pk=routed_item.pk).agency == other_agency


def test_redisposition_by_the_control_room_stays_on_the_detail_page(
    client, operator, routed_item, other_agency
):
    login_staff(client, operator)

    response = client.post(
        reverse("aspirations:staff_redisposition", args=[routed_item.code]),
        {
            "redisposition-agency": other_agency.pk,
            "redisposition-reason": "Saluran air kewenangan DLH.",
        },
    )

    assert response["Location"] == reverse("aspirations:staff_detail", args=[routed_item.code])


def test_officer_merging_a_report_into_one_stays_where_they_can_see(
    client, officer, category, routed_item
):
    from .test_staff_pages import submit

    duplicate = services.verify_aspiration(actor=officer, aspiration=submit(category))
    login_staff(client, officer)

    response = client.post(
        reverse("aspirations:staff_merge", args=[duplicate.code]),
        {"merge-into": routed_item.code, "merge-reason": "Laporan yang sama."},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "aspirations:staff_detail", args=[routed_item.code]
    )


def test_api_inbox_lists_in_the_same_order_as_the_page(client, officer, category):
    now = timezone.now()
    late_answer = make_row(category, response_due_at=now - 3 * DAY, resolution_due_at=now + 9 * DAY)
    sooner = make_row(
        category,
        status=Status.IN_PROGRESS,
        first_response_at=now,
        resolution_due_at=now + 2 * DAY,
    )
    login_staff(client, officer)

    data = client.get("/api/v1/staff/inbox").json()

    assert [item["code"] for item in data["items"]] == [late_answer.code, sooner.code]
    assert data["items"][0]["seconds_left"] < 0
