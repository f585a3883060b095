"""PPID pages, included at the site root (namespace "ppid"): public pages under /ppid/, the
citizen's under /ppid/permohonan/, the desk under /staf/ppid/."""

from django.urls import path

from .views import citizen, public, staff, staff_dip

app_name = "ppid"

urlpatterns = [
    path("ppid/", public.home, name="home"),
    path("ppid/register/", public.register, name="register"),
    path("ppid/register.csv", public.register_csv, name="register_csv"),
    path("ppid/statistik/", public.statistics, name="statistics"),
    path("ppid/statistik.csv", public.statistics_csv, name="statistics_csv"),
    path("ppid/dip/", public.dip, name="dip"),
    path("ppid/dip/<int:pk>/", public.dip_entry, name="dip_entry"),
    path("ppid/dip/dokumen/<str:token>/", public.dip_document, name="dip_document"),
    path("ppid/permohonan/baru/", citizen.submit, name="submit"),
    path("ppid/permohonan/saya/", citizen.my_requests, name="my_requests"),
    path("ppid/permohonan/berkas/<str:token>/", citizen.request_file, name="request_file"),
    path("ppid/permohonan/<str:number>/", citizen.request_detail, name="my_request"),
    path("ppid/permohonan/<str:number>/cabut/", citizen.withdraw, name="withdraw"),
    path("ppid/permohonan/<str:number>/keberatan/", citizen.object_to, name="object"),
    path(
        "ppid/permohonan/<str:number>/keberatan/cabut/",
        citizen.withdraw_objection,
        name="withdraw_objection",
    ),
    path(
        "ppid/permohonan/<str:number>/rekam-jejak/", citizen.dispute_record, name="dispute_record"
    ),
    path("staf/ppid/", staff.dashboard, name="staff_dashboard"),
    path("staf/ppid/permohonan/baru/", staff.new_request, name="staff_new_request"),
    path("staf/ppid/permohonan/<str:number>/", staff.request_detail, name="staff_request"),
    path("staf/ppid/permohonan/<str:number>/proses/", staff.process, name="staff_process"),
    path("staf/ppid/permohonan/<str:number>/perpanjang/", staff.extend, name="staff_extend"),
    path("staf/ppid/permohonan/<str:number>/jawab/", staff.answer, name="staff_answer"),
    path("staf/ppid/permohonan/<str:number>/serahkan/", staff.deliver, name="staff_deliver"),
    path("staf/ppid/permohonan/<str:number>/tutup/", staff.close, name="staff_close"),
    path("staf/ppid/permohonan/<str:number>/cabut/", staff.withdraw, name="staff_withdraw"),
    path(
        "staf/ppid/permohonan/<str:number>/keberatan/tanggapi/",
        staff.objection_answer,
        name="staff_objection_answer",
    ),
    path(
        "staf/ppid/permohonan/<str:number>/keberatan/sengketa/",
        staff.dispute,
        name="staff_dispute",
    ),
    path("staf/ppid/dip/", staff_dip.entries, name="staff_dip"),
    path("staf/ppid/dip/baru/", staff_dip.entry_form, name="staff_dip_new"),
    path("staf/ppid/dip/<int:pk>/", staff_dip.entry_form, name="staff_dip_edit"),
    path("staf/ppid/dip/<int:pk>/dokumen/", staff_dip.add_document, name="staff_dip_document"),
    path("staf/ppid/dip/dokumen/<str:token>/", staff_dip.staff_document, name="staff_dip_download"),
    path(
        "staf/ppid/dip/dokumen/<str:token>/hapus/",
        staff_dip.remove_document,
        name="staff_dip_remove",
    ),
]
