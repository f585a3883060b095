"""One way to write a staff action on a detail page.

Every detail page (an aspiration, a 112 incident, a PPID request) has several small forms, and
each form posts to its own view that does the same five things: check who may post, load the
object (the app's own 404/403 rules), validate the form, call one service, then redirect
(post/redirect/get) with a success message. A form that does not validate re-renders the page
with status 422; a service that refuses re-renders it with the error's message and status, and
nothing changes. An app describes its page once with `DetailPage` and writes each action as a
plain function of `(user, object, cleaned_data)` decorated with `page.action(name, success)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terang.core.errors import DomainError
from terang.core.models import User

from .access import View

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)

Perform = Callable[[User, T, dict[str, Any]], Any]
"""One action: the acting user, the page's object and the form's cleaned data; it calls one
service and returns what the service returned (a `DomainError` refuses the action)."""


class RenderPage(Protocol[T_contra]):
    """The detail page, with `bound` forms in place of blank ones and an `error` on top."""

    def __call__(
        self,
        request: HttpRequest,
        obj: T_contra,
        /,
        *,
        bound: dict[str, forms.Form] | None = ...,
        error: str = ...,
        status: int = ...,
    ) -> HttpResponse: ...


@dataclass(frozen=True)
class DetailPage(Generic[T]):
    """How one app's detail page takes part in its POST actions.

    `guard` decorates each view (who may post); `load(request, **url_kwargs)` returns the object
    or raises the app's Http404/PermissionDenied; `build_form(name, request, obj)` binds the form
    of action `name` to the POST; `render` draws the page; `place_error` puts a service's error
    on the form; `message_args(obj, result)` fills the success message and
    `success_url(obj, result)` is where the browser goes next.
    """

    guard: Callable[[View], View]
    load: Callable[..., T]
    build_form: Callable[[str, HttpRequest, T], forms.Form]
    render: RenderPage[T]
    place_error: Callable[[forms.Form, DomainError], None]
    message_args: Callable[[T, Any], Mapping[str, Any]]
    success_url: Callable[[T, Any], str]

    def action(self, name: str, success: StrOrPromise) -> Callable[[Perform[T]], View]:
        """Build the POST view of form `name`; `success` is a %-format with `message_args`."""

        def decorator(perform: Perform[T]) -> View:
            @self.guard
            @require_POST
            @wraps(perform)
            def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                obj = self.load(request, *args, **kwargs)
                form = self.build_form(name, request, obj)
                if not form.is_valid():
                    return self.render(
                        request,
                        obj,
                        bound={name: form},
                        error=_("Periksa kembali isian formulir."),
                        status=422,
                    )
                try:
                    result = perform(cast(User, request.user), obj, form.cleaned_data)
                except DomainError as exc:
                    self.place_error(form, exc)
                    return self.render(
                        request, obj, bound={name: form}, error=str(exc.message), status=exc.status
                    )
                messages.success(request, success % self.message_args(obj, result))
                return redirect(self.success_url(obj, result))

            return view

        return decorator
