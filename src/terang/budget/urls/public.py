"""Public APBD pages and their CSV twins, mounted at /apbd/ (namespace "budget")."""

from django.urls import path

from ..views import public

urlpatterns = [
    path("", public.years, name="years"),
    path("tahun.csv", public.years_csv, name="years_csv"),
    path("<int:year>/", public.year, name="year"),
    path("<int:year>/ringkasan.csv", public.summary_csv, name="summary_csv"),
    path("<int:year>/data.csv", public.dataset_csv, name="dataset_csv"),
    path("<int:year>/belanja/", public.spending, name="spending"),
    path("<int:year>/belanja.csv", public.spending_csv, name="spending_csv"),
    path("<int:year>/rekening/", public.accounts, name="accounts"),
    path("<int:year>/rekening.csv", public.accounts_csv, name="accounts_csv"),
    path("<int:year>/perbandingan/", public.compare, name="compare"),
    path("<int:year>/perbandingan.csv", public.compare_csv, name="compare_csv"),
]
