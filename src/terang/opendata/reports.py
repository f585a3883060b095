"""Human messages for a file's validation report (kept as codes in the version's JSON report,
worded here at display time so they follow the reader's language)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

TYPE_LABELS = {
    "string": gettext_noop("teks"),
    "integer": gettext_noop("bilangan bulat"),
    "number": gettext_noop("angka"),
    "boolean": gettext_noop("benar/salah (true/false)"),
    "date": gettext_noop("tanggal (YYYY-MM-DD)"),
    "datetime": gettext_noop("tanggal dan waktu (YYYY-MM-DDTHH:MM:SS)"),
    "time": gettext_noop("waktu (HH:MM:SS)"),
    "year": gettext_noop("tahun"),
    "object": gettext_noop("objek JSON"),
    "array": gettext_noop("larik JSON"),
    "any": gettext_noop("nilai apa pun"),
}


def type_label(kind: str) -> str:
    label = TYPE_LABELS.get(kind)
    return _(label) if label else kind  # noqa: INT001 - marked with gettext_noop above


def location(problem: dict[str, Any]) -> str:
    """Where the problem is: the line (CSV), sheet and row (XLSX) or index (JSON)."""
    if "index" in problem:
        return _("indeks %(index)s") % {"index": problem["index"]}
    if "line" in problem:
        if problem.get("sheet"):
            return _("lembar %(sheet)s, baris %(line)s") % {
                "sheet": problem["sheet"],
                "line": problem["line"],
            }
        return _("baris %(line)s") % {"line": problem["line"]}
    return _("seluruh berkas")


def describe_problem(problem: dict[str, Any]) -> str:
    """One sentence for one problem of a report."""
    code = problem.get("code", "")
    field = problem.get("field", "")
    value = problem.get("value", "")
    if code == "type-error":
        return _('Nilai "%(value)s" di kolom %(field)s bukan %(type)s.') % {
            "value": value,
            "field": field,
            "type": type_label(problem.get("expected", "")),
        }
    if code == "constraint-error":
        return _('Nilai "%(value)s" di kolom %(field)s melanggar batasan.') % {
            "value": value,
            "field": field,
        }
    if code == "extra-cell":
        return _("Baris ini berisi sel lebih banyak daripada jumlah kolom.")
    if code == "missing-cell":
        return _("Baris ini kekurangan sel untuk kolom %(field)s.") % {"field": field}
    if code == "duplicate-label":
        return _('Judul kolom "%(field)s" dipakai lebih dari sekali.') % {"field": field}
    if code in ("blank-label", "incorrect-label", "missing-label", "extra-label"):
        return _("Ada kolom tanpa judul atau judul kolom yang tidak sesuai.")
    if code in ("unique-error", "primary-key"):
        return _('Nilai "%(value)s" di kolom %(field)s tidak unik.') % {
            "value": value,
            "field": field,
        }
    if code == "too-many-rows":
        return _("Berkas melebihi batas %(limit)s baris data.") % {"limit": problem.get("expected")}
    if code == "too-many-fields":
        return _("Berkas melebihi batas %(limit)s kolom.") % {"limit": problem.get("expected")}
    if code == "file-too-large":
        return _("Ukuran berkas melebihi batas.")
    if code == "no-rows":
        return _("Berkas tidak berisi baris data (hanya judul kolom atau kosong).")
    if code == "json-shape":
        return _('JSON harus berupa larik objek, misalnya [{"kolom": "nilai"}, ...].')
    if code == "json-error":
        return _("Berkas bukan JSON yang sah.")
    if code in ("format-error", "source-error", "encoding-error", "scheme-error"):
        return _("Berkas tidak dapat dibaca sebagai tabel dengan format ini.")
    return _("Masalah pada berkas (%(code)s).") % {"code": code}


def report_lines(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's errors with their location and message worded, for pages and the API."""
    return [
        {**problem, "location": location(problem), "message": describe_problem(problem)}
        for problem in report.get("errors", [])
    ]
