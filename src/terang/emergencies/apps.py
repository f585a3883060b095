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

        from . import wall_selectors

        register_wall_source(
            "emergencies",
            labels={"emergencies": _("112")},
            order=30,
            counters=wall_selectors.wall_counters,
            events=wall_selectors.wall_events,
            map_points=wall_selectors.wall_map_points,
            breaches=wall_selectors.wall_breaches,
            daily_figures=wall_selectors.daily_figures,
        )
