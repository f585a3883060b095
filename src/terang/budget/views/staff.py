"""Staff pages under /staf/apbd/: upload a budget file (refusals come back as the
line-numbered report) and close or reopen a year. Only administrators and the finance
agency's officers and head; the services check it again."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from terang.core.errors import DomainError
from terang.core.models import User
from terang.core.views.access import staff_required

from .. import selectors, services
from ..forms import ImportForm, YearStatusForm
from ..permissions import IMPORT_ROLES, can_import_budget


@staff_required(roles=IMPORT_ROLES)
@require_http_methods(["GET", "POST"])
def import_budget(request: HttpRequest) -> HttpResponse:
    if not can_import_budget(request.user):
        raise DjangoPermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["berkas"]
            try:
                result = services.import_budget(
                    file=upload,
                    file_name=upload.name or "",
                    year=form.cleaned_data["tahun"],
                    kind=form.cleaned_data["jenis"],
                    actor=cast(User, request.user),
                )
            except services.BudgetImportRejected as exc:
                context.update(problems=exc.problems, problem_total=exc.total)
                context["rejected_message"] = exc.message
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                context.update(result=result, form=ImportForm())
                status = 200
    context["recent"] = selectors.recent_versions()
    context["years"] = selectors.years_for_staff()
    context["status_form"] = YearStatusForm()
    return render(request, "budget/staff/import.html", context, status=status)


@staff_required(roles=IMPORT_ROLES)
@require_POST
def year_status(request: HttpRequest, year: int) -> HttpResponse:
    if not can_import_budget(request.user):
        raise DjangoPermissionDenied
    form = YearStatusForm(request.POST)
    try:
        budget_year = selectors.get_budget_year(year)
        if not form.is_valid():
            messages.error(request, _("Status tidak valid."))
        else:
            services.set_budget_year_status(
                budget_year=budget_year,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["alasan"],
                actor=cast(User, request.user),
            )
            messages.success(request, _("Status tahun anggaran %(year)s diubah.") % {"year": year})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("budget:staff_import")
