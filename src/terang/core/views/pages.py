from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Clients that ask for /favicon.ico without reading the page's <link rel="icon"> are sent
    to the static file; a temporary redirect, because the static name carries a content hash
    in production that changes with the icon."""
    return HttpResponseRedirect(static("terang/favicon.ico"))
