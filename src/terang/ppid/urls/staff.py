"""The PPID desk and the DIP editor, mounted at /staf/ppid/ (namespace "ppid", names prefixed
staff_)."""

from django.urls import path

from ..views import staff, staff_dip

urlpatterns = [
    path("", staff.dashboard, name="staff_dashboard"),
    path("permohonan/baru/", staff.new_request, name="staff_new_request"),
    path("permohonan/<str:number>/", staff.request_detail, name="staff_request"),
    path("permohonan/<str:number>/proses/", staff.process, name="staff_process"),
    path("permohonan/<str:number>/perpanjang/", staff.extend, name="staff_extend"),
    path("permohonan/<str:number>/jawab/", staff.answer, name="staff_answer"),
    path("permohonan/<str:number>/serahkan/", staff.deliver, name="staff_deliver"),
    path("permohonan/<str:number>/tutup/", staff.close, name="staff_close"),
    path("permohonan/<str:number>/cabut/", staff.withdraw, name="staff_withdraw"),
    path(
        "permohonan/<str:number>/keberatan/tanggapi/",
        staff.objection_answer,
        name="staff_objection_answer",
    ),
    path("permohonan/<str:number>/keberatan/sengketa/", staff.dispute, name="staff_dispute"),
    path("dip/", staff_dip.entries, name="staff_dip"),
    path("dip/baru/", staff_dip.entry_form, name="staff_dip_new"),
    path("dip/<int:pk>/", staff_dip.entry_form, name="staff_dip_edit"),
    path("dip/<int:pk>/dokumen/", staff_dip.add_document, name="staff_dip_document"),
    path("dip/dokumen/<str:token>/", staff_dip.staff_document, name="staff_dip_download"),
    path("dip/dokumen/<str:token>/hapus/", staff_dip.remove_document, name="staff_dip_remove"),
]
