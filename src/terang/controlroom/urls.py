from django.urls import include, path

app_name = "controlroom"

urlpatterns = [
    path("udara/", include("terang.controlroom.air.urls")),
    path("ruang-kendali/peringatan/", include("terang.controlroom.alerts.urls")),
    path("ruang-kendali/pesan-gagal/", include("terang.controlroom.sensors.urls")),
    path("ruang-kendali/", include("terang.controlroom.wall.urls")),
]
