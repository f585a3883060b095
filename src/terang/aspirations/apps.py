from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AspirationsConfig(AppConfig):
    name = "terang.aspirations"
    label = "aspirations"
    verbose_name = _("Aspirasi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from terang.core.files import register_file

        from .models import AspirationPhoto
        from .permissions import can_view_photo, is_public_photo

        register_file(
            AspirationPhoto,
            "image",
            can_view=can_view_photo,
            is_public=is_public_photo,
            select_related=("aspiration",),
        )

        # registry: wall_sources
        from terang.core.wall import register_wall_source

        from . import wall_selectors

        register_wall_source(
            "aspirations",
            labels={"aspirations": _("Aspirasi")},
            order=10,
            counters=wall_selectors.wall_counters,
            events=wall_selectors.wall_events,
            map_points=wall_selectors.wall_map_points,
            breaches=wall_selectors.wall_breaches,
            ping_pong=wall_selectors.wall_ping_pong,
            daily_figures=wall_selectors.daily_figures,
        )

        # registry: functions (where staff land after signing in)
        from django.urls import reverse

        from terang.core.views.auth import offer_staff_home

        offer_staff_home(lambda: reverse("aspirations:staff_inbox"))

        # Periodic jobs (core.registry "periodic_jobs"; run by Celery beat and run-scheduler)
        from terang.core.periodic import register_job

        register_job("sla-sweep", task="terang.aspirations.tasks.sweep_deadlines", schedule=600.0)
        register_job(
            "auto-close", task="terang.aspirations.tasks.auto_close_resolved", schedule=3600.0
        )
