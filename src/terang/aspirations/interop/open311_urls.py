"""Open311 GeoReport v2 routes, included at /open311/v2/.

Every pattern tolerates extra slashes (clients build `endpoint + '/' + path`, and an endpoint
configured with a trailing slash gives `//`), and `service/<code>` (what the PyPI `open311`
client asks for) is served like the spec's `services/<code>`.
"""

from django.urls import re_path

from . import open311 as views

app_name = "open311"

# Extra leading slashes are deliberate (`//` from clients); written as a class so Django's
# urls.W002 check, meant for accidental leading slashes, does not fire.
LEAD = r"^[/]*"
FORMAT = r"\.(?P<fmt>[A-Za-z0-9]+)$"
ID = r"/+(?P<{}>[^/]+?)"

urlpatterns = [
    re_path(LEAD + r"discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(LEAD + r"services" + FORMAT, views.service_list, name="services"),
    re_path(
        LEAD + r"services?" + ID.format("service_code") + FORMAT,
        views.service_definition,
        name="service_definition",
    ),
    re_path(LEAD + r"requests" + FORMAT, views.service_requests, name="requests"),
    re_path(
        LEAD + r"requests" + ID.format("service_request_id") + FORMAT,
        views.service_request,
        name="request",
    ),
    re_path(
        LEAD + r"tokens" + ID.format("token") + FORMAT, views.request_id_from_token, name="token"
    ),
    re_path(r"^(?P<rest>.*)$", views.unknown_resource, name="unknown"),
]
