"""The public survey's throttles (django-ratelimit): per client address over every
desk, and per desk whatever the address. Past either, 429 in the user's language and
nothing stored; showing the form is never limited; a cache that cannot be reached lets
the answers through."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from surveys.models import Response
from tests.surveys.views.conftest import answers, send, token_of

pytestmark = pytest.mark.django_db

THROTTLED_VI = "Hệ thống đang nhận quá nhiều phiếu từ cùng một nơi nên phiếu này chưa được lưu."


@pytest.fixture
def limits(settings):
    """Three answers per client in ten minutes, five per desk in a minute."""
    settings.SURVEY_RATE_CLIENT = "3/10m"
    settings.SURVEY_RATE_DESK = "5/m"
    return settings


def survey_url(unit) -> str:
    return reverse("surveys:survey", args=[unit.code])


def test_the_default_limits_come_from_the_settings():
    assert django_settings.SURVEY_RATE_CLIENT == "10/10m"
    assert django_settings.SURVEY_RATE_DESK == "600/m"


def test_past_the_client_limit_answers_are_refused_with_429_and_not_stored(
    client, desks, clock, limits
):
    url = survey_url(desks["desk"])
    for _ in range(3):
        assert send(client, url, address="203.0.113.7").status_code == 302
    fourth = send(client, url, address="203.0.113.7")
    assert fourth.status_code == 429
    html = fourth.content.decode()
    assert '<html lang="vi">' in html and THROTTLED_VI in html
    assert f'href="{url}"' in html
    assert Response.objects.count() == 3
    # The limit is the client's over every desk.
    assert send(client, survey_url(desks["other"]), address="203.0.113.7").status_code == 429
    # Another address still answers, and the limit lifts when its window is over.
    assert send(client, url, address="198.51.100.20").status_code == 302
    clock[0] += 10 * 60
    assert send(client, url, address="203.0.113.7").status_code == 302
    assert Response.objects.count() == 5


def test_past_the_desk_limit_answers_from_any_address_are_refused(client, desks, clock, limits):
    url = survey_url(desks["desk"])
    for n in range(5):
        assert send(client, url, address=f"198.51.100.{n}").status_code == 302
    assert send(client, url, address="198.51.100.99").status_code == 429
    assert Response.objects.filter(unit=desks["desk"]).count() == 5
    # Another desk is counted apart.
    assert send(client, survey_url(desks["other"]), address="198.51.100.99").status_code == 302


def test_a_throttled_honeypot_or_replay_stores_nothing_either(client, desks, clock, limits):
    url = survey_url(desks["desk"])
    data = answers(token_of(client.get(url, REMOTE_ADDR="203.0.113.7").content.decode()))
    for _ in range(3):
        client.post(url, data | {"website": "x"}, REMOTE_ADDR="203.0.113.7")
    assert client.post(url, data, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert not Response.objects.exists()


def test_showing_the_form_is_never_limited(client, desks, clock, limits):
    url = survey_url(desks["desk"])
    for _ in range(4):
        send(client, url, address="203.0.113.7")
    for _ in range(10):
        response = client.get(url, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 200
        assert token_of(response.content.decode())


def test_the_throttled_page_in_english_with_the_language_cookie(client, desks, clock, limits):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    url = survey_url(desks["desk"])
    for _ in range(4):
        response = send(client, url)
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Too many answers are arriving from the same place, so these were not stored." in html


def test_an_empty_limit_lifts_it(client, desks, clock, settings):
    settings.SURVEY_RATE_CLIENT = None
    settings.SURVEY_RATE_DESK = None
    url = survey_url(desks["desk"])
    for _ in range(12):
        assert send(client, url).status_code == 302
    assert Response.objects.count() == 12


def test_while_the_cache_is_down_answers_are_stored_and_the_log_says_so(
    client, desks, settings, caplog
):
    # A Redis nobody listens on: every cache operation fails to connect.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    url = survey_url(desks["desk"])
    with caplog.at_level(logging.WARNING, logger="surveys.views.guards"):
        assert send(client, url).status_code == 302
    assert Response.objects.get().channel == "web"
    assert "throttle not counted, cache unreachable" in caplog.text
