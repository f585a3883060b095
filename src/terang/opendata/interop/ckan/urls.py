"""CKAN Action API routes. CKAN's paths are fixed by its clients (ckanapi posts to
/api/action/<name>, others use /api/3/action/<name>), so each list here is mounted at one of
them by the root `terang.urls` (namespace "opendata"). No trailing slash and no redirect."""

from django.urls import path

from . import views

# Mounted at /api/3: the API version document.
version = [path("", views.api_version, name="ckan_api_version")]
# Mounted at /api/3/action/.
actions = [path("<str:name>", views.action, name="ckan_action")]
# Mounted at /api/action/ (ckanapi's path).
unversioned_actions = [path("<str:name>", views.action, name="ckan_action_unversioned")]
