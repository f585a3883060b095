"""The staff inbox and its bulk actions.

Inbox order and paging: by the deadline of the stage each item is in now, the most overdue
first (`selectors.inbox_for`); each row names that stage. Pages of 50 follow each other by
keyset cursors (`?after=` / `?before=`, plain links that work without JavaScript), so no
OFFSET is ever issued and no item is skipped or repeated while the inbox changes.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from terang.core.errors import DomainError
from terang.core.models import User

from ... import selectors, services
from ...models import STAGE_RESOLUTION, STAGE_RESPONSE, STAGE_VERIFY
from ...permissions import AGENCY_ACTORS, CITY_WIDE_ACTORS
from ...staff_forms import BulkActionForm, InboxFilterForm
from .access import staff_required, staff_user

INBOX_LIMIT = 50
CURSOR_KEYS = ("after", "before")
STAGES = {
    STAGE_VERIFY: _("Verifikasi"),
    STAGE_RESPONSE: _("Tanggapan pertama"),
    STAGE_RESOLUTION: _("Penyelesaian"),
}


def _filters(form: InboxFilterForm) -> selectors.AspirationFilters:
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    category, kelurahan = data.get("category"), data.get("kelurahan")
    return selectors.AspirationFilters(
        status=data.get("status") or None,
        category=category.code if category else None,
        kelurahan=kelurahan.code if kelurahan else None,
        ping_pong=True if data.get("ping_pong") else None,
        breached=True if data.get("breached") else None,
        q=data.get("q") or None,
    )


def _can_act_somewhere(user: User) -> bool:
    return user.role in CITY_WIDE_ACTORS or (user.role in AGENCY_ACTORS and bool(user.agency_id))


@staff_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = InboxFilterForm(request.GET, categories=selectors.inbox_categories(user))
    filters = _filters(form)
    page = selectors.inbox_page(
        user,
        filters,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=INBOX_LIMIT,
    )
    paged = page.next_cursor is not None or page.previous_cursor is not None
    total = selectors.inbox_for(user, filters).count() if paged else len(page.items)
    rows = [
        (item, selectors.running_deadline(item), STAGES.get(item.current_stage, ""))  # type: ignore[attr-defined]
        for item in page.items
    ]
    kept = _kept_filters(request.GET)
    return render(
        request,
        "aspirations/staff/inbox.html",
        {
            "filter_form": form,
            "rows": rows,
            "total": total,
            "limit": INBOX_LIMIT,
            "next_url": _page_url(kept, after=page.next_cursor),
            "previous_url": _page_url(kept, before=page.previous_cursor),
            "first_url": _first_url(kept) if _has_cursor(request.GET) else "",
            "bulk_form": BulkActionForm() if _can_act_somewhere(user) else None,
            "query": request.GET.urlencode(),
        },
    )


def _kept_filters(query: QueryDict) -> dict[str, str]:
    """The known filter keys of `query` that carry a value (nothing else survives a link)."""
    return {name: str(query[name]) for name in InboxFilterForm.base_fields if query.get(name)}


def _has_cursor(query: QueryDict) -> bool:
    return any(query.get(name) for name in CURSOR_KEYS)


def _first_url(kept: dict[str, str]) -> str:
    url = reverse("aspirations:staff_inbox")
    return f"{url}?{urlencode(kept)}" if kept else url


def _page_url(kept: dict[str, str], **cursor: str | None) -> str:
    """The inbox with the same filters at another page; "" when there is no such page."""
    name, value = next(iter(cursor.items()))
    if not value:
        return ""
    return f"{reverse('aspirations:staff_inbox')}?{urlencode({**kept, name: value})}"


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Apply one action to the ticked items; each item succeeds or fails on its own."""
    user = staff_user(request)
    target = _inbox_url(request.POST.get("query", ""))
    form = BulkActionForm(request.POST)
    codes = [code.strip().upper() for code in request.POST.getlist("codes")][:INBOX_LIMIT]
    if not codes:
        messages.error(request, _("Pilih minimal satu laporan."))
        return redirect(target)
    if not form.is_valid():
        messages.error(request, _("Pilih aksi massal yang valid."))
        return redirect(target)
    found = {
        item.code: item for item in selectors.aspirations_visible_to(user).filter(code__in=codes)
    }
    try:
        result = services.bulk_action(
            actor=user,
            aspirations=[found[code] for code in codes if code in found],
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(target)
    failed = result["failed"] + [code for code in codes if code not in found]
    if result["done"]:
        messages.success(
            request,
            _("Berhasil (%(n)d): %(codes)s")
            % {"n": len(result["done"]), "codes": ", ".join(result["done"])},
        )
    if failed:
        messages.warning(
            request, _("Gagal (%(n)d): %(codes)s") % {"n": len(failed), "codes": ", ".join(failed)}
        )
    return redirect(target)


def _inbox_url(raw_query: str) -> str:
    """Back to the inbox with the same filters and page; only known keys survive."""
    query = QueryDict(raw_query[:1000])
    kept = _kept_filters(query)
    kept.update({name: str(query[name]) for name in CURSOR_KEYS if query.get(name)})
    return _first_url(kept)
