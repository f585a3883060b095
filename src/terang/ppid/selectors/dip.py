"""Reads of the DIP (Daftar Informasi Publik): the public list with full-text search over the
entries and the text of their documents, and the PPID's own view (drafts included)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from terang.core.errors import NotFound, ValidationFailed
from terang.core.models import User

from ..choices import DipCategory
from ..models import DipDocument, DipEntry
from ..permissions import is_ppid_staff

MAX_WORDS = 8


@dataclass(frozen=True)
class DipFilters:
    q: str | None = None
    category: str | None = None
    agency: str | None = None


def _documents() -> Prefetch:
    return Prefetch(
        "documents",
        queryset=DipDocument.objects.defer("extracted_text").order_by("id"),
    )


def public_dip() -> QuerySet[DipEntry]:
    return (
        DipEntry.objects.filter(is_published=True)
        .select_related("agency")
        .prefetch_related(_documents())
    )


def dip_for_staff(user: User) -> QuerySet[DipEntry]:
    if not is_ppid_staff(user):
        return DipEntry.objects.none()
    return DipEntry.objects.select_related("agency").prefetch_related(_documents())


def search_dip(
    filters: DipFilters, *, base: QuerySet[DipEntry] | None = None
) -> QuerySet[DipEntry]:
    """Filter by category and agency, then match every word of `q` in the entry (title,
    summary) or in a document (title, extracted text).

    PostgreSQL: tsvector queries in the 'simple' configuration (PostgreSQL has no Indonesian
    stemmer), served by the GIN indexes of migration 0002. SQLite: icontains per word."""
    queryset = base if base is not None else public_dip()
    if filters.category:
        if filters.category not in DipCategory.values:
            raise ValidationFailed(details={"field": "category"})
        queryset = queryset.filter(category=filters.category)
    if filters.agency:
        queryset = queryset.filter(agency__code=filters.agency)
    q = " ".join((filters.q or "").split()[:MAX_WORDS])[:200]
    if not q:
        return queryset.order_by("category", "title", "id")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(q, config="simple", search_type="websearch")
        in_entries = (
            DipEntry.objects.annotate(search=SearchVector("title", "summary", config="simple"))
            .filter(search=query)
            .values("id")
        )
        in_documents = (
            DipDocument.objects.annotate(
                search=SearchVector("title", "extracted_text", config="simple")
            )
            .filter(search=query)
            .values("entry_id")
        )
        queryset = queryset.filter(Q(id__in=in_entries) | Q(id__in=in_documents))
        return queryset.order_by("category", "title", "id")
    for word in q.split():
        matching_documents = DipDocument.objects.filter(
            Q(title__icontains=word) | Q(extracted_text__icontains=word)
        ).values("entry_id")
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(id__in=matching_documents)
        )
    return queryset.order_by("category", "title", "id")


def get_public_entry(pk: int) -> DipEntry:
    entry = public_dip().filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def get_entry_for_staff(*, user: User, pk: int) -> DipEntry:
    entry = dip_for_staff(user).filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def get_public_document(token: str) -> DipDocument:
    """A document of a published, non-exempt entry (exempt entries never carry documents; the
    check is kept as a second lock)."""
    document = (
        DipDocument.objects.select_related("entry")
        .filter(token=token, entry__is_published=True)
        .exclude(entry__category=DipCategory.EXEMPT)
        .first()
    )
    if document is None:
        raise NotFound()
    return document


def get_document_for_staff(*, user: User, token: str) -> DipDocument:
    if not is_ppid_staff(user):
        raise NotFound()
    document = DipDocument.objects.select_related("entry").filter(token=token).first()
    if document is None:
        raise NotFound()
    return document


def category_counts() -> dict[str, int]:
    from django.db.models import Count

    return dict(
        DipEntry.objects.filter(is_published=True)
        .order_by()
        .values_list("category")
        .annotate(n=Count("id"))
    )
