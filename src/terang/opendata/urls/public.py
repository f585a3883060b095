"""The catalog's public pages, mounted at /data/ (namespace "opendata")."""

from django.urls import path

from ..views import public

urlpatterns = [
    path("", public.catalog, name="catalog"),
    path("dataset/<slug:name>/", public.dataset, name="dataset"),
    path("dataset/<slug:name>/sumber/<uuid:resource_id>/", public.resource, name="resource"),
    path(
        "dataset/<slug:name>/sumber/<uuid:resource_id>/data.<str:fmt>",
        public.resource_data,
        name="resource_data",
    ),
    path(
        "dataset/<slug:name>/sumber/<uuid:resource_id>/versi/<int:number>/<str:filename>",
        public.version_file,
        name="version_file",
    ),
]
