"""A director includes the reports not yet approved: the dashboard, then the matrix,
mark the provisional values and say how many reports are approved, in Vietnamese and
in English (DOMAIN.md, "Official figures")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from commitments import engine
from commitments.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "vi": {
        "toggle": "Gồm cả báo cáo chưa được duyệt",
        "note": "Số liệu tạm tính, gồm cả báo cáo chưa được duyệt",
        "mark": "tạm tính",
        "none_approved": "0/16 báo cáo quý đã được duyệt (Quý 3/2026)",
    },
    "en": {
        "toggle": "Include reports not yet approved",
        "note": "Provisional figures, including reports not yet approved",
        "mark": "provisional",
        "none_approved": "0 of 16 quarterly reports approved (Q3 2026)",
    },
}


def _last_ended_quarter(today: dt.date) -> tuple[int, int]:
    quarter = engine.quarter_of(today)
    return engine.previous_quarter(today.year, quarter)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_provisional_view_marks_values_and_counts_approved_reports(
    browser, live_server, screenshot, language
):
    words = WORDS[language]
    demo_load()
    year, quarter = _last_ended_quarter(timezone.localdate())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "demo-director")
    page.fill("input[name=password]", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/?year={year}&quarter={quarter}")
    # Official by default: the quarter's reports wait for the director, so nothing of
    # it is marked provisional.
    assert page.locator(".provisional-note").count() == 0
    assert page.locator(".provisional-mark").count() == 0
    page.get_by_label(words["toggle"]).check()
    page.click("form.period button")
    page.wait_for_url("**provisional=1**")
    note = page.locator(".provisional-note").inner_text()
    assert words["note"] in note
    # None of the quarter's 16 reports is approved yet.
    assert (
        words["none_approved"]
        .replace("3/2026", f"{quarter}/{year}")
        .replace("Q3 2026", f"Q{quarter} {year}")
        in note
    )
    marks = page.locator(".provisional-mark")
    assert marks.count() > 0
    assert marks.first.inner_text() == words["mark"]
    assert page.get_by_label(words["toggle"]).is_checked()
    screenshot(page, f"dashboard-provisional-{language}")

    page.goto(f"{live_server.url}/matrix/?year={year}&quarter={quarter}&provisional=1")
    assert words["note"] in page.locator(".provisional-note").inner_text()
    assert page.locator("td.cell .provisional-mark").count() > 0
    screenshot(page, f"matrix-provisional-{language}")
    context.close()
