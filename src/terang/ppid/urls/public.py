"""Public PPID pages: the register, statistics and the DIP, mounted at /ppid/ (namespace
"ppid")."""

from django.urls import path

from ..views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("register/", public.register, name="register"),
    path("register.csv", public.register_csv, name="register_csv"),
    path("statistik/", public.statistics, name="statistics"),
    path("statistik.csv", public.statistics_csv, name="statistics_csv"),
    path("dip/", public.dip, name="dip"),
    path("dip/<int:pk>/", public.dip_entry, name="dip_entry"),
    path("dip/dokumen/<str:token>/", public.dip_document, name="dip_document"),
]
