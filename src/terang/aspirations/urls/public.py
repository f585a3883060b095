"""Public and citizen aspiration pages, mounted at the site root (namespace "aspirations")."""

from django.urls import path

from ..views import public

urlpatterns = [
    path("lapor/", public.submit, name="submit"),
    path("lapor/terkirim/<str:code>/", public.submitted, name="submitted"),
    path("lacak/", public.track_lookup, name="track_lookup"),
    path("lacak/<str:code>/", public.track, name="track"),
    path("lacak/<str:code>/nilai/", public.rate, name="rate"),
    path("lacak/<str:code>/buka-kembali/", public.reopen, name="reopen"),
    path("aspirasi/", public.public_list, name="list"),
    path("aspirasi/peta/", public.public_map, name="map"),
    path("aspirasi/peta.geojson", public.map_geojson, name="map_geojson"),
    path("aspirasi/<str:code>/", public.detail, name="detail"),
    path("aspirasi/<str:code>/ikuti/", public.follow, name="follow"),
    path("kinerja/", public.performance, name="performance"),
    path("kinerja.csv", public.performance_csv, name="performance_csv"),
    path("kinerja.json", public.performance_json, name="performance_json"),
    path("saya/laporan/", public.my_reports, name="my_reports"),
    path("wilayah/langganan/", public.subscriptions, name="subscriptions"),
]
