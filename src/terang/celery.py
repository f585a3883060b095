"""Celery application. Without CELERY_BROKER_URL tasks run eagerly (embedded demo).

The beat schedule is not listed in settings: it is built from the periodic-job registry
(`terang.core.periodic`), which apps fill in `AppConfig.ready()`. Beat and workers send
`import_modules` when they load (`app.loader.init_worker()`); Celery's Django fixup answers it
first with `django.setup()`, so by the time `fill_beat_schedule` runs every app has registered
its jobs, and beat reads `beat_schedule` only after that.
"""

import os
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")

app = Celery("terang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def fill_beat_schedule(sender: Celery | None = None, **_kwargs: Any) -> None:
    """Set `beat_schedule` from the periodic-job registry (once Django's apps are ready)."""
    from django.apps import apps

    if not apps.ready:
        return
    from terang.core.periodic import beat_schedule

    (sender or app).conf.beat_schedule = beat_schedule()


# Connected after the Django fixup's own receiver, so it runs after `django.setup()`.
signals.import_modules.connect(fill_beat_schedule, sender=app, weak=False)
app.on_after_finalize.connect(fill_beat_schedule, weak=False)
