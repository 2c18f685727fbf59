"""In a real browser, the quarterly report shows the figures counted from the citizens'
survey as text with their source, in both languages, and the desk's own figures are
still typed, checked and saved around them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from commitments import services
from commitments.models import Figure, Membership
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def desk(db):
    """A receiving desk whose citizens answered 120 times in Q2 2021, 111 satisfied,
    and whose quarter was published; its staff logs in."""
    services.catalogue.catalogue_load(name="hcmc-dard-2021")
    desk = factories.unit("vp", parent=factories.department(), receives_dossiers=True)
    factories.figure(desk, "dossiers_resolved", 100, category="land")
    for element, value in (
        ("survey_responses", 120),
        ("survey_satisfied", 111),
        ("survey_published", 1),
    ):
        factories.figure(desk, element, value, quarter=2)
    user = get_user_model().objects.create_user("chuyenvien", password=PASSWORD)
    Membership.objects.create(user=user, unit=desk, role=Membership.Role.STAFF)
    return desk


def _open_report(page, live_server) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", "chuyenvien")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{reverse('commitments:quarterly_report', args=['vp', 2021, 2])}")


def test_survey_figures_are_read_only_with_their_source(page, live_server, desk, screenshot):
    _open_report(page, live_server)
    for field, shown in (
        ("survey_responses", "120"),
        ("survey_satisfied", "111"),
        ("survey_published", "Có"),
    ):
        cell = page.locator(f"#id_{field}")
        assert cell.evaluate("e => e.tagName") == "TD", field
        assert cell.inner_text() == shown
        row = cell.locator("xpath=..")
        assert "Từ khảo sát sự hài lòng của người dân" in row.inner_text()
    assert page.locator("input[name^=survey_]").count() == 0
    page.locator("#id_survey_responses").scroll_into_view_if_needed()
    screenshot(page, "report-survey-figures-vi")

    page.fill("#id_dossiers_resolved__land", "40")
    page.fill("#id_dossiers_on_time__land", "41")  # checked as typed, survey rows or not
    assert "không được lớn hơn" in page.locator("#err_dossiers_on_time__land").inner_text()
    page.fill("#id_dossiers_on_time__land", "39")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu nháp").click()
    saved = dict(Figure.objects.filter(quarter=2).values_list("element__code", "value"))
    assert saved == {
        "dossiers_resolved": 40,
        "dossiers_on_time": 39,
        "survey_responses": 120,
        "survey_satisfied": 111,
        "survey_published": 1,
    }

    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state("load")
    row = page.locator("#id_survey_published").locator("xpath=..")
    assert "From the citizens' satisfaction survey" in row.inner_text()
    assert page.locator("#id_survey_published").inner_text() == "Yes"
    page.locator("#id_survey_responses").scroll_into_view_if_needed()
    screenshot(page, "report-survey-figures-en")
