from django.contrib.auth import views as auth_views
from django.urls import path

from .views import auth, pages

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("akun/masuk/", auth.LoginView.as_view(), name="login"),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
]
