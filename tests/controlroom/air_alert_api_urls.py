"""The site's URLs with the air and alert routers mounted as the lead will mount them
(/api/v1/air, /api/v1/alerts), on a second NinjaAPI that shares the site API's error handlers.
Tests use it through `pytest.mark.urls` until terang/api.py mounts the routers itself."""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI

from terang.api import api as site_api
from terang.controlroom.api_air import router as air_router
from terang.controlroom.api_alerts import router as alerts_router
from terang.urls import urlpatterns as site_urlpatterns

test_api = NinjaAPI(urls_namespace="controlroom_test_api", docs_url=None, openapi_url=None)
test_api._exception_handlers = dict(site_api._exception_handlers)
test_api.add_router("/air", air_router)
test_api.add_router("/alerts", alerts_router)

urlpatterns = [path("api/v1/", test_api.urls), *site_urlpatterns]
