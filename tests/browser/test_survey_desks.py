"""The directors' survey pages in a real browser: the overview marks the desk below the
satisfaction target, its quarter names the aspect that drags it down, a director voids
an abusive response with a reason and publishes the quarter from the overview, and
staff of the desk type a paper questionnaire."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import DeskPublication, Response
from tests import factories
from tests.surveys import conftest as surveys
from tests.surveys.conftest import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The desks and people of the survey tests (tests/surveys/conftest.py), here too.
desks = surveys.desks
people = surveys.people


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_a_director_voids_and_publishes_and_staff_type_a_paper(
    page, live_server, screenshot, desks, people
):
    for i in range(10):
        response = answer(desks["desk"], 5 if i < 9 else 1, aspects=4)
    response.answers.filter(question__code="staff").update(score=2)
    answer(desks["other"], 5)
    _log_in(page, live_server, "giamdoc")

    page.goto(f"{live_server.url}/surveys/?year=2021")
    cell = page.locator("td.survey-cell.not_met").first
    assert "90%" in cell.inner_text() and "Không đạt" in cell.inner_text()
    screenshot(page, "survey-overview")

    cell.locator("a.share").click()
    page.wait_for_load_state("load")
    assert "Tiêu chí kéo kết quả xuống nhiều nhất" in page.inner_text(".weakest-note")
    row = page.locator(f"tr#r{response.pk}")
    row.locator("summary").click()
    row.locator("input[name=reason]").fill("Phiếu gửi thử khi lắp máy")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "Đã hủy phiếu" in page.inner_text("p.message")
    assert "Phiếu gửi thử khi lắp máy" in page.inner_text("#voided")
    assert "100%" in page.inner_text(".desk-summary")
    screenshot(page, "survey-desk-quarter")

    page.goto(f"{live_server.url}/surveys/?year=2021")
    page.locator(
        f"form[action='{reverse('surveys:desk_publish', args=['mot-cua', 2021, 1])}'] button"
    ).click()
    page.wait_for_load_state("load")
    page.click("form.publish-confirm button[type=submit]")
    page.wait_for_load_state("load")
    assert "Đã công bố kết quả khảo sát Quý 1/2021" in page.inner_text("p.message")
    assert DeskPublication.objects.filter(unit=desks["desk"], year=2021, quarter=1).exists()

    page.context.clear_cookies()
    _log_in(page, live_server, "chuyenvien")
    page.goto(f"{live_server.url}{reverse('surveys:paper_entry', args=['mot-cua'])}")
    page.fill("input[name=filled_on]", "2021-02-03")
    for code in ("access", "procedure", "staff", "result", "feedback", "overall"):
        page.locator(f"input[name=q_{code}][value='4']").check()
    screenshot(page, "survey-paper")
    page.click("form.paper-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "Đã lưu phiếu giấy" in page.inner_text("p.message")
    paper = Response.objects.get(channel="paper")
    assert (paper.year, paper.quarter, paper.entered_by) == (2021, 1, people["staff"])
