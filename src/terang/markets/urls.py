from django.urls import path

from .views import public, staff

app_name = "markets"

urlpatterns = [
    path("harga-pasar/", public.prices, name="public_prices"),
    path("harga-pasar/harga-terkini.csv", public.prices_csv, name="public_prices_csv"),
    path("harga-pasar/<slug:code>/", public.commodity, name="public_commodity"),
    path("harga-pasar/<slug:code>/tren.csv", public.commodity_csv, name="public_commodity_csv"),
    path("staf/harga-pasar/", staff.entry, name="staff_entry"),
    path("staf/harga-pasar/impor/", staff.import_prices, name="staff_import"),
    path("staf/harga-pasar/peringatan/", staff.alerts, name="staff_alerts"),
    path(
        "staf/harga-pasar/peringatan/<int:pk>/tangani/",
        staff.alert_acknowledge,
        name="staff_alert_acknowledge",
    ),
    path(
        "staf/harga-pasar/peringatan/<int:pk>/selesai/",
        staff.alert_resolve,
        name="staff_alert_resolve",
    ),
]
