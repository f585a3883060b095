"""The one door to uploaded files: the owning app decides who may see each file (see
`core.files`), and a refusal looks exactly like a missing file."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from terang.core import files


@require_safe
def serve(request: HttpRequest, key: str, pk: int, signature: str) -> HttpResponseBase:
    found = files.resolve(key=key, pk=pk, signature=signature)
    if found is None:
        raise Http404
    rule, obj = found
    allowed, public = files.may_view(rule, obj, request.user)
    if not allowed:
        raise Http404
    return files.send_file(
        getattr(obj, rule.field), filename=files.guess_filename(obj, rule), public=public
    )
