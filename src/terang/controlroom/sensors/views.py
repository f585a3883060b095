"""The operators' page of MQTT dead letters: messages whose batch kept failing after the ingest
worker's retries (`terang.core.ingest.deadletters`). Whoever sees the control-room wall sees
them; operators and administrators replay one or all. No JavaScript: plain forms with CSRF
tokens, post/redirect/get; every replay is recorded in the dead letter's audit chain."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from terang.controlroom.permissions import DEAD_LETTER_VIEW_ROLES, can_replay_dead_letters
from terang.core.errors import DomainError
from terang.core.ingest import deadletters
from terang.core.models import IngestDeadLetter, User
from terang.core.views.access import staff_required

PAGE_SIZE = 200


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_required let only accounts through
    return user


def _may_replay(request: HttpRequest) -> User:
    user = _staff(request)
    if not can_replay_dead_letters(user):
        raise PermissionDenied
    return user


@staff_required(roles=DEAD_LETTER_VIEW_ROLES)
@require_GET
def dead_letter_list(request: HttpRequest) -> HttpResponse:
    pending = deadletters.open_dead_letters()
    context = {
        "page": "dead_letters",
        "dead_letters": pending[:PAGE_SIZE],
        "total": pending.count(),
        "page_size": PAGE_SIZE,
        "replayed": deadletters.recently_replayed_dead_letters(),
        "can_replay": can_replay_dead_letters(_staff(request)),
    }
    return render(request, "controlroom/dead_letters.html", context)


@staff_required(roles=DEAD_LETTER_VIEW_ROLES)
@require_POST
def dead_letter_replay(request: HttpRequest, dead_letter_id: int) -> HttpResponse:
    user = _may_replay(request)
    try:
        outcome = deadletters.replay_dead_letter(actor=user, dead_letter_id=dead_letter_id)
    except IngestDeadLetter.DoesNotExist as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("controlroom:dead_letter_list")
    if outcome.replayed:
        messages.success(request, gettext("Pesan berhasil diputar ulang."))
    else:
        messages.error(
            request,
            gettext("Pemutaran ulang gagal lagi: %(error)s") % {"error": outcome.error},
        )
    return redirect("controlroom:dead_letter_list")


@staff_required(roles=DEAD_LETTER_VIEW_ROLES)
@require_POST
def dead_letter_replay_all(request: HttpRequest) -> HttpResponse:
    user = _may_replay(request)
    summary = deadletters.replay_all_dead_letters(actor=user)
    if summary.replayed:
        messages.success(
            request,
            ngettext(
                "%(count)d pesan berhasil diputar ulang.",
                "%(count)d pesan berhasil diputar ulang.",
                summary.replayed,
            )
            % {"count": summary.replayed},
        )
    if summary.failed:
        messages.error(
            request,
            ngettext(
                "%(count)d pesan gagal lagi dan tetap di daftar.",
                "%(count)d pesan gagal lagi dan tetap di daftar.",
                summary.failed,
            )
            % {"count": summary.failed},
        )
    if not summary.replayed and not summary.failed:
        messages.info(request, gettext("Tidak ada pesan untuk diputar ulang."))
    return redirect("controlroom:dead_letter_list")
