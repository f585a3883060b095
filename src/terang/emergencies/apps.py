from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergenciesConfig(AppConfig):
    name = "terang.emergencies"
    label = "emergencies"
    verbose_name = _("Kedaruratan 112")
    default_auto_field = "django.db.models.BigAutoField"
