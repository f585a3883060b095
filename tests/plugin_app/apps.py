from django.apps import AppConfig


class PluginAppConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"

    def ready(self) -> None:
        # registry: wall_sources
        from terang.core.wall import register_wall_source

        from . import wall

        register_wall_source(
            "plugin_app",
            labels={"plugin": "Plugin uji"},
            counters=wall.wall_counters,
            events=wall.wall_events,
            map_points=wall.wall_map_points,
            daily_figures=wall.daily_figures,
        )
