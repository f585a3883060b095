"""Ingest dead letters, mounted at /ruang-kendali/pesan-gagal/ (namespace "controlroom")."""

from django.urls import path

from ..views import deadletters

urlpatterns = [
    path("", deadletters.dead_letter_list, name="dead_letter_list"),
    path("putar-ulang", deadletters.dead_letter_replay_all, name="dead_letter_replay_all"),
    path(
        "<int:dead_letter_id>/putar-ulang",
        deadletters.dead_letter_replay,
        name="dead_letter_replay",
    ),
]
