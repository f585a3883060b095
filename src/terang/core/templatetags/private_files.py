"""`{% file_url photo "image" %}`: the permission-checked address of a stored file (never the
storage's own URL, which nothing serves)."""

from __future__ import annotations

from django import template
from django.db.models import Model

from terang.core.files import file_url as build_file_url

register = template.Library()


@register.simple_tag
def file_url(obj: Model, field: str) -> str:
    return build_file_url(obj, field)
