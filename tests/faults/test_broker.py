"""The broker (Redis) down: a staff save is kept and says its statuses will follow,
nothing answers 500, and once Redis is back a drain brings the statuses up to date;
``/healthz`` says the broker is down without hanging."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from commitments.models import RecomputeRequest
from reform.celery import app
from tests.commitments.shortcuts import desk_figures, report_post
from tests.faults.outages import land_on_time, nothing_waits, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

SAVED = "Đã lưu báo cáo. Trạng thái các chỉ tiêu đang được tính lại."


def _save(client, world, on_time: int):
    """The desk's Q2 report saved from the page as staff have it open (its version)."""
    client.force_login(world["staff"])
    version = client.get(reverse("commitments:quarterly_report", args=["vp", 2021, 2]))
    version = version.context["report"].version
    return report_post(
        client,
        "save",
        version=version,
        dossiers_resolved__land="100",
        dossiers_on_time__land=str(on_time),
    )


def test_a_save_while_the_broker_is_down_is_kept_and_its_statuses_follow(
    client, world, worker, broker, caplog
):
    worker.start(supervised=True)
    assert wait_for(nothing_waits), "the worker did not drain the world's requests"
    broker.stop()

    started = time.monotonic()
    response = _save(client, world, on_time=50)
    assert response.status_code == 302
    assert time.monotonic() - started < 5  # the kick gives up at once
    assert "Queueing the recompute of 2021 failed" in caplog.text
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert SAVED in html and "Đang chờ tính lại." in html
    assert desk_figures(world) == {"dossiers_resolved": 100, "dossiers_on_time": 50}
    assert RecomputeRequest.objects.filter(year=2021).exists()
    assert land_on_time(world) is None

    # Saving again from the page it came back to is accepted (no "someone else saved").
    again = _save(client, world, on_time=60)
    assert again.status_code == 302
    assert SAVED in client.get(again["Location"]).content.decode()
    # Every page that shows statuses says they may be behind.
    dashboard = client.get(reverse("commitments:dashboard"), {"year": 2021})
    assert dashboard.status_code == 200
    assert "(đang chờ tính lại)" in dashboard.content.decode()
    # The admin's "recompute now" asks too, and answers.
    client.force_login(world["admin"])
    now = client.post(reverse("commitments:recompute_now"), {"year": 2021})
    assert now.status_code == 302

    broker.start()
    # The beat's next minute: the drain it queues brings the statuses up to date.
    app.send_task(settings.CELERY_BEAT_SCHEDULE["recompute-pending"]["task"])
    assert wait_for(lambda: land_on_time(world) == 60 and nothing_waits(), timeout=30), (
        worker.text()[-4000:]
    )

    # And a save now queues its own recompute at once: the outage left nothing stuck.
    assert _save(client, world, on_time=70).status_code == 302
    assert wait_for(lambda: land_on_time(world) == 70 and nothing_waits(), timeout=30)


def test_healthz_says_the_broker_is_down_without_hanging(client, broker):
    assert client.get("/healthz").json()["broker"] == "ok"
    broker.stop()
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 5
    assert response.status_code == 200  # the web still serves: the database answers
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")
    assert body["worker"] == "no worker replied"
