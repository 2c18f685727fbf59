"""A bounded load test of the public survey form in CI (``loadtest/run.py``, the same as
``make load``, smaller): gunicorn, a Redis of its own, a Celery worker and locust, all on
127.0.0.1, against a PostgreSQL database of its own, for about twenty seconds. Every
answer the server accepted is stored and counted in the desk's figures: nothing lost.

Runs with DATABASE_URL (PostgreSQL) and REDIS_URL set; skipped on SQLite."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

from loadtest import run

pytestmark = pytest.mark.load


@pytest.fixture
def load_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        pytest.skip("the load test runs on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    try:
        reverse("surveys:survey", args=["desk"])
    except NoReverseMatch:
        pytest.skip("no public survey form to load")
    parts = urlsplit(url)
    return parts._replace(path=f"{parts.path.rstrip('/')}_load").geturl()


def test_every_answer_accepted_under_load_is_stored_and_counted(load_database, tmp_path):
    options = run.Options(
        database=load_database,
        users=6,
        run_time=12,
        baseline_time=0,
        workers=2,
        keep_database=False,
        log_dir=tmp_path,
    )

    result = run.run(options)

    report = run.report(result)
    assert result.sent > 20, report  # it did run, and answers went through
    assert result.submissions.failures == 0, report
    check = result.check
    assert result.sent == check["stored"] == check["valid"] == check["counted"], report
    assert check["satisfied"] == check["satisfied_counted"], report
    assert check["untallied"] == 0, report
