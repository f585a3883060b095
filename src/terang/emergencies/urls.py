"""The 112 desk pages, included at the site root (namespace "emergencies")."""

from django.urls import path

from . import views

app_name = "emergencies"

urlpatterns = [
    path("ruang-kendali/112/", views.incident_list, name="list"),
    path("ruang-kendali/112/baru/", views.receive, name="receive"),
    path("ruang-kendali/112/unit/", views.units, name="units"),
    path("ruang-kendali/112/<str:reference>/", views.detail, name="detail"),
    path("ruang-kendali/112/<str:reference>/kerahkan/", views.dispatch, name="dispatch"),
    path("ruang-kendali/112/<str:reference>/tiba/", views.on_scene, name="on_scene"),
    path("ruang-kendali/112/<str:reference>/selesai/", views.close, name="close"),
    path("ruang-kendali/112/<str:reference>/batal/", views.cancel, name="cancel"),
]
