"""A member of staff saves a report while the broker cannot be reached: the page says
the report is saved and its statuses will follow, and the dashboard says since when
they may be behind, until a drain recomputes them."""

from __future__ import annotations

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from commitments import engine, tasks
from commitments.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_a_save_while_the_broker_is_down(page, live_server, screenshot, monkeypatch):
    demo_load()
    today = timezone.localdate()
    year, quarter = today.year, engine.quarter_of(today)

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.recompute_pending, "apply_async", refused)
    _log_in(page, live_server, "demo-staff")
    page.goto(f"{live_server.url}/report/sonn-vp/{year}/{quarter}/")
    page.fill("#id_dossiers_received__land", "120")
    page.fill("#id_dossiers_resolved__land", "100")
    page.fill("#id_dossiers_on_time__land", "90")
    page.click("button[value=save]")
    page.wait_for_selector(".message.success")
    assert "Trạng thái các chỉ tiêu đang được tính lại" in page.inner_text(".message.success")
    assert "Đang chờ tính lại." in page.inner_text(".computed")
    screenshot(page, "broker-down-report-saved-vi")

    page.goto(f"{live_server.url}/?year={year}")
    assert "(đang chờ tính lại)" in page.inner_text(".stale-note")
    screenshot(page, "broker-down-dashboard-vi")

    monkeypatch.undo()
    tasks.recompute_pending()  # the beat's next minute
    page.reload()
    assert page.locator(".stale-note").count() == 0
