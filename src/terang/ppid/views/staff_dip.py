"""The PPID keeps the DIP under /staf/ppid/dip/: every entry (drafts included), the entry form
with the columns of the SLIP Perki, and document uploads whose text becomes searchable."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terang.core.errors import DomainError, NotFound
from terang.core.files import file_url
from terang.core.models import User
from terang.core.views.access import staff_required

from .. import selectors, services
from ..forms import DipDocumentForm, DipEntryForm, DipFilterForm, place_domain_error
from ..models import DipEntry
from ..permissions import is_ppid_staff


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def ppid_staff_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """PPID staff only (403 for other staff)."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not is_ppid_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _entry(request: HttpRequest, pk: int) -> DipEntry:
    try:
        return selectors.get_entry_for_staff(user=_user(request), pk=pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


@ppid_staff_required
@require_GET
def entries(request: HttpRequest) -> HttpResponse:
    form = DipFilterForm(request.GET or None)
    filters = selectors.DipFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.DipFilters(
            q=form.cleaned_data.get("q") or None, category=form.cleaned_data.get("jenis") or None
        )
    items = selectors.search_dip(filters, base=selectors.dip_for_staff(_user(request)))
    return render(
        request, "ppid/staff/dip_list.html", {"form": form, "entries": list(items), "page": "dip"}
    )


def _data(cleaned: dict[str, Any]) -> services.DipEntryData:
    return services.DipEntryData(
        category=cleaned["category"],
        title=cleaned["title"],
        summary=cleaned["summary"],
        agency=cleaned["agency"],
        official=cleaned["official"],
        person_in_charge=cleaned["person_in_charge"],
        produced_when=cleaned["produced_when"],
        produced_where=cleaned["produced_where"],
        retention=cleaned["retention"],
        has_softcopy=cleaned["has_softcopy"],
        has_hardcopy=cleaned["has_hardcopy"],
        exemption=cleaned.get("exemption") or "",
        legal_basis=cleaned.get("legal_basis") or "",
        consequence_test=cleaned.get("consequence_test") or "",
        exempt_until=cleaned.get("exempt_until"),
        is_published=cleaned["is_published"],
    )


@ppid_staff_required
@require_http_methods(["GET", "POST"])
def entry_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    entry = _entry(request, pk) if pk is not None else None
    if request.method == "POST":
        form = DipEntryForm(request.POST)
        if form.is_valid():
            try:
                if entry is None:
                    entry = services.create_dip_entry(
                        actor=_user(request), data=_data(form.cleaned_data)
                    )
                else:
                    entry = services.update_dip_entry(
                        actor=_user(request), entry=entry, data=_data(form.cleaned_data)
                    )
            except DomainError as exc:
                place_domain_error(form, exc)
            else:
                messages.success(request, _("Entri DIP tersimpan."))
                return redirect("ppid:staff_dip_edit", pk=entry.pk)
        status = 422
    else:
        initial: dict[str, Any] = {}
        if entry is not None:
            initial = {name: getattr(entry, name) for name in DipEntryForm.base_fields}
        form = DipEntryForm(initial=initial)
        status = 200
    return render(
        request,
        "ppid/staff/dip_form.html",
        {"form": form, "entry": entry, "document_form": DipDocumentForm(), "page": "dip"},
        status=status,
    )


@ppid_staff_required
@require_POST
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    form = DipDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.add_dip_document(
                actor=_user(request),
                entry=entry,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
            )
        except DomainError as exc:
            place_domain_error(form, exc)
        else:
            if document.extracted_text:
                messages.success(request, _("Dokumen diunggah; teksnya dapat dicari."))
            else:
                messages.warning(request, _("Dokumen diunggah, tetapi teksnya tidak terbaca."))
            return redirect("ppid:staff_dip_edit", pk=entry.pk)
    initial = {name: getattr(entry, name) for name in DipEntryForm.base_fields}
    return render(
        request,
        "ppid/staff/dip_form.html",
        {
            "form": DipEntryForm(initial=initial),
            "entry": entry,
            "document_form": form,
            "page": "dip",
        },
        status=422,
    )


@ppid_staff_required
@require_POST
def remove_document(request: HttpRequest, token: str) -> HttpResponse:
    try:
        document = selectors.get_document_for_staff(user=_user(request), token=token)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    entry_id = document.entry_id
    services.remove_dip_document(actor=_user(request), document=document)
    messages.success(request, _("Dokumen dihapus."))
    return redirect("ppid:staff_dip_edit", pk=entry_id)


@ppid_staff_required
@require_GET
def staff_document(request: HttpRequest, token: str) -> HttpResponseRedirect:
    """The old address of a document for the desk: the file view of core serves the bytes."""
    try:
        document = selectors.get_document_for_staff(user=_user(request), token=token)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    return HttpResponseRedirect(file_url(document, "file"))
