"""A director opens the first page in a real browser, in Vietnamese and in English."""

from __future__ import annotations

import pytest

from commitments.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username: str = "demo-director") -> None:
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url  # the dashboard needs a login
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_director_sees_the_failing_field_and_switches_to_english(page, live_server, screenshot):
    demo_load()
    _log_in(page, live_server)
    assert page.get_by_role("heading", level=1).inner_text() == "Kết quả thực hiện chỉ tiêu 2021"

    page.select_option("select[name=quarter]", "2")
    page.click("form.period button")
    row = page.locator("tr", has_text="Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực")
    assert "Không đạt" in row.inner_text()
    assert "Chưa đạt: Đất đai" in row.inner_text()
    land = page.locator("tr.category", has_text="Đất đai")
    assert "95,59%" in land.inner_text() and "≥ 96%" in land.inner_text()
    screenshot(page, "dashboard-2021-q2-vi")

    page.click("button[value=en]")
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Dossiers resolved on time, in each field")
    assert "98.43%" in row.inner_text()
    assert "Land" in row.inner_text()
    screenshot(page, "dashboard-2021-q2-en")


def test_wrong_password_is_refused_with_a_message(page, live_server, screenshot, db):
    demo_load()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "demo-director")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    screenshot(page, "login-refused-vi")
