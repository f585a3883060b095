"""The datastore: tabular files parsed into typed rows (`parsing`), queried (`query`) and
written back out (`export`). The HTML preview, the downloads and CKAN's `datastore_search` all
go through `query_datastore` / `iter_records`."""

from .export import CONTENT_TYPES, EXPORT_FORMATS, csv_chunks, json_chunks, xlsx_file
from .parsing import (
    FIELD_TYPES,
    TABULAR_FORMATS,
    ParsedTable,
    Problem,
    cast_value,
    detect_format,
    is_tabular,
    max_rows,
    max_upload_bytes,
    normalise_schema,
    parse_table,
)
from .query import (
    CKAN_TYPES,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    DatastoreResult,
    datastore_fields,
    filtered_rows,
    iter_records,
    parse_sort,
    query_datastore,
    schema_fields,
)

__all__ = [
    "CKAN_TYPES",
    "CONTENT_TYPES",
    "DEFAULT_LIMIT",
    "EXPORT_FORMATS",
    "FIELD_TYPES",
    "MAX_LIMIT",
    "TABULAR_FORMATS",
    "DatastoreResult",
    "ParsedTable",
    "Problem",
    "cast_value",
    "csv_chunks",
    "datastore_fields",
    "detect_format",
    "filtered_rows",
    "is_tabular",
    "iter_records",
    "json_chunks",
    "max_rows",
    "max_upload_bytes",
    "normalise_schema",
    "parse_sort",
    "parse_table",
    "query_datastore",
    "schema_fields",
    "xlsx_file",
]
