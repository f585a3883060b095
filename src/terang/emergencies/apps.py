from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergenciesConfig(AppConfig):
    name = "terang.emergencies"
    label = "emergencies"
    verbose_name = _("Kedaruratan 112")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registry: wall_sources
        from terang.core.wall import register_wall_source

        from . import selectors

        register_wall_source(
            "emergencies",
            labels={"emergencies": _("112")},
            order=30,
            counters=selectors.wall_counters,
            events=selectors.wall_events,
            map_points=selectors.wall_map_points,
            breaches=selectors.wall_breaches,
            daily_figures=selectors.daily_figures,
        )
