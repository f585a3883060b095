from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FleetConfig(AppConfig):
    name = "terang.fleet"
    label = "fleet"
    verbose_name = _("Armada")
    default_auto_field = "django.db.models.BigAutoField"
