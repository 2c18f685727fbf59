"""The public page of published results in a real browser: without a login, in
Vietnamese and, after the language switch, in English."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from commitments import services
from commitments.demo import demo_load
from commitments.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anyone_reads_the_published_quarter_in_either_language(page, live_server, screenshot):
    demo_load()
    director = get_user_model().objects.get(username="demo-director")
    department = Unit.objects.get(code="sonn")
    for quarter in (1, 2):
        services.publishing.results_publish(
            department=department, year=2021, quarter=quarter, user=director
        )

    page.goto(f"{live_server.url}{reverse('commitments:results')}")
    assert "/accounts/login/" not in page.url
    assert page.locator("nav.published a[aria-current=page]").inner_text() == "Quý 2/2021"
    red = page.locator("li.card.not_met")
    assert red.count() == 1
    assert "Không đạt" in red.inner_text()
    land = page.locator("tr.category", has_text="Đất đai").first
    assert "95,59%" in land.inner_text() and "≥ 96%" in land.inner_text()
    screenshot(page, "results-2021-q2-vi")

    page.click("form.lang button[value=en]")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    land = page.locator("tr.category", has_text="Land").first
    assert "95.59%" in land.inner_text() and "Not met" in land.inner_text()
    assert page.get_by_text("Dossiers resolved on time, in each field").count() == 1
    screenshot(page, "results-2021-q2-en")

    assert page.locator("nav.published a[aria-current=page]").inner_text() == "Q2 2021"
    page.locator("nav.published a", has_text="Q1 2021").click()
    page.wait_for_url("**quarter=1**")
    assert page.locator("nav.published a[aria-current=page]").count() == 1
