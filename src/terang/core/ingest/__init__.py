"""The ingest toolkit every device-facing app shares: payload decoding (`payloads`), the batch
result (`results`), the one batch skeleton (`batch`), the abstract quarantine row
(`quarantine`, imported from its module: it is a model), monthly partitions (`partitions`), the
MQTT topic registry (`topics`), the worker with its pure `consume` (`worker`) and dead letters
(`deadletters`).

This module imports no model, so an `apps.py` may import it at any time."""

from terang.core.ingest.batch import BatchIngest
from terang.core.ingest.payloads import PayloadRejected
from terang.core.ingest.results import IngestResult, Rejection
from terang.core.ingest.topics import TopicConsumer, TopicMessage, register_topic

__all__ = [
    "BatchIngest",
    "IngestResult",
    "PayloadRejected",
    "Rejection",
    "TopicConsumer",
    "TopicMessage",
    "register_topic",
]
