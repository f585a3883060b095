"""CKAN Action API routes, included at the site root (ckanapi posts to /api/action/<name>,
other clients use /api/3/action/<name>). No trailing slash and no redirect."""

from django.urls import path

from . import views

urlpatterns = [
    path("api/3", views.api_version, name="ckan_api_version"),
    path("api/3/action/<str:name>", views.action, name="ckan_action"),
    path("api/action/<str:name>", views.action, name="ckan_action_unversioned"),
]
