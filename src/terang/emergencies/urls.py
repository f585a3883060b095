"""The 112 desk pages, mounted at /ruang-kendali/112/ (namespace "emergencies")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("baru/", views.receive, name="receive"),
    path("unit/", views.units, name="units"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/kerahkan/", views.dispatch, name="dispatch"),
    path("<str:reference>/tiba/", views.on_scene, name="on_scene"),
    path("<str:reference>/selesai/", views.close, name="close"),
    path("<str:reference>/batal/", views.cancel, name="cancel"),
]
