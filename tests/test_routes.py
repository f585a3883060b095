"""No public URL changes by accident. CKAN clients hard-code `/api/3/action/`, Open311 apps their
endpoints, citizens their bookmarks and printed QR codes: every named route's pattern is kept in
`tests/routes.json`. A refactor that moves a route fails here; a route added or changed on
purpose is written into the file in the same commit (the diff shows it to the reviewer)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

SNAPSHOT = Path(__file__).with_name("routes.json")


def named_routes(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from named_routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (
                (f"{namespace}:{entry.name}" if namespace else entry.name),
                prefix + str(entry.pattern),
            )


def test_every_named_route_keeps_its_url():
    current: dict[str, str] = {}
    for name, pattern in named_routes(get_resolver()):
        current.setdefault(name, pattern)
    expected = json.loads(SNAPSHOT.read_text())
    moved = {
        name: (expected[name], current.get(name))
        for name in expected
        if current.get(name) != expected[name]
    }
    added = sorted(set(current) - set(expected))
    assert moved == {}, "routes moved or removed (old, new)"
    assert added == [], "new routes: add them to tests/routes.json in the same commit"
