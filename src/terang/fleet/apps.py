from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FleetConfig(AppConfig):
    name = "terang.fleet"
    label = "fleet"
    verbose_name = _("Armada")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registry["mqtt_topics"]: vehicle positions on <root>/fleet/<vehicle>
        from terang.core.ingest import register_topic
        from terang.fleet.services.ingest import consume_positions

        register_topic("fleet", "fleet/+", consume_positions)

        # registry: wall_sources
        from terang.core.wall import register_wall_source

        from . import wall_selectors

        register_wall_source(
            "fleet",
            labels={"fleet": _("Armada")},
            order=50,
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
