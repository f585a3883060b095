"""Public air-quality pages, mounted at /udara/ (namespace "controlroom")."""

from django.urls import path

from ..views import air

urlpatterns = [
    path("", air.air_index, name="air_index"),
    path("<slug:code>/", air.air_station, name="air_station"),
    path("<slug:code>/ispu.csv", air.air_station_csv, name="air_station_csv"),
]
