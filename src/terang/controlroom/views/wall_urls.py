from django.urls import path

from terang.controlroom import streams

from . import wall

urlpatterns = [
    path("", wall.wall_page, name="wall"),
    path("ringkasan-harian/", wall.daily_brief, name="daily_brief"),
    path("stream", streams.wall_stream, name="wall_stream"),
]
