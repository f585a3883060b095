"""Where every app lives: each app is one namespace, and `app()` lists the prefix each of its URL
modules is mounted at, so this file is the site's map. URL modules hold paths relative to their
mount point. The order is resolution order: where prefixes overlap (several apps under /staf/
and /ruang-kendali/, the site root) the first match wins, and the home page comes last."""

from collections.abc import Sequence

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from terang.api import api
from terang.core.views import health
from terang.opendata.interop.ckan import urls as ckan_urls

URLs = str | Sequence[URLPattern | URLResolver]


def app(namespace: str, *mounts: tuple[str, URLs]) -> URLResolver:
    """One app's namespace holding each of its URL modules (a dotted path, or a list of
    routes) at the prefix it is mounted under."""
    return path("", include(([path(prefix, include(urls)) for prefix, urls in mounts], namespace)))


urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Open311 GeoReport v2 (aspirations' interop/; the module names its namespace).
    path("open311/v2/", include(("terang.aspirations.interop.open311_urls", "open311"))),
    app(
        "aspirations",
        ("", "terang.aspirations.urls.public"),  # lapor/ lacak/ aspirasi/ kinerja saya/ wilayah/
        ("staf/", "terang.aspirations.urls.staff"),
    ),
    app(
        "controlroom",
        ("udara/", "terang.controlroom.air.urls"),
        ("ruang-kendali/peringatan/", "terang.controlroom.alerts.urls"),
        ("ruang-kendali/pesan-gagal/", "terang.controlroom.sensors.urls"),
        ("ruang-kendali/", "terang.controlroom.wall.urls"),
    ),
    app("emergencies", ("ruang-kendali/112/", "terang.emergencies.urls")),
    app("fleet", ("ruang-kendali/armada/", "terang.fleet.urls")),
    app(
        "markets",
        ("harga-pasar/", "terang.markets.urls.public"),
        ("staf/harga-pasar/", "terang.markets.urls.staff"),
    ),
    app(
        "opendata",
        # CKAN Action API: paths CKAN clients hard-code.
        ("api/3", ckan_urls.version),
        ("api/3/action/", ckan_urls.actions),
        ("api/action/", ckan_urls.unversioned_actions),
        # DCAT at the root as ckanext-dcat serves it: catalog.*, dataset/<uuid>, data/<name>.*
        ("", "terang.opendata.interop.dcat_urls"),
        ("data/", "terang.opendata.interop.datapackage_urls"),
        ("data/", "terang.opendata.urls.public"),
        ("data/staf/", "terang.opendata.urls.staff"),
    ),
    app(
        "budget",
        ("apbd/", "terang.budget.urls.public"),
        ("staf/apbd/", "terang.budget.urls.staff"),
    ),
    app(
        "ppid",
        ("ppid/", "terang.ppid.urls.public"),
        ("ppid/permohonan/", "terang.ppid.urls.citizen"),
        ("staf/ppid/", "terang.ppid.urls.staff"),
    ),
    app(
        "core",
        ("akun/", "terang.core.urls.accounts"),
        ("berkas/", "terang.core.urls.files"),
        ("", "terang.core.urls.pages"),
    ),
]
# Uploaded files are never served from MEDIA_URL: they go through the permission-checked
# file view of core (`/berkas/...`, see terang.core.files).
