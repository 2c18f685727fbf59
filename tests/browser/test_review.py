"""The director's review in a real browser, in Vietnamese and in English: staff type the
quarter's figures, see a figure far from the desk's history flagged and the desk's
results beside the figures, and submit; the director opens the report, reads the
results and what approving would change, and approves; then the dashboard's headline
and the matrix. Screenshots of each are kept in test-artifacts/."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commitments import engine
from commitments.demo import demo_load
from commitments.models import Category, DataElement, Figure, QuarterlyReport, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "vi": {
        "results": "Kết quả của đơn vị",
        "low": "Thấp bất thường",
        "if_approved": "Nếu báo cáo được duyệt",
        "approved": "Đã duyệt",
        "attention": "Cần chú ý nhất",
        "not_met": "Không đạt",
        "legend": "Đạt, hoặc đơn vị đáp ứng điều kiện",
    },
    "en": {
        "results": "Unit results",
        "low": "Unusually low",
        "if_approved": "If the report is approved",
        "approved": "Approved",
        "attention": "Most worth your attention",
        "not_met": "Not met",
        "legend": "Met, or the unit meets the condition",
    },
}


def _actor(browser, live_server, username: str, language: str):
    """A browser of its own for one person, logged in, in their language; with the
    Content Security Policy refusals it reports."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    if language == "en":
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    refusals: list[str] = []
    page.on(
        "console",
        lambda m: refusals.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page, refusals


@pytest.mark.parametrize("language", ["vi", "en"])
def test_staff_submit_and_the_director_approves_with_the_results_in_view(
    browser, live_server, screenshot, language
):
    words = WORDS[language]
    demo_load()
    today = timezone.localdate()
    year, quarter = today.year, engine.quarter_of(today)
    path = f"/report/sonn-vp/{year}/{quarter}/"
    _land_resolved_in_the_four_quarters_before(year, quarter)

    staff_context, staff, staff_refusals = _actor(browser, live_server, "demo-staff", language)
    staff.goto(f"{live_server.url}{path}")
    _staff_sees_the_flag_and_the_results_then_submits(staff, words, screenshot, language)

    director_context, director, refusals = _actor(browser, live_server, "demo-director", language)
    director.goto(f"{live_server.url}{path}")
    results = director.locator("#results")
    assert words["results"] in results.inner_text()
    assert "5.1" in results.inner_text()
    preview = director.locator("#if-approved")
    assert words["if_approved"] in preview.inner_text()
    assert preview.locator("tr", has_text="5.1").count() >= 1
    # Approve stands apart from the return comment.
    assert director.locator("#decision-approve textarea").count() == 0
    assert director.locator("#decision-return #id_comment").count() == 1
    screenshot(director, f"approval-{language}")
    director.click("#decision-approve button[value=approve]")
    director.wait_for_selector(".message.success")
    assert words["approved"] in director.locator(".badge").first.inner_text()
    report = QuarterlyReport.objects.get(unit__code="sonn-vp", year=year, quarter=quarter)
    assert report.state == QuarterlyReport.State.APPROVED

    _the_director_reads_the_headline_and_the_matrix(
        director, live_server, words, screenshot, language
    )
    assert staff_refusals == [] and refusals == []
    staff_context.close()
    director_context.close()


def _land_resolved_in_the_four_quarters_before(year: int, quarter: int) -> None:
    """The desk's history, whatever the day the test runs: some 1,200 land dossiers
    resolved a quarter (the demo has them only for the quarters it holds)."""
    desk = Unit.objects.get(code="sonn-vp")
    resolved = DataElement.objects.get(code="dossiers_resolved")
    land = Category.objects.get(code="land")
    for n, (y, q) in enumerate(engine.previous_quarters(year, quarter)):
        Figure.objects.update_or_create(
            unit=desk, year=y, quarter=q, element=resolved, category=land,
            defaults={"value": 1180 + 10 * n},
        )  # fmt: skip


def _staff_sees_the_flag_and_the_results_then_submits(staff, words, screenshot, language):
    # A slip of the finger: 100 land dossiers resolved, where the desk resolves over a
    # thousand a quarter. Saved, it is flagged next to its field and above the results.
    staff.fill("#id_dossiers_received__land", "1210")
    staff.fill("#id_dossiers_resolved__land", "100")
    staff.fill("#id_dossiers_on_time__land", "99")
    staff.click("button[value=save]")
    staff.wait_for_selector(".message.success")
    cell = staff.locator("td", has=staff.locator("#id_dossiers_resolved__land"))
    assert words["low"] in cell.locator(".outlier").inner_text()
    assert staff.locator("#results .outlier-note").count() == 1
    screenshot(staff, f"report-outlier-{language}")
    # Corrected, the flag is gone; the results beside the figures count them.
    staff.fill("#id_dossiers_resolved__land", "1201")
    staff.fill("#id_dossiers_on_time__land", "1190")
    staff.click("button[value=save]")
    staff.wait_for_selector(".message.success")
    assert staff.locator(".outlier").count() == 0
    land = staff.locator("#results tr.category", has_text="1.190 / 1.201" if language == "vi"
                         else "1,190 / 1,201")  # fmt: skip
    assert land.count() == 1
    screenshot(staff, f"report-results-staff-{language}")
    staff.click("button[value=submit]")
    staff.wait_for_selector(".message.success")


def _the_director_reads_the_headline_and_the_matrix(
    director, live_server, words, screenshot, language
):
    director.goto(f"{live_server.url}/?year=2021&quarter=2")
    headline = director.locator("section.headline")
    assert words["attention"] in headline.inner_text()
    first = headline.locator(".attention li").first
    assert "5.1" in first.inner_text() and words["not_met"] in first.inner_text()
    assert headline.locator(".headline-counts").count() == 1
    screenshot(director, f"headline-{language}")
    first.locator("a").first.click()  # one click to the indicator
    director.wait_for_url("**/indicators/5.1/**")

    director.goto(f"{live_server.url}/matrix/?year=2021&quarter=0")
    assert words["legend"] in director.locator(".legend").inner_text()
    assert "sonn" in director.locator("tbody.top-units").inner_text()
    header = director.locator("table.matrix thead").inner_text()
    assert "4.1" in header and ("Hài lòng" if language == "vi" else "Satisfaction") in header
    screenshot(director, f"matrix-{language}")
