"""The wall, its stream and the daily brief, mounted at /ruang-kendali/ (namespace
"controlroom")."""

from django.urls import path

from .. import streams
from ..views import wall

urlpatterns = [
    path("", wall.wall_page, name="wall"),
    path("ringkasan-harian/", wall.daily_brief, name="daily_brief"),
    path("stream", streams.wall_stream, name="wall_stream"),
]
