from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlroomConfig(AppConfig):
    name = "terang.controlroom"
    label = "controlroom"
    verbose_name = _("Ruang kendali")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registry["mqtt_topics"]: sensor readings on <root>/sensors/<station>/<parameter>
        from terang.controlroom.sensors.mqtt import CONSUMER, consume_readings, sensors_topic_filter
        from terang.core.ingest import register_topic

        register_topic(CONSUMER, sensors_topic_filter(), consume_readings)

        # registry: wall_sources (core.wall): the sensors' part of the wall
        from terang.controlroom.sensors import wall_selectors
        from terang.core.wall import register_wall_source

        register_wall_source(
            "controlroom",
            labels={"sensors": _("Sensor"), "alerts": _("Peringatan dini")},
            order=20,
            counters=wall_selectors.wall_counters,
            events=wall_selectors.wall_events,
            map_points=wall_selectors.wall_map_points,
            breaches=wall_selectors.wall_breaches,
            daily_figures=wall_selectors.daily_figures,
        )

        # Periodic jobs (core.registry "periodic_jobs"; run by Celery beat and run-scheduler)
        from celery.schedules import crontab

        from terang.core.periodic import register_job

        register_job(
            "reading-partitions",
            task="terang.controlroom.tasks.ensure_partitions",
            schedule=86400.0,
        )
        register_job(
            "silent-stations", task="terang.controlroom.tasks.check_silent_stations", schedule=60.0
        )
        register_job(
            "publish-ispu",
            task="terang.controlroom.tasks.publish_ispu",
            schedule=crontab(minute=5),
            description="five minutes past each hour, after late readings",
        )
