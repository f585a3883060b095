from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketsConfig(AppConfig):
    name = "terang.markets"
    label = "markets"
    verbose_name = _("Harga pasar")
    default_auto_field = "django.db.models.BigAutoField"
