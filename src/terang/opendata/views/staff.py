"""Staff pages under /data/staf/: producers manage their agency's datasets (create, edit,
resources, files, Table Schemas, submit, withdraw); the walidata works through its queue
(verify and publish, or return with a note). The services enforce every right again."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from terang.core.errors import DomainError, NotFound
from terang.core.models import Agency, User
from terang.core.views.access import staff_required

from .. import selectors, services
from ..choices import DatasetState
from ..datastore import schema_fields
from ..errors import FileRefused, SchemaRefused
from ..forms import DatasetForm, NoteForm, ResourceEditForm, ResourceForm, SchemaForm, VersionForm
from ..models import Dataset, Resource
from ..permissions import (
    STAFF_DATA_ROLES,
    can_create_dataset,
    can_edit,
    can_withdraw,
    chooses_agency,
    is_walidata,
)
from ..reports import report_lines
from ..workflow import EDITABLE_STATES

staff = staff_required(roles=STAFF_DATA_ROLES)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _dataset(request: HttpRequest, name: str) -> Dataset:
    try:
        return selectors.get_dataset_for_staff(request.user, name)
    except NotFound:
        raise Http404 from None


def _resource(request: HttpRequest, dataset: Dataset, resource_id: Any) -> Resource:
    try:
        return selectors.get_resource_for_staff(request.user, dataset, resource_id)
    except NotFound:
        raise Http404 from None


def _detail(dataset: Dataset) -> HttpResponse:
    return redirect("opendata:staff_detail", name=dataset.name)


def _editable_or_403(request: HttpRequest, dataset: Dataset) -> None:
    if not can_edit(request.user, dataset):
        raise DjangoPermissionDenied


@staff
@require_http_methods(["GET"])
def dataset_list(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("status", "")
    state = chosen if chosen in DatasetState.values else None
    user = _user(request)
    return render(
        request,
        "opendata/staff/list.html",
        {
            "datasets": selectors.datasets_for_staff(user, state=state)[:300],
            "states": DatasetState.choices,
            "chosen": chosen,
            "can_create": can_create_dataset(user),
            "is_walidata": is_walidata(user),
            "staff_page": "list",
        },
    )


@staff
@require_http_methods(["GET", "POST"])
def dataset_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    choose_agency = chooses_agency(user)
    if not can_create_dataset(user):
        raise DjangoPermissionDenied
    form = DatasetForm(request.POST or None, choose_agency=choose_agency)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            organization = form.cleaned_data.get("organization") or cast(Agency, user.agency)
            try:
                dataset = services.create_dataset(
                    actor=user, organization=organization, **form.service_kwargs()
                )
            except DomainError as exc:
                _form_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Dataset dibuat sebagai draf."))
                return _detail(dataset)
    return render(
        request,
        "opendata/staff/dataset_form.html",
        {"form": form, "dataset": None, "staff_page": "create"},
        status=status,
    )


def _form_errors(form: Any, exc: DomainError) -> None:
    placed = False
    for key, value in (exc.details or {}).items():
        field = {"license_id": "licence", "upload": "upload", "url": "url"}.get(key, key)
        if field in form.fields and isinstance(value, list):
            for message in value:
                form.add_error(field, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


@staff
@require_http_methods(["GET", "POST"])
def dataset_edit(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset(request, name)
    _editable_or_403(request, dataset)
    form = DatasetForm(request.POST or None, initial=DatasetForm.initial_for(dataset))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.update_dataset(
                    actor=_user(request), dataset=dataset, **form.service_kwargs()
                )
            except DomainError as exc:
                _form_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Perubahan metadata disimpan."))
                return _detail(dataset)
    return render(
        request,
        "opendata/staff/dataset_form.html",
        {"form": form, "dataset": dataset, "staff_page": "list"},
        status=status,
    )


@staff
@require_http_methods(["GET"])
def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset(request, name)
    user = _user(request)
    resources = []
    for resource in dataset.resources.order_by("position", "created_at"):
        versions = list(resource.versions.select_related("uploaded_by").order_by("-number"))
        resources.append(
            {
                "resource": resource,
                "versions": [
                    {"version": v, "lines": report_lines(v.report)[:20]} for v in versions
                ],
            }
        )
    waiting = services.pending_changes(dataset)
    return render(
        request,
        "opendata/staff/dataset_detail.html",
        {
            "dataset": dataset,
            "resources": resources,
            "history": selectors.dataset_history(dataset),
            "can_edit": can_edit(user, dataset) and dataset.state in EDITABLE_STATES,
            "can_submit": can_edit(user, dataset)
            and dataset.state
            in (DatasetState.DRAFT, DatasetState.RETURNED, DatasetState.WITHDRAWN),
            "can_withdraw": can_withdraw(user, dataset) and dataset.state == DatasetState.PUBLISHED,
            "can_review": is_walidata(user) and dataset.state == DatasetState.SUBMITTED,
            "can_review_changes": is_walidata(user)
            and dataset.state == DatasetState.PUBLISHED
            and bool(waiting["versions"] or waiting["links"]),
            "waiting": waiting,
            "note_form": NoteForm(),
            "staff_page": "list",
        },
    )


def _transition(request: HttpRequest, name: str, step: str) -> HttpResponse:
    dataset = _dataset(request, name)
    note = NoteForm(request.POST)
    text = note.cleaned_data["note"] if note.is_valid() else ""
    user = _user(request)
    done = {
        "submit": (
            lambda: services.submit_dataset(actor=user, dataset=dataset),
            _("Dataset diajukan ke walidata."),
        ),
        "verify": (
            lambda: services.verify_dataset(actor=user, dataset=dataset, note=text),
            _("Dataset diverifikasi dan diterbitkan."),
        ),
        "return": (
            lambda: services.return_dataset(actor=user, dataset=dataset, note=text),
            _("Dataset dikembalikan kepada produsen data."),
        ),
        "withdraw": (
            lambda: services.withdraw_dataset(actor=user, dataset=dataset, reason=text),
            _("Dataset ditarik dari katalog."),
        ),
        "verify_changes": (
            lambda: services.verify_pending_changes(actor=user, dataset=dataset),
            _("Perubahan diverifikasi dan diterbitkan."),
        ),
        "return_changes": (
            lambda: services.return_pending_changes(actor=user, dataset=dataset, note=text),
            _("Perubahan dikembalikan kepada produsen data."),
        ),
    }[step]
    try:
        done[0]()
    except DomainError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied from None
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done[1])
    return _detail(dataset)


@staff
@require_POST
def dataset_step(request: HttpRequest, name: str, step: str) -> HttpResponse:
    """One workflow step (submit, verify, return, withdraw, verify or return pending changes),
    named by the URL."""
    return _transition(request, name, step)


def _refusal_context(exc: DomainError) -> dict[str, Any]:
    report = exc.details.get("report") or {}
    return {
        "refused": True,
        "refused_message": exc.message,
        "report": report,
        "lines": report_lines(report),
    }


@staff
@require_http_methods(["GET", "POST"])
def resource_add(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset(request, name)
    _editable_or_403(request, dataset)
    form = ResourceForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"dataset": dataset, "form": form, "staff_page": "list"}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                upload = services.upload_from_file(data["upload"]) if data["upload"] else None
                resource = services.add_resource(
                    actor=_user(request),
                    dataset=dataset,
                    name=data["name"],
                    description=data["description"],
                    upload=upload,
                    url=data["url"] or "",
                    file_format=data["file_format"],
                )
            except DomainError as exc:
                _form_errors(form, exc)
                status = exc.status
            else:
                return _after_upload(request, dataset, resource)
    return render(request, "opendata/staff/resource_form.html", context, status=status)


def _after_upload(request: HttpRequest, dataset: Dataset, resource: Resource) -> HttpResponse:
    latest = resource.versions.order_by("-number").first()
    if latest is not None and latest.status == "refused":
        messages.error(
            request,
            _(
                "Berkas ditolak: perbaiki kesalahan yang dilaporkan lalu "
                "unggah lagi. Tidak ada data yang disimpan."
            ),
        )
    elif latest is not None and latest.status == "pending":
        messages.success(request, _("Berkas diterima dan menunggu verifikasi walidata."))
    else:
        messages.success(request, _("Sumber data disimpan."))
    url = reverse("opendata:staff_detail", args=[dataset.name])
    return redirect(f"{url}#sumber-{resource.pk}")


@staff
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, name: str, resource_id: Any) -> HttpResponse:
    dataset = _dataset(request, name)
    _editable_or_403(request, dataset)
    resource = _resource(request, dataset, resource_id)
    form = ResourceEditForm(
        request.POST or None,
        initial={"name": resource.name, "description": resource.description, "url": resource.url},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.update_resource(
                    actor=_user(request),
                    resource=resource,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    url=form.cleaned_data["url"] if resource.url else None,
                )
            except DomainError as exc:
                _form_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Sumber data disimpan."))
                return _detail(dataset)
    return render(
        request,
        "opendata/staff/resource_edit.html",
        {"dataset": dataset, "resource": resource, "form": form, "staff_page": "list"},
        status=status,
    )


@staff
@require_http_methods(["GET", "POST"])
def version_upload(request: HttpRequest, name: str, resource_id: Any) -> HttpResponse:
    dataset = _dataset(request, name)
    _editable_or_403(request, dataset)
    resource = _resource(request, dataset, resource_id)
    form = VersionForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "dataset": dataset,
        "resource": resource,
        "form": form,
        "staff_page": "list",
    }
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                version = services.upload_version(
                    actor=_user(request),
                    resource=resource,
                    upload=services.upload_from_file(form.cleaned_data["upload"]),
                )
            except DomainError as exc:
                _form_errors(form, exc)
                status = exc.status
            else:
                if version.status == "refused":
                    context.update(
                        refused=True,
                        report=version.report,
                        lines=report_lines(version.report),
                        version=version,
                    )
                else:
                    return _after_upload(request, dataset, resource)
    return render(request, "opendata/staff/version_form.html", context, status=status)


@staff
@require_http_methods(["GET", "POST"])
def schema_edit(request: HttpRequest, name: str, resource_id: Any) -> HttpResponse:
    dataset = _dataset(request, name)
    _editable_or_403(request, dataset)
    resource = _resource(request, dataset, resource_id)
    if not resource.datastore_active:
        raise Http404
    form = SchemaForm(
        request.POST or None,
        fields=schema_fields(resource),
        file_format=(resource.format or "csv").lower(),
    )
    context: dict[str, Any] = {
        "dataset": dataset,
        "resource": resource,
        "form": form,
        "staff_page": "list",
    }
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.update_table_schema(
                    actor=_user(request), resource=resource, fields=form.schema_fields()
                )
            except (SchemaRefused, FileRefused) as exc:
                context.update(_refusal_context(exc))
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("Skema tabel disimpan."))
                return _detail(dataset)
    return render(request, "opendata/staff/schema_form.html", context, status=status)


@staff
@require_POST
def resource_delete(request: HttpRequest, name: str, resource_id: Any) -> HttpResponse:
    dataset = _dataset(request, name)
    resource = _resource(request, dataset, resource_id)
    try:
        services.delete_resource(actor=_user(request), resource=resource)
    except DomainError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied from None
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Sumber data dihapus."))
    return _detail(dataset)


@staff
@require_http_methods(["GET"])
def staff_version_file(
    request: HttpRequest, name: str, resource_id: Any, number: int
) -> HttpResponseBase:
    """Any stored version (pending and refused ones too) for staff who see the dataset."""
    dataset = _dataset(request, name)
    resource = _resource(request, dataset, resource_id)
    version = resource.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name or f"{dataset.name}-v{number}",
    )


@staff
@require_http_methods(["GET"])
def walidata_queue(request: HttpRequest) -> HttpResponse:
    if not is_walidata(request.user):
        raise DjangoPermissionDenied
    return render(
        request,
        "opendata/staff/queue.html",
        {"queue": selectors.walidata_queue(request.user), "staff_page": "queue"},
    )
