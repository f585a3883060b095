"""The fleet pages, mounted at /ruang-kendali/armada/ (namespace "fleet")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("kendaraan/<slug:code>/", views.vehicle_detail, name="vehicle"),
    path("rute/", views.routes, name="routes"),
    path("rute/<slug:code>/", views.route_detail, name="route"),
    path("peringatan/<int:pk>/tangani/", views.alert_acknowledge, name="alert_acknowledge"),
    path("peringatan/<int:pk>/selesai/", views.alert_resolve, name="alert_resolve"),
]
