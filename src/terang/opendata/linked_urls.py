"""Linked metadata at the site root: the DCAT catalog and per-dataset RDF (ckanext-dcat's
/catalog.<format> and /dataset/<id>.<format>, with our dataset pages under /data/), the
dereferenceable URIs used inside the RDF, and Frictionless Data Packages."""

from django.urls import path, re_path

from . import linked_views

RDF_SUFFIX = r"(?P<suffix>jsonld|ttl|rdf|xml|n3)"

urlpatterns = [
    path("catalog", linked_views.catalog_redirect, name="dcat_catalog"),
    re_path(rf"^catalog\.{RDF_SUFFIX}$", linked_views.catalog, name="dcat_catalog_document"),
    path("dataset/<uuid:dataset_id>", linked_views.dataset_redirect, name="dcat_dataset"),
    # ckanext-dcat's own path for a dataset's RDF, for harvesters configured for CKAN.
    re_path(
        rf"^dataset/(?P<dataset_id>[-a-zA-Z0-9_]+)\.{RDF_SUFFIX}$",
        linked_views.dataset_document,
        name="dcat_dataset_document_by_id",
    ),
    path(
        "dataset/<uuid:dataset_id>/resource/<uuid:resource_id>",
        linked_views.distribution_redirect,
        name="dcat_distribution",
    ),
    re_path(
        rf"^data/(?P<name>[-a-zA-Z0-9_]+)\.{RDF_SUFFIX}$",
        linked_views.dataset_document,
        name="dcat_dataset_document",
    ),
    path(
        "data/<slug:name>/datapackage.json",
        linked_views.datapackage_json,
        name="datapackage_json",
    ),
    path(
        "data/<slug:name>/datapackage.zip",
        linked_views.datapackage_zip,
        name="datapackage_zip",
    ),
    path(
        "data/<slug:name>/datapackage/<uuid:resource_id>.csv",
        linked_views.datapackage_table_csv,
        name="datapackage_table_csv",
    ),
]
