"""Celery application. Without CELERY_BROKER_URL tasks run eagerly (embedded demo)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")

app = Celery("terang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
