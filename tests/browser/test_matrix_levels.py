"""A superuser walks a country's matrix down the unit tree in a real browser: the
provinces, a province's departments and communes a page at a time, a department's
units, and back up; then the indicator page's units worst first, a page at a time,
in Vietnamese and in English."""

from __future__ import annotations

import pytest

from commitments.views.paging import PER_PAGE
from tests import factories
from tests.commitments.country import COMMUNES, DEPARTMENTS, PROVINCES, UNITS, country

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-quan-tri"


def _log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "quantri")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_the_matrix_goes_down_the_tree_and_back_up(page, live_server, screenshot, catalogue):
    country()
    factories.superuser(password=PASSWORD)
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/matrix/?year=2021&quarter=1")
    provinces = page.locator("table.matrix tbody.units tr")
    assert provinces.count() == PROVINCES
    assert "Cả nước" in page.locator("table.matrix tbody.top-units").inner_text()
    screenshot(page, "matrix-levels-country-vi")

    down = page.locator("tr", has_text="Tỉnh 1").locator("a.down")
    assert down.inner_text() == f"▸ {DEPARTMENTS + COMMUNES} đơn vị trực thuộc"
    down.click()
    page.wait_for_url("**unit=p1**")
    assert page.locator("p.crumbs.levels").inner_text() == "Cả nước \u203a Tỉnh 1"
    assert page.locator("table.matrix tbody.units tr").count() == PER_PAGE
    pager = page.locator("nav.pager")
    assert f"trên {DEPARTMENTS + COMMUNES}" in pager.inner_text()
    screenshot(page, "matrix-levels-province-vi")
    pager.locator("a[rel=next]").click()
    page.wait_for_url("**page=2**")
    assert "Trang 2/" in page.locator("nav.pager").inner_text()

    page.goto(f"{live_server.url}/matrix/?year=2021&quarter=1&unit=p1-d0")
    assert page.locator("table.matrix tbody.units tr").count() == UNITS
    page.locator("p.crumbs.levels a", has_text="Tỉnh 1").click()
    page.wait_for_url("**unit=p1")
    assert "Tỉnh 1" in page.locator("table.matrix tbody.top-units").inner_text()


def test_the_indicator_page_pages_the_units_in_english(page, live_server, screenshot, catalogue):
    units = country()
    factories.superuser(password=PASSWORD)
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/indicators/5.1/?year=2021&quarter=1")
    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("h2", has_text="By unit").inner_text() == f"By unit ({len(units) - 1:,})"
    rows = page.locator("h2:has-text('By unit') + p + table tbody tr")
    assert rows.count() == PER_PAGE
    assert "\t90%\t900 / 1,000\t" in rows.first.inner_text()  # the worst first
    assert f"of {len(units) - 1:,}" in page.locator("nav.pager").inner_text()
    screenshot(page, "indicator-units-paged-en")
