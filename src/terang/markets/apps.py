from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketsConfig(AppConfig):
    name = "terang.markets"
    label = "markets"
    verbose_name = _("Harga pasar")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registry: wall_sources
        from terang.core.wall import register_wall_source

        from . import wall_selectors

        register_wall_source(
            "markets",
            labels={"markets": _("Harga pangan")},
            order=40,
            counters=wall_selectors.wall_counters,
            events=wall_selectors.wall_events,
            map_points=wall_selectors.wall_map_points,
            breaches=wall_selectors.wall_breaches,
            daily_figures=wall_selectors.daily_figures,
        )

        # core.alerts: alert_sources (the control room's operator page lists every alert)
        from terang.core.alerts import register_alert_source

        from .alert_source import SOURCE

        register_alert_source(SOURCE)
