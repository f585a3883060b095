"""The CKAN Action API transport (ckan/views/api.py): `/api/3/action/<name>` and
`/api/action/<name>` (ckanapi calls the latter), GET for read actions, POST with a JSON body
or a (multipart) form, and CKAN's envelope:

    {"help": "<site>/api/3/action/help_show?name=<name>", "success": true, "result": ...}
    {"help": ..., "success": false, "error": {"__type": "Not Found Error", "message": ...}}

Identity comes only from an API token (`Authorization: <token>`, or the legacy
`X-CKAN-API-Key`), never from the session, so CSRF does not apply and the view is exempt from
it. No redirects: ckanapi posts with `allow_redirects=False`."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from terang.core.errors import DomainError, NotFound, PermissionDenied
from terang.core.models import User

from ...errors import SearchQueryInvalid
from ...reports import report_lines
from ...services import authenticate_api_token
from .actions import ACTIONS, Context

logger = logging.getLogger("terang.opendata.ckan")


class BadRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _envelope(request: HttpRequest, name: str, **body: Any) -> dict[str, Any]:
    return {"help": _base_url(request) + f"/api/3/action/help_show?name={name}", **body}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _respond(payload: dict[str, Any], status: int, *, public: bool) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    if public:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def _token(request: HttpRequest) -> str | None:
    value = request.headers.get("Authorization") or ""
    if value.lower().startswith("basic "):
        value = ""
    return (value or request.headers.get("X-CKAN-API-Key") or "").strip() or None


def _user(request: HttpRequest) -> User | None:
    token = _token(request)
    if token is None:
        return None
    user = authenticate_api_token(token)
    if user is None:
        raise PermissionDenied(_("token API tidak valid"))
    return user


def _data(request: HttpRequest, side_effect_free: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The action's parameters and uploaded files."""
    if request.method == "GET":
        return _query_dict(request.GET), {}
    content_type = (request.content_type or "").lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        data = _query_dict(request.POST)
        return data, dict(request.FILES.items())
    body = request.body
    if not body.strip():
        return (_query_dict(request.GET) if side_effect_free else {}), {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("JSON Error: Could not parse the request body as JSON") from None
    if not isinstance(data, dict):
        raise BadRequest(
            "JSON Error: Request data JSON decoded to "
            f"{type(data).__name__} but it needs to be a dictionary."
        )
    return data, {}


def _query_dict(query: Any) -> dict[str, Any]:
    """A query string or form as CKAN reads it: one value, or a list when repeated."""
    data: dict[str, Any] = {}
    for key in query:
        values = query.getlist(key)
        data[key] = values[0] if len(values) == 1 else values
    return data


def _error(exc: DomainError) -> tuple[int, dict[str, Any]]:
    message = str(exc.message)
    if isinstance(exc, NotFound):
        return 404, {"__type": "Not Found Error", "message": f"Not found: {message}"}
    if isinstance(exc, PermissionDenied):
        return 403, {"__type": "Authorization Error", "message": f"Access denied: {message}"}
    if isinstance(exc, SearchQueryInvalid):
        return 400, {
            "__type": "Search Query Error",
            "message": f"Search Query is invalid: {message}",
        }
    error: dict[str, Any] = {"__type": "Validation Error", "message": message}
    details = dict(exc.details)
    report = details.get("report")
    if isinstance(report, dict):
        lines = report_lines(report)
        details["upload"] = [f"{line['location']}: {line['message']}" for line in lines] or [
            message
        ]
        details["report"] = {**report, "errors": lines}
    for key, value in details.items():
        error[key] = value if isinstance(value, list | dict) else [str(value)]
    return 409, error


@csrf_exempt
def action(request: HttpRequest, name: str) -> JsonResponse:
    """Dispatch one CKAN action and wrap its result (or error) in CKAN's envelope."""
    found = ACTIONS.get(name)
    public = found is not None and found.side_effect_free
    try:
        if found is None:
            raise BadRequest(f"Action name not known: {name}")
        if request.method not in ("GET", "POST"):
            raise BadRequest("Only GET and POST are allowed")
        if request.method == "GET" and not found.side_effect_free:
            raise BadRequest("JSON Error: Invalid request. Please use POST method for your request")
        data, files = _data(request, found.side_effect_free)
        context = Context(
            request=request, user=_user(request), base_url=_base_url(request), files=files
        )
        if found.side_effect_free:
            result = found.handler(context, data)
        else:
            with transaction.atomic():
                result = found.handler(context, data)
    except BadRequest as exc:
        body = _envelope(
            request,
            name,
            success=False,
            error={"__type": "Bad Request", "message": f"Bad request - {exc.message}"},
        )
        return _respond(body, 400, public=public)
    except (RequestDataTooBig, TooManyFilesSent):
        body = _envelope(
            request,
            name,
            success=False,
            error={"__type": "Bad Request", "message": "Bad request - request data too large"},
        )
        return _respond(body, 413, public=public)
    except DomainError as exc:
        status, error = _error(exc)
        return _respond(_envelope(request, name, success=False, error=error), status, public=public)
    except Exception:
        logger.exception("CKAN action %s failed", name)
        body = _envelope(
            request,
            name,
            success=False,
            error={"__type": "Internal Server Error", "message": "Internal Server Error"},
        )
        return _respond(body, 500, public=public)
    return _respond(_envelope(request, name, success=True, result=result), 200, public=public)


def api_version(request: HttpRequest) -> JsonResponse:
    """`/api/3`: the API version, as CKAN answers."""
    return JsonResponse({"version": 3})
