"""The health check ``/healthz`` (reform/health.py)."""

from __future__ import annotations


def test_healthz_reports_database_broker_and_worker(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    if settings.REDIS_URL:
        assert body["broker"] == "ok"
    else:
        assert body["broker"] == body["worker"] == "in-process"
