"""Price entry, import and price alerts, mounted at /staf/harga-pasar/ (namespace "markets",
names prefixed staff_)."""

from django.urls import path

from ..views import staff

urlpatterns = [
    path("", staff.entry, name="staff_entry"),
    path("impor/", staff.import_prices, name="staff_import"),
    path("peringatan/", staff.alerts, name="staff_alerts"),
    path("peringatan/<int:pk>/tangani/", staff.alert_acknowledge, name="staff_alert_acknowledge"),
    path("peringatan/<int:pk>/selesai/", staff.alert_resolve, name="staff_alert_resolve"),
]
