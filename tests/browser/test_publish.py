"""A director publishes a quarter whose reports are not all approved, in a real browser:
from the dashboard's button to the confirmation page that counts the reports and names
the units behind, a note asked for and given, and the note on the public page; in
Vietnamese and in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from commitments.demo import demo_load
from commitments.models import QuarterlyReport, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo as of 27 November 2026: Q3 2026 is over and its reports are under way (most
# sent, none approved yet, the receiving desk's returned, some never opened).
AS_OF = dt.date(2026, 11, 27)
NOTE = {
    "vi": "Công bố theo lịch; các đơn vị còn thiếu bổ sung báo cáo trước ngày 15/12.",
    "en": "Published on schedule; the units behind send their reports by 15 December.",
}
WORDS = {
    "vi": {
        "period": "Quý 3/2026",
        "readiness": "0/{n} đơn vị đã được duyệt báo cáo Quý 3/2026.",
        "not_started": "Chưa lập",
        "returned": "Bị trả lại",
        "note_required": "Còn {n}/{n} đơn vị chưa được duyệt báo cáo",
        "published": "Đã công bố kết quả của Sở Nông nghiệp và Phát triển nông thôn",
        "public": "Công bố khi 0/{n} đơn vị đã được duyệt.",
    },
    "en": {
        "period": "Q3 2026",
        "readiness": "0 of {n} units have their Q3 2026 report approved.",
        "not_started": "Not started",
        "returned": "Returned",
        "note_required": "{n} of {n} units do not have their report approved",
        "published": "Published the results of",
        "public": "Published with 0 of {n} units approved.",
    },
}


def _log_in(page, live_server, language: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", "demo-director")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    if language == "en":
        page.click("form.lang button[value=en]")
        page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == language


def _units_behind(language: str) -> tuple[list[str], list[str]]:
    """The labels of the demo's units that must report, in the reader's language: those
    with no report of Q3 2026, and the one whose report was returned."""
    reporting = Unit.objects.filter(parent__code="sonn")
    states = dict(
        QuarterlyReport.objects.filter(year=2026, quarter=3).values_list("unit__code", "state")
    )
    with translation.override(language):
        never = [u.label for u in reporting if u.code not in states]
        returned = [u.label for u in reporting if states.get(u.code) == "returned"]
    return never, returned


@pytest.mark.parametrize("language", ["vi", "en"])
def test_director_publishes_a_quarter_with_reports_missing(page, live_server, screenshot, language):
    demo_load(as_of=AS_OF)
    words = WORDS[language]
    expected = Unit.objects.filter(parent__code="sonn").count()
    never, returned = _units_behind(language)
    assert never and returned
    _log_in(page, live_server, language)

    page.goto(f"{live_server.url}/?year=2026&quarter=3")
    page.click(f"form[action='{reverse('commitments:results_publish')}'] button[type=submit]")
    page.wait_for_url("**/results/publish/?unit=sonn&year=2026&quarter=3")
    assert words["period"] in page.locator("h1").inner_text()
    assert page.locator(".readiness p.readiness-summary").inner_text() == words["readiness"].format(
        n=expected
    )
    missing = page.locator("ul.missing-units li")
    assert missing.count() == expected  # none is approved
    for label in never:
        assert words["not_started"] in missing.filter(has_text=label).inner_text()
    for label in returned:
        assert words["returned"] in missing.filter(has_text=label).inner_text()
    screenshot(page, f"publish-confirm-{language}")

    # Without a note, nothing is published and the form says why, next to the note.
    page.click("form.publish-confirm button[type=submit]")
    page.wait_for_load_state("load")
    error = page.locator("#err_note")
    assert words["note_required"].format(n=expected) in error.inner_text()
    assert page.locator("#id_note").get_attribute("aria-invalid") == "true"
    screenshot(page, f"publish-note-required-{language}")

    page.fill("#id_note", NOTE[language])
    page.click("form.publish-confirm button[type=submit]")
    page.wait_for_url(f"{live_server.url}/?year=2026&quarter=3")
    message = page.locator("p.message[role=status]").first.inner_text()
    assert words["published"] in message and words["period"] in message

    page.goto(f"{live_server.url}{reverse('commitments:results')}?unit=sonn&year=2026&quarter=3")
    assert page.locator("nav.published a[aria-current=page]").inner_text() == words["period"]
    assert page.locator("p.readiness-summary").inner_text() == words["public"].format(n=expected)
    assert NOTE[language] in page.locator("p.published-note").inner_text()
    screenshot(page, f"results-published-with-note-{language}")


def test_a_quarter_with_every_report_approved_publishes_without_a_note(
    page, live_server, screenshot
):
    demo_load(as_of=AS_OF)
    _log_in(page, live_server, "vi")
    page.goto(f"{live_server.url}/?year=2021&quarter=2")
    page.click(f"form[action='{reverse('commitments:results_publish')}'] button[type=submit]")
    page.wait_for_url("**/results/publish/?unit=sonn&year=2021&quarter=2")
    summary = page.locator(".readiness p.readiness-summary.complete")
    assert summary.inner_text() == "16/16 đơn vị đã được duyệt báo cáo Quý 2/2021."
    assert page.locator("ul.missing-units").count() == 0
    assert page.locator("label[for=id_note]").inner_text() == "Ghi chú (không bắt buộc)"
    screenshot(page, "publish-confirm-complete-vi")
    page.click("form.publish-confirm button[type=submit]")
    page.wait_for_url(f"{live_server.url}/?year=2021&quarter=2")
    assert "Quý 2/2021" in page.locator("p.message[role=status]").first.inner_text()
    screenshot(page, "publish-done-dashboard-vi")
