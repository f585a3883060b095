"""The abstract quarantine row every device ingest keeps (sensor readings, vehicle positions).

A separate module from `terang.core.ingest` so that importing the toolkit (an `apps.py` does,
before the models are loaded) never defines a model."""

from __future__ import annotations

from django.db import models


class QuarantineRecord(models.Model):
    """What every device quarantine keeps of a message it could not store; each app adds its
    device code and its reasons."""

    received_at = models.DateTimeField(db_index=True)
    topic = models.CharField(max_length=255, blank=True)
    payload = models.TextField(blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["-received_at", "-id"]
