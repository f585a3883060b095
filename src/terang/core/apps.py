from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "terang.core"
    label = "core"

    def ready(self) -> None:
        from terang.core.periodic import register_job

        from . import checks  # noqa: F401 - registers the deployment checks

        # Periodic jobs (core.registry "periodic_jobs"; run by Celery beat and run-scheduler)
        register_job(
            "audit-checkpoint", task="terang.core.tasks.checkpoint_audit_chain", schedule=300.0
        )
        register_job(
            "deliver-pending",
            task="terang.core.tasks.deliver_pending_notifications",
            schedule=120.0,
        )
        register_job(
            "purge-idempotency", task="terang.core.tasks.purge_idempotency_records", schedule=3600.0
        )
