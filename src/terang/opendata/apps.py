from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "terang.opendata"
    label = "opendata"
    verbose_name = _("Satu Data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registry["functions"]: official datasets other modules publish (core.publishing)
        from terang.core.publishing import offer_official_publisher

        from .services.official import publish_offered_dataset

        offer_official_publisher(publish_offered_dataset)
