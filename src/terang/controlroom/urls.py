from django.urls import include, path

app_name = "controlroom"

urlpatterns = [
    path("udara/", include("terang.controlroom.views.air_urls")),
    path("ruang-kendali/peringatan/", include("terang.controlroom.views.alert_urls")),
    path("ruang-kendali/pesan-gagal/", include("terang.controlroom.views.deadletter_urls")),
    path("ruang-kendali/", include("terang.controlroom.views.wall_urls")),
]
