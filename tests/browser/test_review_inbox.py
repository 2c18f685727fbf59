"""The director's review inbox in a real browser, in Vietnamese and in English: the
staff submit their returned report, the director is emailed, sees it in the inbox
with the count in the navigation, opens it and approves it (the staff are emailed);
the staff then submit another report and take it back before anyone decides.

The demo is loaded as of 27 November 2026: the desk ``sonn-vp``'s Q3 2026 report was
returned with the director's comment, and most other units' wait for review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from commitments import engine
from commitments.demo import demo_load
from commitments.models import AuditEntry, QuarterlyReport
from tests.browser.test_report_flow import _actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AS_OF = dt.date(2026, 11, 27)
RETURNED = "/report/sonn-vp/2026/3/"
WORDS = {
    "vi": {
        "review": "Duyệt báo cáo",
        "inbox": "Báo cáo chờ duyệt",
        "period": "Quý 3/2026",
        "open": "Mở để duyệt",
        "approved": "Đã duyệt",
        "withdraw": "Rút lại báo cáo",
        "withdrawn": "Đã rút lại báo cáo",
        "draft": "Bản nháp",
        "sender": "Chuyên viên Demo",
    },
    "en": {
        "review": "Review reports",
        "inbox": "Reports waiting for review",
        "period": "Q3 2026",
        "open": "Open to review",
        "approved": "Approved",
        "withdraw": "Withdraw the report",
        "withdrawn": "Report withdrawn",
        "draft": "Draft",
        "sender": "Chuyên viên Demo",
    },
}


def _waiting() -> int:
    """The reports waiting for DARD's director (the second department's are not his)."""
    waiting = QuarterlyReport.objects.filter(state=QuarterlyReport.State.SUBMITTED)
    return waiting.exclude(unit__code__startswith="stnmt").count()


def _nav_count(page) -> int:
    return int(page.locator("header .nav-count").inner_text())


@pytest.mark.parametrize("language", ["vi", "en"])
def test_staff_submit_the_director_reviews_from_the_inbox_staff_withdraw_another(
    browser, live_server, screenshot, language
):
    words = WORDS[language]
    demo_load(as_of=AS_OF)
    today = timezone.localdate()
    current = (today.year, engine.quarter_of(today))
    assert current != (2026, 3), "the other report is the quarter under way"

    # Staff: send the returned report again.
    staff_context, staff, staff_csp = _actor(browser, live_server, "demo-staff", language)
    staff.goto(f"{live_server.url}{RETURNED}")
    mail.outbox.clear()
    staff.click("button[value=submit]")
    staff.wait_for_selector(".message.success")
    assert [e.to for e in mail.outbox] == [["demo-director@example.invalid"]]

    # Director: the count in the navigation, the inbox, the report, approved.
    director_context, director, director_csp = _actor(
        browser, live_server, "demo-director", language
    )
    waiting = _waiting()
    assert _nav_count(director) == waiting
    director.click(f"header a:has-text('{words['review']}')")
    director.wait_for_url("**/review/")
    assert words["inbox"] in director.locator("h1").inner_text()
    rows = director.locator("table.review tbody tr")
    assert rows.count() == waiting
    desk = rows.filter(has_text="sonn-vp")
    assert words["period"] in desk.inner_text()
    assert words["sender"] in desk.inner_text()
    screenshot(director, f"review-inbox-{language}")
    mail.outbox.clear()
    desk.locator(f"a:has-text('{words['open']}')").click()
    director.wait_for_url(f"**{RETURNED}")
    director.click("button[value=approve]")
    director.wait_for_selector(".message.success")
    assert words["approved"] in director.locator(".badge").first.inner_text()
    assert _nav_count(director) == waiting - 1
    assert [e.to for e in mail.outbox] == [["demo-staff@example.invalid"]]
    screenshot(director, f"review-approved-{language}")

    _staff_submit_and_withdraw(staff, live_server, screenshot, words, language, current)
    director.goto(f"{live_server.url}/review/")
    assert director.locator("table.review tbody tr").count() == waiting - 1
    assert staff_csp == [] and director_csp == []
    staff_context.close()
    director_context.close()


def _staff_submit_and_withdraw(staff, live_server, screenshot, words, language, current):
    year, quarter = current
    path = f"/report/sonn-vp/{year}/{quarter}/"
    staff.goto(f"{live_server.url}{path}")
    staff.fill("#id_docs_issued", "40")
    staff.click("button[value=submit]")
    staff.wait_for_selector(".message.success")
    screenshot(staff, f"report-submitted-withdraw-button-{language}")
    staff.click(f"button:has-text('{words['withdraw']}')")
    staff.wait_for_selector(".message.success")
    assert words["withdrawn"] in staff.locator(".message.success").inner_text()
    assert words["draft"] in staff.locator(".badge").first.inner_text()
    assert not staff.locator("#id_docs_issued").is_disabled()
    screenshot(staff, f"report-withdrawn-{language}")
    report = QuarterlyReport.objects.get(unit__code="sonn-vp", year=year, quarter=quarter)
    assert report.state == QuarterlyReport.State.DRAFT
    assert report.first_submitted_at is not None
    actions = list(
        AuditEntry.objects.filter(unit=report.unit, year=year, quarter=quarter, subject="report")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["submitted", "withdrawn"]
