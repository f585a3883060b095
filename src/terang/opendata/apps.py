from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "terang.opendata"
    label = "opendata"
    verbose_name = _("Satu Data")
    default_auto_field = "django.db.models.BigAutoField"
