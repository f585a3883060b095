"""The catalog's pages, included at /data/ under the "opendata" namespace."""

from django.urls import path

from . import public, staff

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
    path("staf/", staff.dataset_list, name="staff_list"),
    path("staf/baru/", staff.dataset_create, name="staff_create"),
    path("staf/walidata/", staff.walidata_queue, name="staff_queue"),
    path("staf/dataset/<slug:name>/", staff.dataset_detail, name="staff_detail"),
    path("staf/dataset/<slug:name>/ubah/", staff.dataset_edit, name="staff_edit"),
    *[
        path(
            f"staf/dataset/<slug:name>/{segment}/",
            staff.dataset_step,
            {"step": step},
            name=f"staff_{url_name}",
        )
        for segment, step, url_name in (
            ("ajukan", "submit", "submit"),
            ("verifikasi", "verify", "verify"),
            ("kembalikan", "return", "return"),
            ("tarik", "withdraw", "withdraw"),
            ("perubahan/verifikasi", "verify_changes", "changes_verify"),
            ("perubahan/kembalikan", "return_changes", "changes_return"),
        )
    ],
    path("staf/dataset/<slug:name>/sumber/baru/", staff.resource_add, name="staff_resource_add"),
    path(
        "staf/dataset/<slug:name>/sumber/<uuid:resource_id>/ubah/",
        staff.resource_edit,
        name="staff_resource_edit",
    ),
    path(
        "staf/dataset/<slug:name>/sumber/<uuid:resource_id>/hapus/",
        staff.resource_delete,
        name="staff_resource_delete",
    ),
    path(
        "staf/dataset/<slug:name>/sumber/<uuid:resource_id>/versi/",
        staff.version_upload,
        name="staff_version_upload",
    ),
    path(
        "staf/dataset/<slug:name>/sumber/<uuid:resource_id>/versi/<int:number>/",
        staff.staff_version_file,
        name="staff_version_file",
    ),
    path(
        "staf/dataset/<slug:name>/sumber/<uuid:resource_id>/skema/",
        staff.schema_edit,
        name="staff_schema",
    ),
]
