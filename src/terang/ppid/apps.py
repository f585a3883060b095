from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpidConfig(AppConfig):
    name = "terang.ppid"
    label = "ppid"
    verbose_name = _("PPID")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from terang.core.files import register_file

        from .models import DipDocument, RequestFile
        from .permissions import (
            can_view_dip_document,
            can_view_request_file,
            is_public_dip_document,
        )

        register_file(
            RequestFile,
            "file",
            can_view=can_view_request_file,
            filename=lambda record: record.name,
            select_related=("request",),
        )
        register_file(
            DipDocument,
            "file",
            can_view=can_view_dip_document,
            is_public=is_public_dip_document,
            filename=lambda document: document.name,
            select_related=("entry",),
        )

        # registry: wall_sources
        from terang.core.wall import register_wall_source

        from . import wall_selectors

        register_wall_source(
            "ppid",
            labels={"ppid": _("PPID")},
            order=60,
            counters=wall_selectors.wall_counters,
            events=wall_selectors.wall_events,
            map_points=wall_selectors.wall_map_points,
            breaches=wall_selectors.wall_breaches,
            daily_figures=wall_selectors.daily_figures,
        )

        # Periodic jobs (core.registry "periodic_jobs"; run by Celery beat and run-scheduler)
        from terang.core.periodic import register_job

        register_job("ppid-sweep", task="terang.ppid.tasks.sweep_deadlines", schedule=600.0)
