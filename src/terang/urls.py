from django.contrib import admin
from django.urls import include, path

from terang.api import api
from terang.core.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("terang.aspirations.interop.open311_urls")),
    path("", include("terang.aspirations.urls")),
    path("", include("terang.controlroom.urls")),
    path("", include("terang.emergencies.urls")),
    path("", include("terang.fleet.urls")),
    path("", include("terang.markets.urls")),
    path("", include("terang.opendata.urls")),
    path("", include("terang.budget.urls")),
    path("", include("terang.ppid.urls")),
    path("", include("terang.core.urls")),
]
# Uploaded files are never served from MEDIA_URL: they go through the permission-checked
# file view of core (`/berkas/...`, see terang.core.files).
