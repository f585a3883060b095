from django.apps import AppConfig


class PluginAppConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"

    def ready(self) -> None:
        # registry: wall_sources
        from terang.core.wall import register_wall_source

        from . import wall_selectors

        register_wall_source(
            "plugin_app",
            labels={"plugin": "Plugin uji"},
            counters=wall_selectors.wall_counters,
            events=wall_selectors.wall_events,
            map_points=wall_selectors.wall_map_points,
            daily_figures=wall_selectors.daily_figures,
        )

        # registry["mqtt_topics"]: the plugin's gauges on <root>/plugin-app/<gauge>
        from terang.core.ingest import register_topic

        from .ingest import consume_levels

        register_topic("plugin_app", "plugin-app/+", consume_levels)

        # Periodic jobs (core.periodic): run by Celery beat and by the embedded scheduler
        from terang.core.periodic import register_job

        register_job("plugin-app-tick", task="tests.plugin_app.tasks.tick", schedule=60.0)
