"""The health check ``/healthz`` (reform/health.py)."""

from __future__ import annotations

import time

import pytest


def test_healthz_reports_database_broker_and_worker(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    if settings.REDIS_URL:
        assert body["broker"] == "ok"
    else:
        assert body["broker"] == body["worker"] == "in-process"


def test_healthz_answers_plain_http_where_every_other_page_redirects(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    login = client.get("/accounts/login/")
    assert login.status_code == 301
    assert login["Location"].startswith("https://")


@pytest.mark.parametrize(
    ("language", "words"), [("vi", "Không tìm thấy trang"), ("en", "Page not found")]
)
def test_404_in_the_readers_language_with_the_sites_navigation(client, db, language, words):
    client.cookies["django_language"] = language
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert words in html
    assert f'<html lang="{language}">' in html
    assert 'class="topbar"' in html


def test_403_and_500_pages_extend_the_site(client, db, rf):
    from django.template.loader import render_to_string
    from django.utils import translation

    for name, words in (("403.html", "Không có quyền truy cập"), ("500.html", "Đã có lỗi")):
        with translation.override("vi"):
            html = render_to_string(name)  # 500 is rendered without a request context
        assert words in html
        assert 'class="topbar"' in html


# --- the workers' heartbeat (reform/heartbeat.py) ----------------------------------


@pytest.fixture
def heartbeats():
    from django.core.cache import cache

    from reform import heartbeat

    cache.delete(heartbeat.KEY)
    yield heartbeat
    cache.delete(heartbeat.KEY)


def test_workers_are_counted_while_their_heartbeat_is_recent(heartbeats):
    heartbeats.beat(hostname="w1@a", now=1000)
    heartbeats.beat(hostname="w2@b", now=1010)
    assert heartbeats.workers_alive(now=1020) == 2
    # w1 silent for a whole window: no longer counted; w2 still is.
    assert heartbeats.workers_alive(now=1000 + heartbeats.WINDOW) == 1
    assert heartbeats.workers_alive(now=1010 + heartbeats.WINDOW) == 0
    heartbeats.beat(hostname="w1@a", now=1010 + heartbeats.WINDOW)
    assert heartbeats.workers_alive(now=1011 + heartbeats.WINDOW) == 1


def test_a_worker_that_stops_is_forgotten_at_once(heartbeats):
    heartbeats.beat(hostname="w1@a", now=1000)
    heartbeats.beat(hostname="w2@b", now=1000)
    heartbeats.forget(hostname="w1@a")
    assert heartbeats.workers_alive(now=1001) == 1


def test_a_worker_beats_from_start_to_shutdown(heartbeats, monkeypatch):
    """The worker's signals start the heart and stop it (reform/celery.py)."""
    from types import SimpleNamespace

    from reform import celery

    monkeypatch.setattr(heartbeats, "INTERVAL", 0.05)
    celery._start_heartbeat(sender=SimpleNamespace(hostname="celery@test"))
    try:
        deadline = time.monotonic() + 5
        while heartbeats.workers_alive() == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert heartbeats.workers_alive() == 1
    finally:
        celery._stop_heartbeat(sender=None)
    assert heartbeats.workers_alive() == 0
    assert not celery._hearts


def test_healthz_counts_the_workers_that_beat_without_asking_them(
    client, db, settings, heartbeats, monkeypatch
):
    from reform.celery import app

    if not settings.REDIS_URL:
        # No broker here: one that answers, without a server.
        settings.REDIS_URL = "redis://127.0.0.1:6379/0"
        monkeypatch.setattr(app, "connection_for_write", lambda: _AnsweringBroker())
    monkeypatch.setattr(
        app.control, "ping", lambda **kw: pytest.fail("the health check asked the workers")
    )
    started = time.monotonic()
    assert client.get("/healthz").json()["worker"] == "no worker replied"
    assert time.monotonic() - started < 0.5
    heartbeats.beat(hostname="w1@a")
    heartbeats.beat(hostname="w2@b")
    assert client.get("/healthz").json()["worker"] == "ok (2)"


class _AnsweringBroker:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def ensure_connection(self, **kwargs):
        return self
