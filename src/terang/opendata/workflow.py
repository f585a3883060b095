"""A dataset's states and the moves between them (Perpres 39/2019: the producer submits, the
walidata verifies before anything is published). Only the services in `services.datasets`
change `Dataset.state`, each through `ensure_transition`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terang.core import workflow
from terang.core.errors import InvalidTransition

from .choices import DatasetState
from .models import Dataset

TRANSITIONS: dict[str, frozenset[str]] = {
    DatasetState.DRAFT: frozenset({DatasetState.SUBMITTED}),
    DatasetState.RETURNED: frozenset({DatasetState.SUBMITTED}),
    DatasetState.WITHDRAWN: frozenset({DatasetState.SUBMITTED}),
    DatasetState.SUBMITTED: frozenset({DatasetState.PUBLISHED, DatasetState.RETURNED}),
    DatasetState.PUBLISHED: frozenset({DatasetState.WITHDRAWN}),
}
# States in which the producer may change the dataset, its resources and files. A submitted
# dataset is frozen while the walidata reviews it.
EDITABLE_STATES = frozenset(
    {DatasetState.DRAFT, DatasetState.RETURNED, DatasetState.WITHDRAWN, DatasetState.PUBLISHED}
)


class DatasetInvalidTransition(InvalidTransition):
    code = "opendata_invalid_transition"


def ensure_transition(dataset: Dataset, to: str) -> None:
    def refused(current: str, target: str) -> InvalidTransition:
        return DatasetInvalidTransition(
            _("Dataset berstatus %(state)s tidak dapat diubah menjadi %(to)s.")
            % {"state": dataset.get_state_display(), "to": DatasetState(target).label},
            details={"from": current, "to": target},
        )

    workflow.ensure_transition(TRANSITIONS, dataset.state, to, error=refused)


def ensure_editable(dataset: Dataset) -> None:
    if dataset.state not in EDITABLE_STATES:
        raise DatasetInvalidTransition(
            _("Dataset sedang diperiksa walidata dan tidak dapat diubah."),
            details={"state": dataset.state},
        )
