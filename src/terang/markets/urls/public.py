"""Public staple-food prices and their CSV twins, mounted at /harga-pasar/ (namespace
"markets")."""

from django.urls import path

from ..views import public

urlpatterns = [
    path("", public.prices, name="public_prices"),
    path("harga-terkini.csv", public.prices_csv, name="public_prices_csv"),
    path("<slug:code>/", public.commodity, name="public_commodity"),
    path("<slug:code>/tren.csv", public.commodity_csv, name="public_commodity_csv"),
]
