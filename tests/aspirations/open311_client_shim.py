"""A Python 3 stand-in for the PyPI `open311` 1.1 client (Python 2 only), for contract tests.

It builds the URLs that client builds and parses XML the way it does:
- every call is `endpoint + '/' + path + '?' + urlencode(params)`; the endpoint is configured
  without a trailing slash (with one, the server sees `//`);
- `jurisdiction_id` is always sent, empty when not configured;
- the format defaults to xml, and `services.xml` is asked for whatever the format;
- service definitions use the singular `service/{code}`;
- a POST carries its fields form-encoded in the body (`api_key_in` chooses whether the key
  travels in the query string, with `jurisdiction_id`, or in the body);
- XML is turned into nested dicts: an element seen once is a dict (or its text), an element
  repeated under one parent becomes a list, so a single `<request>` comes back as a dict.

The transport is injected: `(method, url, body) -> (status, bytes)`, so tests can run it over
Django's test client or a live server.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own server's responses in tests
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

Transport = Callable[[str, str, bytes | None], tuple[int, bytes]]


class Open311Error(Exception):
    def __init__(self, status: int, document: Any) -> None:
        super().__init__(f"HTTP {status}: {document!r}")
        self.status = status
        self.document = document


def xml_to_dict(element: ET.Element) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    result: dict[str, Any] = {}
    for child in children:
        value = xml_to_dict(child)
        if child.tag in result:
            previous = result[child.tag]
            if isinstance(previous, list):
                previous.append(value)
            else:
                result[child.tag] = [previous, value]
        else:
            result[child.tag] = value
    return result


def parse(fmt: str, body: bytes) -> Any:
    if fmt == "json":
        return json.loads(body)
    root = ET.fromstring(body)  # noqa: S314 - trusted test input
    return {root.tag: xml_to_dict(root)}


class Open311Shim:
    def __init__(
        self,
        *,
        endpoint: str,
        transport: Transport,
        api_key: str = "",
        jurisdiction: str = "",
        format: str = "xml",  # noqa: A002 - the real client's keyword
        api_key_in: str = "query",
    ) -> None:
        self.endpoint = endpoint
        self.transport = transport
        self.api_key = api_key
        self.jurisdiction = jurisdiction
        self.format = format or "xml"
        self.api_key_in = api_key_in
        self.last_url = ""

    def url(self, path: str, **params: Any) -> str:
        return self.endpoint + "/" + path + "?" + urlencode(params)

    def _call(
        self, method: str, path: str, fmt: str, body: bytes | None = None, **params: Any
    ) -> Any:
        self.last_url = self.url(path, **params)
        status, content = self.transport(method, self.last_url, body)
        document = parse(fmt, content)
        if status >= 400:
            raise Open311Error(status, document)
        return document

    def service_list(self) -> Any:
        data = self._call("GET", "services.xml", "xml", jurisdiction_id=self.jurisdiction)
        return data["services"]["service"]

    def service_definition(self, code: str | int) -> Any:
        return self._call(
            "GET", f"service/{code}.{self.format}", self.format, jurisdiction_id=self.jurisdiction
        )

    def service_requests(self, **filters: Any) -> Any:
        filters["jurisdiction_id"] = self.jurisdiction
        data = self._call("GET", f"requests.{self.format}", self.format, **filters)
        return data["service_requests"]["request"]

    def get_service_request(self, request_id: str | int) -> Any:
        return self._call(
            "GET",
            f"requests/{request_id}.{self.format}",
            self.format,
            jurisdiction_id=self.jurisdiction,
        )

    def post_service_request(self, **fields: Any) -> Any:
        params: dict[str, Any] = {"jurisdiction_id": self.jurisdiction}
        if self.api_key_in == "query":
            params["api_key"] = self.api_key
        else:
            fields["api_key"] = self.api_key
        body = urlencode(fields).encode()
        data = self._call("POST", f"requests.{self.format}", self.format, body, **params)
        return data["service_requests"]["request"]

    def request_id_from_token(self, token: str | int) -> Any:
        data = self._call(
            "GET", f"tokens/{token}.{self.format}", self.format, jurisdiction_id=self.jurisdiction
        )
        return data["service_requests"]["request"]


def django_transport(client: Any, headers: dict[str, str] | None = None) -> Transport:
    """Send the shim's requests through Django's test client, as urllib would send them."""

    def send(method: str, url: str, body: bytes | None) -> tuple[int, bytes]:
        if method == "POST":
            response = client.post(
                url,
                data=body or b"",
                content_type="application/x-www-form-urlencoded",
                headers=headers or {},
            )
        else:
            response = client.get(url, headers=headers or {})
        return response.status_code, response.content

    return send
