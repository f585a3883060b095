"""The Satu Data desk (producers and the walidata), mounted at /data/staf/ (namespace
"opendata", names prefixed staff_)."""

from django.urls import path

from ..views import staff

urlpatterns = [
    path("", staff.dataset_list, name="staff_list"),
    path("baru/", staff.dataset_create, name="staff_create"),
    path("walidata/", staff.walidata_queue, name="staff_queue"),
    path("dataset/<slug:name>/", staff.dataset_detail, name="staff_detail"),
    path("dataset/<slug:name>/ubah/", staff.dataset_edit, name="staff_edit"),
    *[
        path(
            f"dataset/<slug:name>/{segment}/",
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
    path("dataset/<slug:name>/sumber/baru/", staff.resource_add, name="staff_resource_add"),
    path(
        "dataset/<slug:name>/sumber/<uuid:resource_id>/ubah/",
        staff.resource_edit,
        name="staff_resource_edit",
    ),
    path(
        "dataset/<slug:name>/sumber/<uuid:resource_id>/hapus/",
        staff.resource_delete,
        name="staff_resource_delete",
    ),
    path(
        "dataset/<slug:name>/sumber/<uuid:resource_id>/versi/",
        staff.version_upload,
        name="staff_version_upload",
    ),
    path(
        "dataset/<slug:name>/sumber/<uuid:resource_id>/versi/<int:number>/",
        staff.staff_version_file,
        name="staff_version_file",
    ),
    path(
        "dataset/<slug:name>/sumber/<uuid:resource_id>/skema/",
        staff.schema_edit,
        name="staff_schema",
    ),
]
