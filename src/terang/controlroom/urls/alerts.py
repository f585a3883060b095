"""Operators' alert pages, mounted at /ruang-kendali/peringatan/ (namespace "controlroom")."""

from django.urls import path

from ..views import alerts

urlpatterns = [
    path("", alerts.alert_list, name="alert_list"),
    path("<int:alert_id>/", alerts.alert_detail, name="alert_detail"),
    path("<int:alert_id>/tangani", alerts.alert_acknowledge, name="alert_acknowledge"),
    path("<int:alert_id>/selesaikan", alerts.alert_resolve, name="alert_resolve"),
]
