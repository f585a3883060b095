from django.urls import path

from . import views

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("<int:alert_id>/tangani", views.alert_acknowledge, name="alert_acknowledge"),
    path("<int:alert_id>/selesaikan", views.alert_resolve, name="alert_resolve"),
]
