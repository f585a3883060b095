from django.urls import path

from .views import public, staff

app_name = "budget"

urlpatterns = [
    path("apbd/", public.years, name="years"),
    path("apbd/tahun.csv", public.years_csv, name="years_csv"),
    path("apbd/<int:year>/", public.year, name="year"),
    path("apbd/<int:year>/ringkasan.csv", public.summary_csv, name="summary_csv"),
    path("apbd/<int:year>/data.csv", public.dataset_csv, name="dataset_csv"),
    path("apbd/<int:year>/belanja/", public.spending, name="spending"),
    path("apbd/<int:year>/belanja.csv", public.spending_csv, name="spending_csv"),
    path("apbd/<int:year>/rekening/", public.accounts, name="accounts"),
    path("apbd/<int:year>/rekening.csv", public.accounts_csv, name="accounts_csv"),
    path("apbd/<int:year>/perbandingan/", public.compare, name="compare"),
    path("apbd/<int:year>/perbandingan.csv", public.compare_csv, name="compare_csv"),
    path("staf/apbd/", staff.import_budget, name="staff_import"),
    path("staf/apbd/<int:year>/status/", staff.year_status, name="staff_year_status"),
]
