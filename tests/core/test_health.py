import pytest


@pytest.mark.django_db
def test_liveness_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readiness_reports_an_unreachable_broker_as_degraded_not_unready(client, settings):
    """The site serves without its broker (the outbox sweep catches up), and every replica
    shares it: a 503 would make the load balancer drain them all at once."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"] == "degraded"
    assert response.json()["errors"]["broker"].startswith("error")


@pytest.mark.redis
@pytest.mark.django_db
def test_readiness_with_the_real_broker(client, settings):
    import os

    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    assert client.get("/readyz").json()["checks"]["broker"] == "ok"
