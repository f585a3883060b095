from django.urls import path

from . import views

urlpatterns = [
    path("", views.dead_letter_list, name="dead_letter_list"),
    path("putar-ulang", views.dead_letter_replay_all, name="dead_letter_replay_all"),
    path(
        "<int:dead_letter_id>/putar-ulang",
        views.dead_letter_replay,
        name="dead_letter_replay",
    ),
]
