"""Uploaded files (report photos, PPID papers, documents) are private: MEDIA_ROOT is served at no
URL, and every file is reached through one permission-checked view (`core.views.files`).

Each app registers, in its `AppConfig.ready()`, which of its file fields may be served and who
may see each file (`register_file`); core never imports the apps. A file's address carries the
model, the primary key and a signature (`file_url`), so addresses cannot be made up or walked:
holding the address is not enough either, the owning app is asked on every request.

The bytes leave by one of three transports, chosen by `PRIVATE_FILES_TRANSPORT`:
`django` streams them (demo, tests, small installs), `x-accel` hands the stored path to nginx
through an `internal` location, `s3` redirects to a short-lived signed URL of the bucket."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.signing import BadSignature, Signer
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.http import content_disposition_header

TRANSPORTS = ("django", "x-accel", "s3")
SIGNING_SALT = "terang.core.files"
PUBLIC_MAX_AGE = 3600

# The only types a file is ever sent as; anything else is an opaque download. Images are shown
# inline (they are re-encoded on upload); everything else is an attachment, so an uploaded file
# can never run as a page of the site.
INLINE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "json": "application/json",
    "zip": "application/zip",
}
FALLBACK_TYPE = "application/octet-stream"

Viewer = Any  # a User, an AnonymousUser or None


@dataclass(frozen=True)
class FileRule:
    """How one registered file field is served: who may see it, whether anyone may (then it is
    cached publicly), and the name the download gets."""

    model: type[Model]
    field: str
    can_view: Callable[[Viewer, Any], bool]
    is_public: Callable[[Any], bool]
    filename: Callable[[Any], str] | None
    select_related: tuple[str, ...]


_RULES: dict[str, FileRule] = {}


def rule_key(model: type[Model], field: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{field}"


def register_file(
    model: type[Model],
    field: str,
    *,
    can_view: Callable[[Viewer, Any], bool],
    is_public: Callable[[Any], bool] | None = None,
    filename: Callable[[Any], str] | None = None,
    select_related: tuple[str, ...] = (),
) -> None:
    """Let the file view serve `model.field`. `can_view(user, obj)` decides for private files;
    `is_public(obj)` marks files anyone may fetch (their responses may be cached by anyone)."""
    model._meta.get_field(field)  # fail at start-up on a typo, not on the first download
    _RULES[rule_key(model, field)] = FileRule(
        model=model,
        field=field,
        can_view=can_view,
        is_public=is_public or (lambda obj: False),
        filename=filename,
        select_related=select_related,
    )


def registered_keys() -> list[str]:
    return sorted(_RULES)


def _signer() -> Signer:
    return Signer(salt=SIGNING_SALT)


def file_url(obj: Model, field: str) -> str:
    """The one address of a stored file; the view checks permission when it is fetched."""
    key = rule_key(type(obj), field)
    if key not in _RULES:
        raise LookupError(f"{key} is not registered with terang.core.files.register_file")
    signature = _signer().sign(f"{key}:{obj.pk}").rsplit(":", 1)[1]
    return reverse("core:file", args=[key, obj.pk, signature])


def resolve(*, key: str, pk: int, signature: str) -> tuple[FileRule, Any] | None:
    """The rule and row behind an address, or None for a forged, stale or unknown one."""
    rule = _RULES.get(key)
    if rule is None:
        return None
    try:
        _signer().unsign(f"{key}:{pk}:{signature}")
    except BadSignature:
        return None
    obj = rule.model._default_manager.select_related(*rule.select_related).filter(pk=pk).first()
    return None if obj is None else (rule, obj)


def may_view(rule: FileRule, obj: Any, user: Viewer) -> tuple[bool, bool]:
    """(allowed, public) for this reader."""
    if rule.is_public(obj):
        return True, True
    return bool(rule.can_view(user, obj)), False


def safe_stored_name(name: str) -> str | None:
    """The storage name if it is a plain relative path inside the storage, else None: no parent
    steps, no absolute or drive paths, no backslashes or control characters."""
    if not name or "\\" in name or any(ord(ch) < 32 for ch in name):
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or ":" in path.parts[0] or any(p in ("..", ".", "") for p in path.parts):
        return None
    return name


def content_type_for(name: str) -> tuple[str, bool]:
    """(Content-Type, inline?) from the whitelist, by the stored name's extension."""
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if extension in INLINE_TYPES:
        return INLINE_TYPES[extension], True
    return ATTACHMENT_TYPES.get(extension, FALLBACK_TYPE), False


def transport() -> str:
    chosen = settings.PRIVATE_FILES_TRANSPORT
    if chosen not in TRANSPORTS:
        raise ImproperlyConfigured(
            f"PRIVATE_FILES_TRANSPORT must be one of {', '.join(TRANSPORTS)}, not {chosen!r}"
        )
    return chosen


def send_file(file: FieldFile, *, filename: str, public: bool) -> HttpResponseBase:
    """Send a stored file by the configured transport, with safe headers; 404 if the stored
    name is not a plain relative path or the bytes are gone."""
    name = safe_stored_name(file.name or "")
    if name is None:
        raise Http404
    content_type, inline = content_type_for(name)
    disposition = content_disposition_header(not inline, filename or PurePosixPath(name).name) or (
        "inline" if inline else "attachment"
    )
    cache_control = f"public, max-age={PUBLIC_MAX_AGE}" if public else "private, no-store"
    chosen = transport()
    response: HttpResponseBase
    if chosen == "s3":
        return _signed_redirect(file, name, content_type, disposition, cache_control)
    if chosen == "x-accel":
        response = HttpResponse(b"", content_type=content_type)
        prefix = settings.PRIVATE_FILES_ACCEL_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
    else:
        try:
            handle = file.storage.open(name, "rb")
        except (FileNotFoundError, SuspiciousFileOperation) as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _signed_redirect(
    file: FieldFile, name: str, content_type: str, disposition: str, cache_control: str
) -> HttpResponseRedirect:
    """A redirect to the bucket's signed URL; the bucket answers with our headers, and the URL
    dies after PRIVATE_FILES_URL_EXPIRY seconds."""
    url = file.storage.url(  # type: ignore[call-arg]
        name,
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
            "ResponseCacheControl": cache_control,
        },
        expire=settings.PRIVATE_FILES_URL_EXPIRY,
    )
    response = HttpResponseRedirect(url)
    # The redirect itself is never cached: the signed URL in it expires.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def guess_filename(obj: Any, rule: FileRule) -> str:
    if rule.filename is not None:
        return rule.filename(obj)
    return PurePosixPath(getattr(obj, rule.field).name or "").name


__all__ = [
    "FileRule",
    "content_type_for",
    "file_url",
    "guess_filename",
    "may_view",
    "register_file",
    "registered_keys",
    "resolve",
    "rule_key",
    "safe_stored_name",
    "send_file",
    "transport",
]
