from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpidConfig(AppConfig):
    name = "terang.ppid"
    label = "ppid"
    verbose_name = _("PPID")
    default_auto_field = "django.db.models.BigAutoField"
