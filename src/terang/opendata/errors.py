"""Errors of the Satu Data catalog. Each adapter maps them to its own shape: the HTML pages show
the message (and a file's report), the CKAN API turns them into CKAN's error envelope."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terang.core.errors import DomainError, ValidationFailed


class FileRefused(ValidationFailed):
    """A tabular file failed validation; `details["report"]` lists every problem by line."""

    code = "opendata_file_refused"
    default_message = _("Berkas ditolak: ada kesalahan pada isinya. Tidak ada data yang disimpan.")


class SchemaRefused(ValidationFailed):
    """An edited Table Schema does not fit the stored data; `details["report"]` says where."""

    code = "opendata_schema_refused"
    default_message = _("Skema ditolak: data yang ada tidak sesuai dengan skema baru.")


class QueryInvalid(ValidationFailed):
    """A datastore query names an unknown field or gives a value of the wrong type.
    `details` maps the parameter (filters, sort, fields, q) to messages, as CKAN does."""

    code = "opendata_query_invalid"
    default_message = _("Permintaan data tidak valid.")


class SearchQueryInvalid(DomainError):
    """A catalog search (`fq`, `sort`) that cannot be understood."""

    code = "opendata_search_invalid"
    status = 400
    default_message = _("Kueri pencarian tidak valid.")


class FileTooLarge(ValidationFailed):
    code = "opendata_file_too_large"
    status = 413
    default_message = _("Ukuran berkas melebihi batas.")
