"""Every write of the PPID app. HTML views, the JSON API, tasks and the demo call these."""

from .dip import (
    DipEntryData,
    add_dip_document,
    create_dip_entry,
    remove_dip_document,
    update_dip_entry,
)
from .objections import (
    answer_objection,
    file_objection,
    objection_window,
    record_dispute,
    withdraw_objection,
)
from .requests import (
    Answer,
    RequestForm,
    answer_request,
    close_request,
    deliver_documents,
    extend_request,
    start_processing,
    submit_request,
    withdraw_request,
)
from .sla import sweep_deadlines

__all__ = [
    "Answer",
    "DipEntryData",
    "RequestForm",
    "add_dip_document",
    "answer_objection",
    "answer_request",
    "close_request",
    "create_dip_entry",
    "deliver_documents",
    "extend_request",
    "file_objection",
    "objection_window",
    "record_dispute",
    "remove_dip_document",
    "start_processing",
    "submit_request",
    "sweep_deadlines",
    "update_dip_entry",
    "withdraw_objection",
    "withdraw_request",
]
