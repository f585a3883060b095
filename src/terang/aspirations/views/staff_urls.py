"""Staff pages under /staf/ (namespace "aspirations", names prefixed staff_)."""

from django.urls import path

from . import staff

urlpatterns = [
    path("", staff.inbox, name="staff_inbox"),
    path("massal/", staff.bulk, name="staff_bulk"),
    path("ruang-kendali/", staff.control_room, name="staff_control_room"),
    path("input/", staff.intake, name="staff_intake"),
    path("input/selesai/", staff.intake_done, name="staff_intake_done"),
    path("aspirasi/<str:code>/", staff.detail, name="staff_detail"),
    path("aspirasi/<str:code>/verifikasi/", staff.verify, name="staff_verify"),
    path("aspirasi/<str:code>/tolak/", staff.reject, name="staff_reject"),
    path("aspirasi/<str:code>/mulai/", staff.start, name="staff_start"),
    path("aspirasi/<str:code>/jawab/", staff.answer, name="staff_answer"),
    path("aspirasi/<str:code>/catatan/", staff.note, name="staff_note"),
    path("aspirasi/<str:code>/selesai/", staff.resolve, name="staff_resolve"),
    path("aspirasi/<str:code>/periksa/", staff.check, name="staff_check"),
    path("aspirasi/<str:code>/disposisi/", staff.redisposition, name="staff_redisposition"),
    path("aspirasi/<str:code>/tetapkan/", staff.assign, name="staff_assign"),
    path("aspirasi/<str:code>/gabung/", staff.merge, name="staff_merge"),
]
