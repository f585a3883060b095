from django.urls import include, path

app_name = "opendata"

urlpatterns = [
    # CKAN Action API: /api/3/action/<name> and /api/action/<name> (ckanapi uses the latter).
    path("", include("terang.opendata.ckan.urls")),
    # DCAT catalog and per-dataset RDF, Frictionless Data Packages.
    path("", include("terang.opendata.linked_urls")),
    # The catalog's pages (/data/...).
    path("data/", include("terang.opendata.views.catalog_urls")),
]
