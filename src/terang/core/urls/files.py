"""The one permission-checked file view (terang.core.files), mounted at /berkas/ (namespace
"core")."""

from django.urls import path

from ..views import files

urlpatterns = [
    path("<str:key>/<int:pk>/<str:signature>/", files.serve, name="file"),
]
