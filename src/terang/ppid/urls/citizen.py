"""A requester's own information requests and objections, mounted at /ppid/permohonan/
(namespace "ppid")."""

from django.urls import path

from ..views import citizen

urlpatterns = [
    path("baru/", citizen.submit, name="submit"),
    path("saya/", citizen.my_requests, name="my_requests"),
    path("berkas/<str:token>/", citizen.request_file, name="request_file"),
    path("<str:number>/", citizen.request_detail, name="my_request"),
    path("<str:number>/cabut/", citizen.withdraw, name="withdraw"),
    path("<str:number>/keberatan/", citizen.object_to, name="object"),
    path("<str:number>/keberatan/cabut/", citizen.withdraw_objection, name="withdraw_objection"),
    path("<str:number>/rekam-jejak/", citizen.dispute_record, name="dispute_record"),
]
