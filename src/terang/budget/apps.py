from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "terang.budget"
    label = "budget"
    verbose_name = _("APBD")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Periodic jobs (core.registry "periodic_jobs"; run by Celery beat and run-scheduler)
        from terang.core.periodic import register_job

        register_job(
            "budget-datasets", task="terang.budget.tasks.sync_budget_datasets", schedule=86400.0
        )
