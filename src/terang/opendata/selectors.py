"""Every read of the Satu Data catalog. The public catalog pages and the CKAN API search through
`search_datasets`; staff pages read through the `*_for_staff` selectors, scoped by agency.

Visibility: the public (and CKAN callers without a token) sees published datasets and, of
those, the resources the walidata verified (`Resource.published_at`) with their current and
superseded files. Producers, the walidata, the inspectorate and administrators see more in
the staff pages (see `permissions`)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.core.errors import NotFound
from terang.core.middleware import is_otp_verified
from terang.core.models import Agency, AuditEntry

from .choices import DatasetState, VersionStatus
from .errors import SearchQueryInvalid
from .models import DataGroup, Dataset, DatasetUsage, Licence, Resource, ResourceVersion, Tag
from .permissions import can_view_staff, is_producer, is_walidata, sees_every_dataset

FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
FILTER_FIELDS = (*FACET_FIELDS, "name", "id", "owner_org")
PUBLIC_VERSION_STATUSES = (VersionStatus.CURRENT, VersionStatus.SUPERSEDED)
# CKAN sort keys -> model fields. "score" is relevance (PostgreSQL full-text rank).
SORT_FIELDS = {
    "metadata_modified": "modified_at",
    "metadata_created": "created_at",
    "title_string": "title",
    "title": "title",
    "name": "name",
    "views_total": "view_count",
    "views_recent": "view_count",
    "score": "score",
}
DEFAULT_SORT = "score desc, metadata_modified desc"


def organization_name(agency: Agency) -> str:
    """An agency's CKAN organization name: its code in lower case (e.g. "diskominfo")."""
    return agency.code.lower()


@dataclass
class FacetItem:
    name: str
    display_name: str
    count: int


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[FacetItem]] = field(default_factory=dict)


def public_resources_queryset() -> QuerySet[Resource]:
    return Resource.objects.filter(published_at__isnull=False).order_by("position", "created_at")


def with_public_details(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """Everything a dataset card, page or CKAN package dict needs, in a fixed number of
    queries whatever the page size (resources land in `public_resources`)."""
    return queryset.select_related("organization", "licence").prefetch_related(
        "groups",
        "tags",
        Prefetch("resources", queryset=public_resources_queryset(), to_attr="public_resources"),
    )


def published_datasets() -> QuerySet[Dataset]:
    return Dataset.objects.filter(state=DatasetState.PUBLISHED)


def as_uuid(value: str) -> str | None:
    """The canonical text of a UUID, or None when `value` is not one."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _text_search(queryset: QuerySet[Dataset], q: str) -> tuple[QuerySet[Dataset], bool]:
    """Title and description; a dataset whose tag equals the text also matches. PostgreSQL:
    GIN-indexed tsvector ('simple' config, migration 0003) ranked for `score`; SQLite: every
    word in the title, description or a tag (no ranking)."""
    q = (q or "").strip()[:200]
    if not q or q == "*:*":
        return queryset, False
    tagged = Tag.objects.filter(name=q.lower()).values("datasets")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("title", "notes", config="simple")
        query = SearchQuery(q, config="simple", search_type="websearch")
        # The text match is its own subquery so PostgreSQL uses od_dataset_fulltext; ORed
        # inline with the tag subquery it scanned and re-parsed every dataset (bench_catalog:
        # 400 ms -> 90 ms for a common word at 10k datasets, 340 -> 18 ms for a rare one).
        matching = Dataset.objects.annotate(search=vector).filter(search=query).values("pk")
        queryset = queryset.annotate(score=SearchRank(vector, query)).filter(
            Q(pk__in=matching) | Q(pk__in=tagged)
        )
        return queryset, True
    for word in q.split()[:8]:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(notes__icontains=word)
            | Q(pk__in=Tag.objects.filter(name__icontains=word).values("datasets"))
        )
    return queryset, False


def apply_filters(queryset: QuerySet[Dataset], filters: dict[str, list[str]]) -> QuerySet[Dataset]:
    """CKAN facet filters, all ANDed (two tags: datasets with both). Subqueries keep one row per
    dataset."""
    for key, values in filters.items():
        for value in values:
            value = str(value).strip()
            if key == "organization":
                queryset = queryset.filter(organization__code__iexact=value)
            elif key == "owner_org":
                condition = Q(organization__code__iexact=value)
                if value.isdigit():
                    condition |= Q(organization_id=int(value))
                queryset = queryset.filter(condition)
            elif key == "groups":
                queryset = queryset.filter(
                    pk__in=DataGroup.objects.filter(name=value).values("datasets")
                )
            elif key == "tags":
                queryset = queryset.filter(
                    pk__in=Tag.objects.filter(name=value.lower()).values("datasets")
                )
            elif key == "res_format":
                queryset = queryset.filter(
                    pk__in=public_resources_queryset()
                    .filter(format__iexact=value)
                    .values("dataset_id")
                )
            elif key == "license_id":
                queryset = queryset.filter(licence_id=value)
            elif key == "name":
                queryset = queryset.filter(name=value)
            elif key == "id":
                pk = as_uuid(value)
                queryset = queryset.filter(pk=pk) if pk else queryset.none()
            else:
                raise SearchQueryInvalid(
                    _("Kolom saringan tidak dikenal: %(key)s") % {"key": key},
                    details={"field": key},
                )
    return queryset


def _ordering(sort: str, ranked: bool) -> list[Any]:
    ordering: list[Any] = []
    for item in (sort or DEFAULT_SORT).split(","):
        parts = item.strip().split()
        if not parts:
            continue
        key = parts[0]
        direction = parts[1].lower() if len(parts) > 1 else "asc"
        if key not in SORT_FIELDS or direction not in ("asc", "desc") or len(parts) > 2:
            raise SearchQueryInvalid(
                _("Urutan tidak dikenal: %(sort)s") % {"sort": item.strip()},
                details={"sort": item.strip()},
            )
        column = SORT_FIELDS[key]
        if column == "score" and not ranked:
            continue
        expression = F(column)
        ordering.append(expression.desc() if direction == "desc" else expression.asc())
    ordering.append(F("name").asc())
    return ordering


def search_datasets(
    *,
    q: str = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = DEFAULT_SORT,
    start: int = 0,
    rows: int = 20,
    facet_fields: tuple[str, ...] | list[str] = (),
    facet_limit: int = 50,
    base: QuerySet[Dataset] | None = None,
) -> SearchResult:
    """Published datasets (or `base`) matching `q` and `filters`, one page, with facet counts
    over the whole match. `sort` uses CKAN's keys (see SORT_FIELDS)."""
    queryset = published_datasets() if base is None else base
    queryset, ranked = _text_search(queryset, q)
    queryset = apply_filters(queryset, filters or {})
    ordering = _ordering(sort, ranked)
    count = queryset.count()
    page = list(with_public_details(queryset.order_by(*ordering))[start : start + rows])
    matched = Dataset.objects.filter(pk__in=queryset.values("pk"))
    facets = {name: facet_items(matched, name, limit=facet_limit) for name in facet_fields}
    return SearchResult(count=count, datasets=page, facets=facets)


def facet_items(matched: QuerySet[Dataset], name: str, *, limit: int = 50) -> list[FacetItem]:
    """Counts of matched datasets per value of one facet, most frequent first."""
    rows: Any
    if name == "organization":
        rows = matched.values(
            "organization__code", "organization__name", "organization__short_name"
        ).annotate(n=Count("pk"))
        items = [
            FacetItem(
                r["organization__code"].lower(),
                r["organization__short_name"] or r["organization__name"],
                r["n"],
            )
            for r in rows
        ]
    elif name == "groups":
        rows = (
            DataGroup.objects.filter(datasets__in=matched)
            .values("name", "title")
            .annotate(n=Count("datasets"))
        )
        items = [FacetItem(r["name"], r["title"], r["n"]) for r in rows]
    elif name == "tags":
        rows = Tag.objects.filter(datasets__in=matched).values("name").annotate(n=Count("datasets"))
        items = [FacetItem(r["name"], r["name"], r["n"]) for r in rows]
    elif name == "res_format":
        rows = (
            public_resources_queryset()
            .filter(dataset__in=matched)
            .exclude(format="")
            .values("format")
            .annotate(n=Count("dataset", distinct=True))
            .order_by()
        )
        items = [FacetItem(r["format"], r["format"], r["n"]) for r in rows]
    elif name == "license_id":
        rows = matched.values("licence_id", "licence__title").annotate(n=Count("pk"))
        items = [FacetItem(r["licence_id"], r["licence__title"], r["n"]) for r in rows]
    else:
        raise SearchQueryInvalid(
            _("Faset tidak dikenal: %(name)s") % {"name": name}, details={"facet.field": name}
        )
    items.sort(key=lambda item: (-item.count, item.display_name.lower()))
    return items if limit < 0 else items[:limit]


def get_public_dataset(name_or_id: str) -> Dataset:
    """A published dataset by CKAN name or id; NotFound otherwise."""
    value = str(name_or_id or "").strip()
    condition = Q(name=value)
    if (pk := as_uuid(value)) is not None:
        condition |= Q(pk=pk)
    dataset = with_public_details(published_datasets().filter(condition)).first()
    if dataset is None:
        raise NotFound(_("Dataset tidak ditemukan."))
    return dataset


def _staff_viewer(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_city_staff", False)
        and is_otp_verified(user)
    )


def get_dataset_for_viewer(user: Any, name: str) -> Dataset:
    """The public pages' dataset: published, or any dataset the signed-in (two-factor) staff
    member may see in the staff pages, so the walidata can preview before publishing."""
    try:
        return get_public_dataset(name)
    except NotFound:
        if not _staff_viewer(user):
            raise
    dataset = with_public_details(Dataset.objects.filter(name=name)).first()
    if dataset is None or not can_view_staff(user, dataset):
        raise NotFound(_("Dataset tidak ditemukan."))
    return dataset


def shows_everything(user: Any, dataset: Dataset) -> bool:
    """Whether `user` sees the dataset's unpublished resources and every file version."""
    return _staff_viewer(user) and can_view_staff(user, dataset)


def resources_for(user: Any, dataset: Dataset) -> list[Resource]:
    if shows_everything(user, dataset):
        return list(dataset.resources.order_by("position", "created_at"))
    return list(
        getattr(dataset, "public_resources", None)
        or public_resources_queryset().filter(dataset=dataset)
    )


def get_resource_for_viewer(user: Any, dataset: Dataset, resource_id: Any) -> Resource:
    pk = as_uuid(str(resource_id))
    resource = None
    if pk is not None:
        queryset = dataset.resources.all()
        if not shows_everything(user, dataset):
            queryset = queryset.filter(published_at__isnull=False)
        resource = queryset.filter(pk=pk).first()
    if resource is None:
        raise NotFound(_("Sumber data tidak ditemukan."))
    resource.dataset = dataset
    return resource


def versions_for(user: Any, resource: Resource) -> list[ResourceVersion]:
    versions = resource.versions.select_related("uploaded_by").order_by("-number")
    if not shows_everything(user, resource.dataset):
        versions = versions.filter(status__in=PUBLIC_VERSION_STATUSES)
    return list(versions)


def get_version_for_viewer(user: Any, resource: Resource, number: int) -> ResourceVersion:
    for version in versions_for(user, resource):
        if version.number == number:
            return version
    raise NotFound(_("Versi berkas tidak ditemukan."))


def get_public_resource(resource_id: str) -> Resource:
    """A published resource of a published dataset, by id (CKAN resource_show)."""
    pk = as_uuid(resource_id)
    resource = (
        public_resources_queryset()
        .filter(pk=pk, dataset__state=DatasetState.PUBLISHED)
        .select_related("dataset", "dataset__organization")
        .first()
        if pk
        else None
    )
    if resource is None:
        raise NotFound(_("Sumber data tidak ditemukan."))
    return resource


def current_versions(resources: list[Resource]) -> dict[Any, ResourceVersion]:
    """The current version of each resource, by resource id (one query)."""
    versions = ResourceVersion.objects.filter(resource__in=resources, status=VersionStatus.CURRENT)
    return {version.resource_id: version for version in versions}


@dataclass
class UsageSummary:
    views: int
    downloads: int
    api_calls: int
    recent_views: int
    recent_downloads: int
    recent_api_calls: int
    recent_days: int


def usage_summary(dataset: Dataset, *, days: int = 30) -> UsageSummary:
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    recent = DatasetUsage.objects.filter(dataset=dataset, day__gte=since).aggregate(
        v=Sum("views"), d=Sum("downloads"), a=Sum("api_calls")
    )
    return UsageSummary(
        views=dataset.view_count,
        downloads=dataset.download_count,
        api_calls=dataset.api_count,
        recent_views=recent["v"] or 0,
        recent_downloads=recent["d"] or 0,
        recent_api_calls=recent["a"] or 0,
        recent_days=days,
    )


# Staff


def datasets_for_staff(user: Any, *, state: str | None = None) -> QuerySet[Dataset]:
    """What a staff member manages: everything for administrators, the walidata and the
    inspectorate; their own agency's datasets for other officers and heads."""
    queryset = Dataset.objects.select_related("organization", "licence")
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if not sees_every_dataset(user):
        if not is_producer(user):
            return queryset.none()
        queryset = queryset.filter(organization_id=user.agency_id)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-modified_at")


def get_dataset_for_staff(user: Any, name: str) -> Dataset:
    dataset = datasets_for_staff(user).filter(name=name).first()
    if dataset is None:
        raise NotFound(_("Dataset tidak ditemukan."))
    return dataset


def get_resource_for_staff(user: Any, dataset: Dataset, resource_id: Any) -> Resource:
    pk = as_uuid(str(resource_id))
    resource = dataset.resources.filter(pk=pk).first() if pk else None
    if resource is None or not can_view_staff(user, dataset):
        raise NotFound(_("Sumber data tidak ditemukan."))
    resource.dataset = dataset
    return resource


@dataclass
class WalidataQueue:
    submitted: list[Dataset]
    changed: list[Dataset]  # published datasets with files or links waiting


def walidata_queue(user: Any) -> WalidataQueue:
    """What waits for the walidata: submitted datasets (oldest first) and published datasets
    with pending files or links."""
    if not is_walidata(user):
        return WalidataQueue(submitted=[], changed=[])
    submitted = list(
        Dataset.objects.filter(state=DatasetState.SUBMITTED)
        .select_related("organization")
        .order_by("submitted_at", "name")
    )
    waiting = Q(
        pk__in=ResourceVersion.objects.filter(status=VersionStatus.PENDING).values(
            "resource__dataset_id"
        )
    ) | Q(
        pk__in=Resource.objects.filter(published_at__isnull=True, returned_at__isnull=True)
        .exclude(url="")
        .values("dataset_id")
    )
    changed = list(
        Dataset.objects.filter(state=DatasetState.PUBLISHED)
        .filter(waiting)
        .select_related("organization")
        .order_by("modified_at", "name")
    )
    return WalidataQueue(submitted=submitted, changed=changed)


def dataset_history(dataset: Dataset) -> list[AuditEntry]:
    """The dataset's audit chain, oldest first: its whole history (resources and files too)."""
    return list(
        AuditEntry.objects.filter(chain=f"opendata.dataset:{dataset.pk}")
        .select_related("actor")
        .order_by("seq")
    )


def licences() -> list[Licence]:
    return list(Licence.objects.order_by("title"))


def groups_with_counts() -> QuerySet[DataGroup]:
    return DataGroup.objects.annotate(
        package_count=Count("datasets", filter=Q(datasets__state=DatasetState.PUBLISHED))
    )


def organizations_with_counts() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).annotate(
        package_count=Count("datasets", filter=Q(datasets__state=DatasetState.PUBLISHED))
    )
