"""Signing in and out, registration and two-factor, mounted at /akun/ (namespace "core")."""

from django.urls import path

from ..views import auth

urlpatterns = [
    path("masuk/", auth.LoginView.as_view(), name="login"),
    path("keluar/", auth.LogoutView.as_view(), name="logout"),
    path("daftar/", auth.register, name="register"),
    path("verifikasi/", auth.verify, name="verify"),
    path("verifikasi/kirim-ulang/", auth.resend_code, name="resend_code"),
    path("2fa/", auth.two_factor, name="two_factor"),
]
