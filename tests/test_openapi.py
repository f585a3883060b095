"""The OpenAPI document describes every /api/v1 endpoint, with a summary and error schemas."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Ninja's own views: the document itself, its viewer, and the root page that links them.
DOC_ONLY = {"openapi-json", "openapi-view", "api-root"}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def api_routes() -> set[str]:
    """Every URL pattern mounted under api/v1/, written the way OpenAPI writes paths."""
    routes: set[str] = set()

    def walk(patterns, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                if pattern.name not in DOC_ONLY:
                    routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))

    walk(get_resolver().url_patterns, "")
    return routes


@pytest.fixture
def document(client):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_document_is_valid_openapi_json(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Terang API"
    assert document["paths"]


def test_every_registered_route_is_documented(document):
    routes = api_routes()

    assert "/api/v1/aspirations/{code}" in routes
    assert routes - set(document["paths"]) == set()


def test_every_operation_has_summary_description_and_error_schema(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            assert operation.get("description"), where
            errors = {
                int(code): spec for code, spec in operation["responses"].items() if int(code) >= 400
            }
            assert errors, where
            for spec in errors.values():
                schema = spec["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, where


def test_webhook_request_body_is_documented(document):
    body = document["paths"]["/api/v1/webhooks/{provider}"]["post"]["requestBody"]
    properties = body["content"]["application/json"]["schema"]["properties"]

    assert {"message_id", "from", "text"} <= set(properties)


def test_control_room_operations_keep_their_published_ids(document):
    """Generated clients name their methods after operation ids; the control room's endpoints
    keep theirs although their modules moved into subpackages."""
    ids = {
        (method, path): operation["operationId"]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in HTTP_METHODS and operation["operationId"].startswith("terang_controlroom_")
    }
    assert ids == {
        ("get", "/api/v1/air/stations"): "terang_controlroom_api_air_air_stations",
        ("get", "/api/v1/air/stations/{code}/hourly"): (
            "terang_controlroom_api_air_air_station_hourly"
        ),
        ("get", "/api/v1/alerts"): "terang_controlroom_api_alerts_list_alerts",
        ("get", "/api/v1/alerts/{alert_id}"): "terang_controlroom_api_alerts_get_alert",
        ("post", "/api/v1/alerts/{alert_id}/acknowledge"): (
            "terang_controlroom_api_alerts_acknowledge"
        ),
        ("post", "/api/v1/alerts/{alert_id}/resolve"): "terang_controlroom_api_alerts_resolve",
        ("post", "/api/v1/sensors/{station}/readings"): (
            "terang_controlroom_api_ingest_station_readings"
        ),
        ("post", "/api/v1/sensors/{station}/{parameter}/readings"): (
            "terang_controlroom_api_ingest_parameter_readings"
        ),
        ("get", "/api/v1/wall"): "terang_controlroom_api_wall_wall_snapshot",
    }
