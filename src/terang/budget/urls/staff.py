"""The APBD import desk, mounted at /staf/apbd/ (namespace "budget", names prefixed staff_)."""

from django.urls import path

from ..views import staff

urlpatterns = [
    path("", staff.import_budget, name="staff_import"),
    path("<int:year>/status/", staff.year_status, name="staff_year_status"),
]
