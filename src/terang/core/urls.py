from django.urls import path

from .views import auth, files, pages

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("akun/masuk/", auth.LoginView.as_view(), name="login"),
    path("akun/keluar/", auth.LogoutView.as_view(), name="logout"),
    path("akun/daftar/", auth.register, name="register"),
    path("akun/verifikasi/", auth.verify, name="verify"),
    path("akun/verifikasi/kirim-ulang/", auth.resend_code, name="resend_code"),
    path("akun/2fa/", auth.two_factor, name="two_factor"),
    path("berkas/<str:key>/<int:pk>/<str:signature>/", files.serve, name="file"),
]
