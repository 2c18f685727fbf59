"""A director opens the application in a real browser: finds the red commitment, drills
down to the failing field and the indicator's chart, in Vietnamese and in English."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from commitments.demo import demo_load
from tests.browser.pages import CHART_DRAWN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GAP = "Đất đai: thiếu 5 hồ sơ giải quyết đúng hạn so với mục tiêu trong quý."


def _log_in(page, live_server, username: str = "demo-director") -> None:
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url  # the dashboard needs a login
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_director_drills_from_the_red_commitment_to_the_failing_field(
    page, live_server, screenshot, tmp_path
):
    demo_load()
    _log_in(page, live_server)
    page.select_option("select[name=year]", "2021")
    page.select_option("select[name=quarter]", "2")
    page.click("form.period button")
    page.wait_for_url("**quarter=2**")

    red = page.locator("li.card.not_met")
    assert red.count() == 1
    assert "5" in red.locator(".num").inner_text()
    assert "Không đạt" in red.inner_text()
    assert GAP in red.inner_text()  # why, in the users' words, without a click
    screenshot(page, "dashboard-2021-q2-vi")

    red.get_by_role("link", name="5.1").click()  # one click down to the indicator
    page.wait_for_url("**/indicators/5.1/**")
    land = page.locator("tr.category", has_text="Đất đai")
    assert "95,59%" in land.inner_text() and "≥ 96%" in land.inner_text()
    assert "1.148 / 1.201" in land.inner_text()  # the figures behind the number
    assert "Không đạt" in land.inner_text()
    desk = page.locator("tr", has_text="sonn-vp")
    assert "Không đạt" in desk.first.inner_text()  # the unit behind it
    page.wait_for_function("document.getElementById('indicator-chart').width > 0")
    assert page.evaluate(CHART_DRAWN), "the chart canvas is empty"
    screenshot(page, "indicator-5.1-2021-q2-vi")

    page.go_back()
    with page.expect_download() as download:
        page.locator("nav.exports a", has_text="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    sheet = load_workbook(path)["Cam kết 5"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    land = next(r for r in rows if "Đất đai" in r and "Sở" in str(r))
    assert 95.59 in land and "Không đạt" in land


def test_director_reads_the_dashboard_in_english(page, live_server, screenshot):
    demo_load()
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/?year=2021&quarter=2")
    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Indicator results 2021 · Quarter 2"
    red = page.locator("li.card.not_met")
    assert "Not met" in red.inner_text()
    assert "Land" in red.inner_text()
    row = page.locator("tr", has_text="Dossiers resolved on time, in each field")
    assert "98.43%" in row.first.inner_text()
    screenshot(page, "dashboard-2021-q2-en")


def test_matrix_shows_the_unit_behind_first(page, live_server, screenshot):
    demo_load()
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/matrix/?year=2021&quarter=0")
    # The department apart at the top, then its units, the one behind first.
    assert "sonn" in page.locator("table.matrix tbody.top-units tr").first.inner_text()
    first = page.locator("table.matrix tbody.units tr").first
    assert "sonn-qlxd" in first.inner_text()  # no initiative: 4.6 not met
    screenshot(page, "matrix-2021-vi")


def test_wrong_password_is_refused_with_a_message(page, live_server, screenshot):
    demo_load()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "demo-director")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    screenshot(page, "login-refused-vi")
