"""Helpers of the survey's page tests: a form read as a browser reads it, answers to
send, the throttles' clock held still, and the checks that a page is safe under the
Content Security Policy."""

from __future__ import annotations

import re
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.core.cache import cache

from surveys import services

ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _nothing_counted_yet():
    """The throttles count in the cache: every test starts with nothing counted."""
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """django-ratelimit's clock, held still and moved on by hand: ``clock[0] += 600``."""
    now = [1_767_225_600.0]  # 2026-01-01 00:00 UTC
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def token_of(html: str) -> str:
    """The one-time token a form carries."""
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "the form carries no token"
    return found[1]


def answers(token: str, *, overall: int = 5, aspects: int = 4, **fields) -> dict[str, str]:
    """Every question answered (the default questionnaire), as a browser sends them."""
    data = {f"q-{code}": str(aspects) for code, *_ in services.DEFAULT_QUESTIONS}
    data["q-overall"] = str(overall)
    data["token"] = token
    data.update({name: str(value) for name, value in fields.items()})
    return data


def send(client, url: str, *, address: str = ADDRESS, **fields):
    """Open the form at ``url`` and send it with every question answered."""
    token = token_of(client.get(url, REMOTE_ADDR=address).content.decode())
    return client.post(url, answers(token, **fields), REMOTE_ADDR=address)


def assert_csp_safe(html: str) -> None:
    """No inline script, style element, style attribute or event handler: the
    policy allows scripts and styles from the site's own files only."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html, "style element"
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "event handler attribute"
