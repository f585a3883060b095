"""Staff pages, mounted at /staf/ (namespace "aspirations", names prefixed staff_)."""

from django.urls import path

from ..views.staff import actions, control_room, detail, inbox, intake

urlpatterns = [
    path("", inbox.inbox, name="staff_inbox"),
    path("massal/", inbox.bulk, name="staff_bulk"),
    path("ruang-kendali/", control_room.control_room, name="staff_control_room"),
    path("input/", intake.intake, name="staff_intake"),
    path("input/selesai/", intake.intake_done, name="staff_intake_done"),
    path("aspirasi/<str:code>/", detail.detail, name="staff_detail"),
    path("aspirasi/<str:code>/verifikasi/", actions.verify, name="staff_verify"),
    path("aspirasi/<str:code>/tolak/", actions.reject, name="staff_reject"),
    path("aspirasi/<str:code>/mulai/", actions.start, name="staff_start"),
    path("aspirasi/<str:code>/jawab/", actions.answer, name="staff_answer"),
    path("aspirasi/<str:code>/catatan/", actions.note, name="staff_note"),
    path("aspirasi/<str:code>/lokasi/", actions.place, name="staff_place"),
    path("aspirasi/<str:code>/selesai/", actions.resolve, name="staff_resolve"),
    path("aspirasi/<str:code>/periksa/", actions.check, name="staff_check"),
    path("aspirasi/<str:code>/disposisi/", actions.redisposition, name="staff_redisposition"),
    path("aspirasi/<str:code>/tetapkan/", actions.assign, name="staff_assign"),
    path("aspirasi/<str:code>/gabung/", actions.merge, name="staff_merge"),
]
