"""The Satu Data catalog. Names follow CKAN where a CKAN client sees them (a dataset is a
"package" with a unique `name`, an agency is an "organization", a topic is a "group"), so the
CKAN API maps fields one to one; UUID primary keys are CKAN's `id`s.

Files are never overwritten: a new upload is a new `ResourceVersion` and the old one stays
downloadable. Tabular files are parsed into `DatastoreRow`s (one JSON object per row) with a
Frictionless Table Schema kept on the resource."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terang.opendata.choices import DatasetState, UpdateFrequency, VersionStatus


class DataSettings(models.Model):
    """One row: which agency is the city's walidata (usually Diskominfo). Its officers and head
    verify and publish what producing agencies submit."""

    walidata_agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("walidata"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pengaturan Satu Data")
        verbose_name_plural = _("pengaturan Satu Data")

    def __str__(self) -> str:
        return str(self.walidata_agency or "-")


class Licence(models.Model):
    """An open licence, CKAN-style id such as "cc-by-4.0"."""

    id = models.SlugField(primary_key=True, max_length=40)
    title = models.CharField(_("nama"), max_length=150)
    url = models.URLField(blank=True)
    is_open = models.BooleanField(_("terbuka"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("lisensi")
        verbose_name_plural = _("lisensi")

    def __str__(self) -> str:
        return self.title


class DataGroup(models.Model):
    """A topic group (CKAN "group"), e.g. kesehatan, pendidikan, keuangan daerah."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("kode"), max_length=100, unique=True)
    title = models.CharField(_("nama"), max_length=150)
    description = models.TextField(_("deskripsi"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("kelompok topik")
        verbose_name_plural = _("kelompok topik")

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("nama"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tag")

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """A dataset (CKAN "package") produced by one agency (CKAN "organization")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("nama URL"), max_length=100, unique=True)
    title = models.CharField(_("judul"), max_length=250)
    notes = models.TextField(_("deskripsi"), blank=True)
    organization = models.ForeignKey(
        "core.Agency",
        verbose_name=_("produsen data"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    groups = models.ManyToManyField(
        DataGroup, verbose_name=_("topik"), blank=True, related_name="datasets"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tag"), blank=True, related_name="datasets")
    licence = models.ForeignKey(Licence, verbose_name=_("lisensi"), on_delete=models.PROTECT)
    update_frequency = models.CharField(
        _("frekuensi pemutakhiran"),
        max_length=12,
        choices=UpdateFrequency.choices,
        default=UpdateFrequency.ANNUAL,
    )
    temporal_start = models.DateField(_("cakupan waktu dari"), null=True, blank=True)
    temporal_end = models.DateField(_("cakupan waktu sampai"), null=True, blank=True)
    spatial_coverage = models.CharField(_("cakupan wilayah"), max_length=200, blank=True)
    contact_name = models.CharField(_("narahubung"), max_length=150, blank=True)
    contact_email = models.EmailField(_("email narahubung"), blank=True)
    source = models.CharField(_("sumber data"), max_length=300, blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=DatasetState.choices, default=DatasetState.DRAFT
    )
    review_note = models.TextField(_("catatan walidata"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"))
    modified_at = models.DateTimeField(_("diubah"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    view_count = models.PositiveBigIntegerField(default=0)
    download_count = models.PositiveBigIntegerField(default=0)
    api_count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-modified_at"]
        verbose_name = _("dataset")
        verbose_name_plural = _("dataset")
        indexes = [
            models.Index(fields=["state", "-modified_at"], name="od_dataset_state_modified"),
            models.Index(fields=["organization", "state"], name="od_dataset_org_state"),
        ]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """A file (through its versions) or an external URL of a dataset."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("nama"), max_length=250)
    description = models.TextField(_("deskripsi"), blank=True)
    format = models.CharField(_("format"), max_length=20, blank=True)
    url = models.URLField(_("URL eksternal"), max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    table_schema = models.JSONField(
        _("skema tabel (Frictionless)"),
        default=dict,
        blank=True,
        help_text=_("Disimpulkan dari berkas dan dapat disunting."),
    )
    datastore_active = models.BooleanField(default=False)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    modified_at = models.DateTimeField()
    # Set when the walidata verified the resource (with its dataset, or later on its own when it
    # was added to an already published dataset); the public sees only these.
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    # Set when the walidata returned an unpublished resource; cleared when the producer edits it.
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dataset", "position", "created_at"]
        verbose_name = pgettext_lazy("resource", "sumber data")
        verbose_name_plural = pgettext_lazy("resources", "sumber data")

    def __str__(self) -> str:
        return self.name


class ResourceVersion(models.Model):
    """One uploaded file of a resource. Older versions stay downloadable."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="opendata/%Y/%m/")
    original_name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=VersionStatus.choices)
    report = models.JSONField(default=dict, blank=True)  # validation report, line-numbered
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["resource", "-number"]
        verbose_name = _("versi berkas")
        verbose_name_plural = _("versi berkas")
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="od_version_unique"),
            models.UniqueConstraint(
                fields=["resource"],
                condition=models.Q(status="current"),
                name="od_one_current_version",
            ),
        ]
        indexes = [
            models.Index(
                fields=["resource"], condition=models.Q(status="pending"), name="od_version_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}"


class DatastoreRow(models.Model):
    """One row of a tabular resource's current version, as a JSON object keyed by the Table
    Schema's field names. `row_number` is CKAN's `_id` (1-based, file order)."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    row_number = models.PositiveIntegerField()
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "row_number"], name="od_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}#{self.row_number}"


class DatasetUsage(models.Model):
    """Daily usage counts per dataset (views of its page, file downloads, API calls)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    api_calls = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "day"], name="od_usage_unique")]
        indexes = [models.Index(fields=["day"], name="od_usage_day")]

    def __str__(self) -> str:
        return f"{self.dataset_id}@{self.day}"


class ApiToken(models.Model):
    """A CKAN API token for writes (package_create, resource_create). Only its digest is kept;
    it acts with its user's rights."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ckan_tokens"
    )
    name = models.CharField(_("nama"), max_length=150)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
