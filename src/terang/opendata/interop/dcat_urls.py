"""DCAT at the site root, where ckanext-dcat serves it: the catalog (/catalog.<format>), the
dereferenceable dataset and distribution URIs used inside the RDF (/dataset/<uuid>...), and a
dataset's RDF by name beside its page (/data/<name>.<format>). Mounted at "" (namespace
"opendata"): the patterns span three top-level words and the regular expressions keep theirs."""

from django.urls import path, re_path

from . import dcat_views

RDF_SUFFIX = r"(?P<suffix>jsonld|ttl|rdf|xml|n3)"

urlpatterns = [
    path("catalog", dcat_views.catalog_redirect, name="dcat_catalog"),
    re_path(rf"^catalog\.{RDF_SUFFIX}$", dcat_views.catalog, name="dcat_catalog_document"),
    path("dataset/<uuid:dataset_id>", dcat_views.dataset_redirect, name="dcat_dataset"),
    # ckanext-dcat's own path for a dataset's RDF, for harvesters configured for CKAN.
    re_path(
        rf"^dataset/(?P<dataset_id>[-a-zA-Z0-9_]+)\.{RDF_SUFFIX}$",
        dcat_views.dataset_document,
        name="dcat_dataset_document_by_id",
    ),
    path(
        "dataset/<uuid:dataset_id>/resource/<uuid:resource_id>",
        dcat_views.distribution_redirect,
        name="dcat_distribution",
    ),
    re_path(
        rf"^data/(?P<name>[-a-zA-Z0-9_]+)\.{RDF_SUFFIX}$",
        dcat_views.dataset_document,
        name="dcat_dataset_document",
    ),
]
