"""The one staff action decorator (`core.views.actions.DetailPage`): a guarded POST per form,
422 for an invalid form, the service's own status for a refusal, else a message and a redirect."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from terang.core.errors import DomainError, InvalidTransition
from terang.core.views.actions import DetailPage


class NoteForm(forms.Form):
    note = forms.CharField(max_length=20)


@dataclass
class Thing:
    key: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Page:
    """A detail page whose parts record how the decorator called them."""

    things: dict[str, Thing]
    rendered: list[dict[str, Any]] = field(default_factory=list)
    placed: list[tuple[forms.Form, DomainError]] = field(default_factory=list)

    def guard(self, view: Any) -> Any:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.headers.get("X-Allowed") != "yes":
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    def load(self, request: HttpRequest, key: str) -> Thing:
        if key not in self.things:
            raise Http404
        return self.things[key]

    def render(
        self,
        request: HttpRequest,
        obj: Thing,
        /,
        *,
        bound: dict[str, forms.Form] | None = None,
        error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        self.rendered.append({"obj": obj, "bound": bound, "error": error, "status": status})
        return HttpResponse("page", status=status)

    def place(self, form: forms.Form, error: DomainError) -> None:
        self.placed.append((form, error))
        form.add_error(None, str(error.message))

    def detail_page(self) -> DetailPage[Thing]:
        return DetailPage(
            guard=self.guard,
            load=self.load,
            build_form=lambda name, request, obj: NoteForm(request.POST, prefix=name),
            render=self.render,
            place_error=self.place,
            message_args=lambda obj, result: {"key": obj.key, "count": result},
            success_url=lambda obj, result: f"/things/{obj.key}/",
        )


@pytest.fixture
def page() -> Page:
    return Page(things={"a1": Thing("a1")})


@pytest.fixture
def add_note(page: Page) -> Any:
    detail = page.detail_page()

    @detail.action("add", "Note %(count)s on %(key)s saved.")
    def add_note(user: Any, thing: Thing, data: dict[str, Any]) -> int:
        """Add one note."""
        if data["note"] == "refuse":
            raise InvalidTransition("Not now.", details={"field": "note"})
        thing.notes.append(f"{user}:{data['note']}")
        return len(thing.notes)

    return add_note


def _post(data: dict[str, str], *, allowed: bool = True) -> HttpRequest:
    headers = {"X-Allowed": "yes"} if allowed else {}
    request = RequestFactory().post("/things/a1/add/", data, headers=headers)
    request.user = "officer"  # type: ignore[assignment]
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _messages(request: HttpRequest) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_valid_form_calls_the_action_then_redirects_with_the_message(page, add_note):
    request = _post({"add-note": "hello"})

    response = add_note(request, key="a1")

    assert response.status_code == 302
    assert response["Location"] == "/things/a1/"
    assert page.things["a1"].notes == ["officer:hello"]
    assert _messages(request) == ["Note 1 on a1 saved."]
    assert page.rendered == []


def test_invalid_form_re_renders_the_page_with_422_and_changes_nothing(page, add_note):
    request = _post({"add-note": ""})

    with translation.override("id"):
        response = add_note(request, key="a1")

    assert response.status_code == 422
    assert page.things["a1"].notes == []
    [rendered] = page.rendered
    assert rendered["status"] == 422
    assert rendered["error"] == "Periksa kembali isian formulir."
    assert rendered["obj"] is page.things["a1"]
    assert set(rendered["bound"]) == {"add"}
    assert rendered["bound"]["add"].errors["note"]
    assert page.placed == []
    assert _messages(request) == []


def test_refused_action_re_renders_with_the_error_status_and_places_the_error(page, add_note):
    request = _post({"add-note": "refuse"})

    response = add_note(request, key="a1")

    assert response.status_code == 409
    assert page.things["a1"].notes == []
    [rendered] = page.rendered
    assert rendered["status"] == 409
    assert rendered["error"] == "Not now."
    [(form, error)] = page.placed
    assert form is rendered["bound"]["add"]
    assert isinstance(error, InvalidTransition)
    assert form.non_field_errors() == ["Not now."]
    assert _messages(request) == []


def test_guard_refuses_before_anything_is_loaded_or_changed(page, add_note):
    request = _post({"add-note": "hello"}, allowed=False)
    page.things.clear()  # a load would now raise Http404: the guard must answer first

    with pytest.raises(PermissionDenied):
        add_note(request, key="a1")

    assert page.rendered == []


def test_unknown_object_is_the_apps_404(page, add_note):
    with pytest.raises(Http404):
        add_note(_post({"add-note": "hello"}), key="zz")

    assert page.things["a1"].notes == []


def test_only_post_is_allowed(page, add_note):
    request = RequestFactory().get("/things/a1/add/", headers={"X-Allowed": "yes"})

    response = add_note(request, key="a1")

    assert response.status_code == 405
    assert page.rendered == []
    assert page.things["a1"].notes == []


def test_view_keeps_the_action_functions_name_and_docstring(add_note):
    assert add_note.__name__ == "add_note"
    assert add_note.__doc__ == "Add one note."
