"""A director reads 5.1 ("98% of dossiers in each field, land and investment 96%") as it
was signed: the target of its whole names each field and the fields with a target of
their own, and the projection of an open year is made field by field, on the
dashboard, the unit page, the indicator page and the printed report, in Vietnamese and
in English."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from commitments import services
from commitments.demo import demo_load
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNED = {
    "vi": "từng lĩnh vực ≥ 98% (Đất đai, Đầu tư ≥ 96%)",
    "en": "each field ≥ 98% (Land, Investment ≥ 96%)",
}
# Mid-May 2021, the year open: irrigation and land on course to miss their targets.
MID_MAY_2021 = dt.date(2021, 5, 15)
MISSES = {
    "vi": "Dự báo cuối năm: Thủy lợi 97,60% sẽ không đạt ≥ 98%; Đất đai 94,70% sẽ không đạt ≥ 96%",
    "en": "Year-end projection: Irrigation 97.60% will not meet ≥ 98%; "
    "Land 94.70% will not meet ≥ 96%",
}


def _whole_of_5_1(page) -> str:
    """The words of 5.1's whole row, as read (its target's fields are on a line)."""
    row = page.locator("table.statuses tr", has=page.locator("a.code", has_text="5.1")).first
    return " ".join(row.text_content().split())


def _shoot(locator, name: str) -> None:
    """A screenshot of one part of a page (the rows of commitment 5), for people."""
    ARTIFACTS.mkdir(exist_ok=True)
    locator.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_director_reads_5_1_as_signed(page, live_server, screenshot, language):
    demo_load()
    _log_in(page, live_server)
    if language == "en":
        page.click("button[value=en]")
        page.wait_for_load_state()
    signed = SIGNED[language]

    page.goto(f"{live_server.url}/indicators/5.1/?year=2021&quarter=2")
    assert signed in page.locator("p.wording").inner_text()
    assert page.locator("td.num", has_text=signed).count() > 1  # the department, the units
    screenshot(page, f"per-field-indicator-5.1-2021-q2-{language}")

    page.goto(f"{live_server.url}/reports/print/?year=2021&quarter=2")
    assert page.locator("td.num", has_text=signed).count() >= 2  # results, units behind
    _shoot(page.locator("tbody.commitment-5"), f"per-field-print-2021-q2-{language}")

    # 2021 as it stood in mid-May: the projection, field by field.
    with mock.patch("django.utils.timezone.localdate", return_value=MID_MAY_2021):
        services.recompute.statuses_recompute(year=2021, as_of=MID_MAY_2021)
        page.goto(f"{live_server.url}/?year=2021")
        whole = _whole_of_5_1(page)
        assert signed in whole and MISSES[language] in whole
        _shoot(page.locator("tbody#c5"), f"per-field-dashboard-2021-may-{language}")
        page.goto(f"{live_server.url}/units/sonn-vp/?year=2021")
        assert signed in _whole_of_5_1(page)
        _shoot(page.locator("tbody#c5"), f"per-field-unit-sonn-vp-2021-may-{language}")
