"""The staff inbox and its bulk actions.

Inbox paging: the inbox shows the 50 most urgent items for the chosen filters (the selector's
deadline order) and says how many match in total; staff narrow the list with filters instead
of paging deep. No OFFSET is ever issued.
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
from ...permissions import AGENCY_ACTORS, CITY_WIDE_ACTORS
from ...staff_forms import BulkActionForm, InboxFilterForm
from .access import staff_required, staff_user

INBOX_LIMIT = 50


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
    form = InboxFilterForm(request.GET)
    queryset = selectors.inbox_for(user, _filters(form))
    items = list(queryset[:INBOX_LIMIT])
    total = queryset.count() if len(items) == INBOX_LIMIT else len(items)
    rows = [(item, selectors.next_deadline(item)) for item in items]
    return render(
        request,
        "aspirations/staff/inbox.html",
        {
            "filter_form": form,
            "rows": rows,
            "total": total,
            "limit": INBOX_LIMIT,
            "bulk_form": BulkActionForm() if _can_act_somewhere(user) else None,
            "query": request.GET.urlencode(),
        },
    )


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
    """Back to the inbox with the same filters; only known filter keys survive."""
    query = QueryDict(raw_query[:1000])
    kept = {name: query[name] for name in InboxFilterForm.base_fields if query.get(name)}
    url = reverse("aspirations:staff_inbox")
    return f"{url}?{urlencode(kept)}" if kept else url
