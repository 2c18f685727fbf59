"""The health check ``/healthz`` (reform/health.py)."""

from __future__ import annotations

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
