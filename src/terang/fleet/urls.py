from django.urls import path

from terang.fleet import views

app_name = "fleet"

urlpatterns = [
    path("ruang-kendali/armada/", views.overview, name="overview"),
    path("ruang-kendali/armada/kendaraan/<slug:code>/", views.vehicle_detail, name="vehicle"),
    path("ruang-kendali/armada/rute/", views.routes, name="routes"),
    path("ruang-kendali/armada/rute/<slug:code>/", views.route_detail, name="route"),
]
