"""Who may do what in the Satu Data catalog (Perpres 39/2019).

* Produsen data (producing agency): officers and heads of the dataset's agency draft datasets,
  add resources and files, edit Table Schemas, submit to the walidata and withdraw.
* Walidata (the data custodian, DataSettings.walidata_agency, usually Diskominfo): its officers
  and head verify and publish submitted datasets and pending files, or return them with a note.
* Administrators may do both. The inspectorate reads every dataset in the staff pages.
* Everyone, signed in or not, sees published datasets and their verified resources only.
"""

from __future__ import annotations

from typing import Any

from terang.core.choices import Role

from .models import Dataset, DataSettings

AGENCY_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD})
STAFF_DATA_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD, Role.ADMIN, Role.INSPECTORATE})


def data_settings() -> DataSettings:
    """The policy row, or an unsaved empty one (no walidata yet: only administrators verify)."""
    return DataSettings.objects.order_by("pk").first() or DataSettings()


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_walidata(user: Any) -> bool:
    if not _active(user):
        return False
    if user.role == Role.ADMIN:
        return True
    walidata_id = data_settings().walidata_agency_id
    return bool(
        user.role in AGENCY_ROLES and walidata_id is not None and user.agency_id == walidata_id
    )


def can_produce_for(user: Any, agency_id: int | None) -> bool:
    """May `user` draft datasets for this agency (its own agency, or any as administrator)."""
    if not _active(user) or agency_id is None:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role in AGENCY_ROLES and user.agency_id == agency_id


def chooses_agency(user: Any) -> bool:
    """Administrators draft datasets for any agency, so the form asks which one."""
    return _active(user) and user.role == Role.ADMIN


def can_create_dataset(user: Any) -> bool:
    """May `user` start a new dataset: for any agency as administrator, else for their own."""
    return chooses_agency(user) or can_produce_for(user, user.agency_id)


def is_producer(user: Any) -> bool:
    """An officer or head of an agency (produsen data): manages their agency's datasets."""
    return _active(user) and user.role in AGENCY_ROLES and user.agency_id is not None


def can_edit(user: Any, dataset: Dataset) -> bool:
    return can_produce_for(user, dataset.organization_id)


def can_withdraw(user: Any, dataset: Dataset) -> bool:
    return can_edit(user, dataset) or is_walidata(user)


def sees_every_dataset(user: Any) -> bool:
    """Staff who see all agencies' datasets in the staff pages."""
    return _active(user) and (user.role in (Role.ADMIN, Role.INSPECTORATE) or is_walidata(user))


def can_view_staff(user: Any, dataset: Dataset) -> bool:
    return sees_every_dataset(user) or can_edit(user, dataset)
