from django.urls import path

from . import views

urlpatterns = [
    path("", views.air_index, name="air_index"),
    path("<slug:code>/", views.air_station, name="air_station"),
    path("<slug:code>/ispu.csv", views.air_station_csv, name="air_station_csv"),
]
