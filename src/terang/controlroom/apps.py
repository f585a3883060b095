from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlroomConfig(AppConfig):
    name = "terang.controlroom"
    label = "controlroom"
    verbose_name = _("Ruang kendali")
    default_auto_field = "django.db.models.BigAutoField"
