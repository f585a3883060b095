"""Public PPID pages (no login): the desk's landing page, the register of requests with its CSV,
the yearly statistics with an inline SVG chart and CSV, and the DIP with full-text search and
document downloads."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from terang.core.calendar import city_timezone
from terang.core.errors import DomainError, NotFound
from terang.core.exports import safe_csv_writer
from terang.core.files import file_url

from .. import deadlines, selectors
from ..charts import bar_chart
from ..choices import DipCategory
from ..forms import DipFilterForm, RegisterFilterForm, YearForm
from ..permissions import ppid_settings

REGISTER_PAGE_SIZE = 50
REGISTER_FIELDS = [
    "nomor_register",
    "tanggal",
    "rincian_informasi",
    "status",
    "jawaban",
    "lama_hari_kerja",
    "melewati_batas_waktu",
]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What the PPID is, the deadlines citizens can count on, and where to go next."""
    return render(
        request,
        "ppid/public/home.html",
        {
            "policy": ppid_settings(),
            "answer_days": deadlines.ANSWER_WORKING_DAYS,
            "extension_days": deadlines.EXTENSION_WORKING_DAYS,
            "objection_days": deadlines.OBJECTION_FILING_WORKING_DAYS,
            "objection_answer_days": deadlines.OBJECTION_ANSWER_WORKING_DAYS,
            "dispute_days": deadlines.DISPUTE_FILING_WORKING_DAYS,
            "counts": selectors.category_counts(),
            "categories": DipCategory,
            "page": "home",
        },
    )


def _register_filters(request: HttpRequest) -> tuple[RegisterFilterForm, selectors.RegisterFilters]:
    form = RegisterFilterForm(request.GET or None, years=selectors.available_years())
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, selectors.RegisterFilters(
            year=data.get("tahun") or None,
            status=data.get("status") or None,
            outcome=data.get("jawaban") or None,
            q=data.get("q") or None,
        )
    return form, selectors.RegisterFilters()


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    form, filters = _register_filters(request)
    paginator = Paginator(selectors.public_register(filters), REGISTER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "ppid/public/register.html",
        {
            "form": form,
            "page_obj": page,
            "rows": [selectors.register_item(item) for item in page.object_list],
            "query": query.urlencode(),
            "page": "register",
        },
        status=422 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
def register_csv(request: HttpRequest) -> HttpResponse:
    """Open data: exactly the rows the register shows for these filters, UTF-8."""
    _form, filters = _register_filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="register-permohonan-informasi.csv"'
    writer = safe_csv_writer(response)
    writer.writerow(REGISTER_FIELDS)
    for item in selectors.public_register(filters).iterator(chunk_size=500):
        row = selectors.register_item(item)
        writer.writerow(
            [
                row["register_number"],
                row["submitted_on"].isoformat(),
                row["information"],
                row["status"],
                row["outcome"] or "",
                "" if row["working_days_taken"] is None else row["working_days_taken"],
                "" if row["answered_late"] is None else ("ya" if row["answered_late"] else "tidak"),
            ]
        )
    return response


def _year(request: HttpRequest) -> tuple[YearForm, int]:
    years = selectors.available_years()
    form = YearForm(request.GET or None, years=years)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["tahun"]
    this_year = timezone.localtime(timezone.now(), city_timezone()).year
    return YearForm(initial={"tahun": this_year}, years=years), this_year


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form, year = _year(request)
    stats = selectors.annual_statistics(year)
    return render(
        request,
        "ppid/public/statistics.html",
        {
            "form": form,
            "year": year,
            "stats": stats,
            "rows": selectors.statistics_rows(stats),
            "chart": bar_chart(stats.monthly),
            "page": "statistics",
        },
    )


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    _form, year = _year(request)
    stats = selectors.annual_statistics(year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistik-ppid-{year}.csv"'
    writer = safe_csv_writer(response)
    writer.writerow(["tahun", "indikator", "keterangan", "nilai"])
    for key, label, value in selectors.statistics_rows(stats):
        writer.writerow([year, key, label, "" if value is None else value])
    for month, value in enumerate(stats.monthly, start=1):
        writer.writerow([year, f"received_month_{month:02d}", f"bulan {month}", value])
    return response


@require_GET
def dip(request: HttpRequest) -> HttpResponse:
    form = DipFilterForm(request.GET or None)
    filters = selectors.DipFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.DipFilters(
            q=form.cleaned_data.get("q") or None, category=form.cleaned_data.get("jenis") or None
        )
    entries = list(selectors.search_dip(filters))
    groups = [
        (category, [entry for entry in entries if entry.category == category.value])
        for category in DipCategory
    ]
    return render(
        request,
        "ppid/public/dip.html",
        {
            "form": form,
            "groups": [(category, items) for category, items in groups if items],
            "total": len(entries),
            "searched": bool(filters.q or filters.category),
            "page": "dip",
        },
    )


@require_GET
def dip_entry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = selectors.get_public_entry(pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    return render(request, "ppid/public/dip_entry.html", {"entry": entry, "page": "dip"})


@require_GET
def dip_document(request: HttpRequest, token: str) -> HttpResponseRedirect:
    """The old address of a DIP document, kept because it was published: the bytes are served
    by the file view of core."""
    try:
        document = selectors.get_public_document(token)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    return HttpResponseRedirect(file_url(document, "file"))
