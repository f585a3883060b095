"""PPID requests are limited per account (and per address) on the page and the API: the
(N+1)th gets 429 with Retry-After and files nothing; counter entry by staff is exempt."""

from __future__ import annotations

import pytest

from terang.core import ratelimit
from terang.core.choices import RateLimitAction
from terang.core.models import RateLimitPolicy
from terang.ppid.models import InformationRequest
from tests.helpers import client_for as api_client_for
from tests.helpers import client_for as page_client_for

from .test_api import API, BODY
from .test_pages import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_per_account():
    ratelimit.reset_local_state()
    RateLimitPolicy.objects.update_or_create(
        action=RateLimitAction.PPID_REQUEST,
        defaults={"per_source": 100, "per_account": 2, "window_seconds": 3600},
    )
    ratelimit.forget_rate_limit_policies()


def test_third_request_through_page_and_api_is_refused(citizen, ppid_officer):
    page = page_client_for(citizen)
    first = page.post(
        "/ppid/permohonan/baru/", {**FORM, "idempotency_key": "ppid-rate-limit-key-1"}
    )
    api = api_client_for(citizen)
    second = api.post(f"{API}/requests", BODY, content_type="application/json")

    refused_api = api.post(
        f"{API}/requests", BODY, content_type="application/json", REMOTE_ADDR="198.51.100.3"
    )
    refused_page = page.post(
        "/ppid/permohonan/baru/", {**FORM, "idempotency_key": "ppid-rate-limit-key-3"}
    )

    assert first.status_code == 302
    assert second.status_code == 201
    assert refused_api.status_code == 429
    assert refused_api.json()["error"]["code"] == "rate_limited"
    assert int(refused_api["Retry-After"]) >= 1
    assert refused_page.status_code == 429
    assert int(refused_page["Retry-After"]) >= 1
    assert InformationRequest.objects.filter(requester=citizen).count() == 2


def test_another_citizen_is_unaffected(citizen, other_citizen, ppid_officer):
    api = api_client_for(citizen)
    for _ in range(3):
        api.post(f"{API}/requests", BODY, content_type="application/json")

    response = api_client_for(other_citizen).post(
        f"{API}/requests", BODY, content_type="application/json"
    )

    assert response.status_code == 201
