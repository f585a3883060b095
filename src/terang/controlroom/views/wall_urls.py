from django.urls import path

from . import wall

urlpatterns = [
    path("", wall.wall_page, name="wall"),
    path("ringkasan-harian/", wall.daily_brief, name="daily_brief"),
]
