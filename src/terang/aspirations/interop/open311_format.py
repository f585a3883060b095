"""Rendering of Open311 GeoReport v2 documents in XML and in JSON (the spec's "Spark" mapping).

Documents are built once as plain Python values (dicts, lists, scalars) and written in either
format: XML without a namespace, one element per key, list items named by LIST_ITEMS; JSON with
lists as top-level arrays. Datetimes are W3C ISO 8601 with the city's UTC offset.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET  # noqa: S405 - we only write XML, never parse input with it
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse

FORMATS = ("xml", "json")
CONTENT_TYPES = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# XML element name of the items of each list-valued key (the JSON mapping drops these names).
LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def format_datetime(value: dt.datetime | None, tz: ZoneInfo) -> str:
    """`2026-11-24T09:30:00+07:00`: W3C datetime, second precision, explicit offset."""
    if value is None:
        return ""
    return value.astimezone(tz).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list | tuple):
        item_name = LIST_ITEMS[name]
        for item in value:
            _append(element, item_name, item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, root, value)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def to_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def render(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """One document: `root` names the XML root element; JSON serialises `value` as it is."""
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def render_error(fmt: str | None, status: int, description: str) -> HttpResponse:
    """The spec's error list; XML unless the client asked for JSON."""
    errors = [{"code": status, "description": description}]
    return render(fmt if fmt in FORMATS else "xml", "errors", errors, status=status)
