from django.urls import path

from . import streams, views

urlpatterns = [
    path("", views.wall_page, name="wall"),
    path("ringkasan-harian/", views.daily_brief, name="daily_brief"),
    path("stream", streams.wall_stream, name="wall_stream"),
]
