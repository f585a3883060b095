"""Every write of the Satu Data catalog, split by concept: `datasets` (metadata and the
producer -> walidata workflow), `resources` (links, file versions, datastore rows, Table
Schemas, the walidata's check of changes to published datasets), `usage` (counts) and `tokens`
(CKAN API tokens)."""

from .datasets import (
    EDITABLE_FIELDS,
    create_dataset,
    normalise_tag,
    return_dataset,
    submit_dataset,
    update_dataset,
    usable_resources,
    verify_dataset,
    withdraw_dataset,
)
from .official import OfficialFile, publish_official_dataset
from .resources import (
    Upload,
    add_resource,
    delete_resource,
    pending_changes,
    return_pending_changes,
    update_resource,
    update_table_schema,
    upload_from_file,
    upload_version,
    verify_pending_changes,
)
from .tokens import authenticate_api_token, issue_api_token, revoke_api_token
from .usage import record_usage

__all__ = [
    "OfficialFile",
    "publish_official_dataset",
    "EDITABLE_FIELDS",
    "Upload",
    "add_resource",
    "authenticate_api_token",
    "create_dataset",
    "delete_resource",
    "issue_api_token",
    "normalise_tag",
    "pending_changes",
    "record_usage",
    "return_dataset",
    "return_pending_changes",
    "revoke_api_token",
    "submit_dataset",
    "update_dataset",
    "update_resource",
    "update_table_schema",
    "upload_from_file",
    "upload_version",
    "usable_resources",
    "verify_dataset",
    "verify_pending_changes",
    "withdraw_dataset",
]
