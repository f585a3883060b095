from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "terang.budget"
    label = "budget"
    verbose_name = _("APBD")
    default_auto_field = "django.db.models.BigAutoField"
