"""The home page, mounted at the site root (namespace "core")."""

from django.urls import path

from ..views import pages

urlpatterns = [
    path("", pages.home, name="home"),
]
