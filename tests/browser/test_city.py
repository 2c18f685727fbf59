"""The city's coordinating office in a real browser: from the navigation to the city
view of two departments that signed different sheets, its commitments' words on hover,
the shared indicators compared, then one department's dashboard and back; in
Vietnamese and in English, with nothing refused by the CSP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commitments import services
from tests import factories
from tests.commitments.shortcuts import two_departments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "vi": {
        "nav": "Toàn thành phố",
        "title": "Toàn thành phố: cam kết của các Sở 2021 · Quý 1",
        "dard": "Sở Nông nghiệp và Phát triển nông thôn",
        "health": "Sở Y tế",
        "hover": "4.1 Hài lòng: 70% (mục tiêu ≥ 60%) — Đạt",
        "rule": "Xếp hạng: Sở có tỷ lệ cam kết không đạt cao nhất ở trên",
        "satisfaction": "Hài lòng",
        "dashboard": "Kết quả thực hiện chỉ tiêu 2021 · Quý 1",
        "met": "Đạt",
    },
    "en": {
        "nav": "City-wide",
        "title": "City-wide: the departments' commitments 2021 · Quarter 1",
        "dard": "Department of Agriculture and Rural Development",
        "health": "Department of Health",
        "hover": "4.1 Satisfaction: 70% (target ≥ 60%) — Met",
        "rule": "Ranking: the department with the largest share of commitments not met first",
        "satisfaction": "Satisfaction",
        "dashboard": "Indicator results 2021 · Quarter 1",
        "met": "Met",
    },
}


@pytest.fixture
def city(db):
    services.catalogue.catalogue_load(name="hcmc-dard-2021")
    world = two_departments()
    factories.city_office("sonoivu")
    return world


def _log_in(page, live_server, language: str) -> list[str]:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", "sonoivu")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    if language == "en":
        page.click("form.lang button[value=en]")
        page.wait_for_load_state("load")
    return refused


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_city_office_compares_the_departments_and_opens_one(
    page, live_server, screenshot, city, language
):
    words = WORDS[language]
    refused = _log_in(page, live_server, language)

    page.click(f"header nav a:has-text('{words['nav']}')")
    page.wait_for_url("**/city/**")
    page.select_option("select[name=year]", "2021")
    page.select_option("select[name=quarter]", "1")
    page.click("form.period button")
    page.wait_for_url("**quarter=1**")
    assert page.get_by_role("heading", level=1).inner_text() == words["title"]
    assert words["rule"] in page.locator("main").inner_text()

    rows = page.locator("table.city tbody tr")
    assert rows.count() == 2
    # DARD first: a third of its commitments not met, against a quarter of Health's.
    assert words["dard"] in rows.nth(0).inner_text()
    assert words["health"] in rows.nth(1).inner_text()
    assert rows.nth(0).locator("li.commit").count() == 9
    health = rows.nth(1).locator("li.commit")
    assert health.count() == 8
    four = health.nth(3)
    assert "met" in four.get_attribute("class").split()
    assert words["hover"] in four.locator("a").get_attribute("title")

    shared = page.locator("table.matrix.shared")
    assert shared.locator("thead").get_by_text(words["satisfaction"], exact=True).count() == 1
    health_row = shared.locator("tbody tr", has_text=words["health"])
    assert "70.00%" in health_row.inner_text() or "70,00%" in health_row.inner_text()
    screenshot(page, f"city-2021-q1-{language}")

    rows.nth(1).locator("th a").first.click()
    page.wait_for_url("**unit=soyt**")
    assert page.get_by_role("heading", level=1).inner_text() == words["dashboard"]
    assert page.locator("h2", has_text=words["health"]).count() == 1
    assert page.locator("li.card").count() == 8
    assert words["met"] in page.locator("li.card", has_text="4").first.inner_text()
    assert words["dard"] not in page.locator("main").inner_text()
    screenshot(page, f"city-dashboard-soyt-{language}")

    page.click(f"p.crumbs a:has-text('{words['nav']}')")
    page.wait_for_url("**/city/**")
    assert page.locator("table.city tbody tr").count() == 2
    assert refused == []
