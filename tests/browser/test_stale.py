"""The last recompute failed: the admin sees when, why and the button to recompute; the
director sees when, on the dashboard and on the printable report, in both languages."""

from __future__ import annotations

import pytest

from commitments import engine, services
from commitments.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _recompute_fails(monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise KeyError("survey_satisfied")

    monkeypatch.setattr(engine, "compute_statuses", broken)
    with pytest.raises(KeyError):
        services.recompute.statuses_recompute(year=2021)
    monkeypatch.undo()


def test_a_failed_recompute_on_the_dashboard_and_the_print(
    page, live_server, screenshot, monkeypatch
):
    demo_load()
    _recompute_fails(monkeypatch)

    _log_in(page, live_server, "demo-admin")
    page.goto(f"{live_server.url}/?year=2021&quarter=2")
    notice = page.locator(".stale-note")
    assert "Lần tính lại gần nhất bị lỗi lúc" in notice.inner_text()
    assert "KeyError: 'survey_satisfied'" in notice.inner_text()
    assert notice.get_by_role("button", name="Tính lại ngay").is_visible()
    screenshot(page, "stale-dashboard-admin-vi")

    page.goto(f"{live_server.url}/reports/print/?year=2021&quarter=2")
    assert "Lần tính lại gần nhất bị lỗi lúc" in page.locator(".stale-note").inner_text()
    screenshot(page, "stale-print-admin-vi")
    page.emulate_media(media="print")
    assert page.locator(".stale-note").is_visible()
    assert not page.locator(".stale-error").is_visible()  # on screen only
    screenshot(page, "stale-print-paper-vi")

    page.goto(f"{live_server.url}/?year=2021&quarter=2")
    page.emulate_media(media="screen")
    notice.get_by_role("button", name="Tính lại ngay").click()
    page.wait_for_load_state()
    assert "Đã yêu cầu tính lại trạng thái năm 2021." in page.inner_text("body")
    assert page.locator(".stale-note").count() == 0  # recomputed at once, in process


def test_the_director_reads_it_in_english(page, live_server, screenshot, monkeypatch):
    demo_load()
    _recompute_fails(monkeypatch)
    _log_in(page, live_server, "demo-director")
    page.goto(f"{live_server.url}/matrix/?year=2021&quarter=2")
    page.click("button[value=en]")
    page.wait_for_load_state()
    notice = page.locator(".stale-note").inner_text()
    assert "Figures may be out of date since" in notice
    assert "The last recompute failed at" in notice
    assert "KeyError" not in notice
    assert page.locator(".stale-note button").count() == 0
    screenshot(page, "stale-matrix-director-en")
