from django.urls import include, path

app_name = "aspirations"

urlpatterns = [
    path("", include("terang.aspirations.views.public_urls")),
    path("staf/", include("terang.aspirations.views.staff_urls")),
]
