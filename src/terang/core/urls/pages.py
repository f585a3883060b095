"""The home page and /favicon.ico, mounted at the site root (namespace "core")."""

from django.urls import path

from ..views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("favicon.ico", pages.favicon, name="favicon"),
]
