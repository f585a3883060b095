"""Frictionless Data Packages beside each dataset's page, mounted at /data/ (namespace
"opendata")."""

from django.urls import path

from . import datapackage_views

urlpatterns = [
    path(
        "<slug:name>/datapackage.json", datapackage_views.datapackage_json, name="datapackage_json"
    ),
    path("<slug:name>/datapackage.zip", datapackage_views.datapackage_zip, name="datapackage_zip"),
    path(
        "<slug:name>/datapackage/<uuid:resource_id>.csv",
        datapackage_views.datapackage_table_csv,
        name="datapackage_table_csv",
    ),
]
