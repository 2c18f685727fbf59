"""The units x indicators matrix read as a table: indicator names in the headers, the
department's row apart at the top with its own statuses, a legend for every symbol, one
number format, each cell's status in colour, icon and words, and the same judgement
of a coverage condition as the unit page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from commitments import engine, insights, services
from commitments.matrix import LEGEND
from tests import factories

PERIOD = {"year": 2021, "quarter": 0}


@pytest.fixture
def department(catalogue):
    """The department, two receiving desks (one with 85 of 120 satisfied: 70.83%; the
    other 70 of 100: 70%) and a division; only the first desk was inspected
    periodically in 2021, so 3.1 ("at least 30%") covers 1 of 3 units."""
    department = factories.department()
    a = factories.unit("vp", parent=department, receives_dossiers=True, name="Văn phòng Sở")
    b = factories.unit("cc", parent=department, receives_dossiers=True, name="Chi cục Thủy lợi")
    factories.unit("ptc", parent=department, name="Phòng Tổ chức")
    factories.figure(a, "survey_responses", 120)
    factories.figure(a, "survey_satisfied", 85)
    factories.figure(b, "survey_responses", 100)
    factories.figure(b, "survey_satisfied", 70)
    factories.evidence(department, "inspection_periodic", dt.date(2021, 3, 2), subject=a)
    services.recompute.statuses_recompute(year=2021)
    return department


@pytest.fixture
def page(client, department):
    client.force_login(factories.director("giamdoc", department))
    return client.get(reverse("commitments:matrix"), PERIOD)


def _row(response, code):
    return next(r for r in response.context["rows"] if r["unit"].code == code)


def _cell(response, unit, indicator):
    column = [c.code for c in response.context["columns"]].index(indicator)
    return _row(response, unit)["cells"][column]


def _tbody(html: str, name: str) -> str:
    start = html.index(f'<tbody class="{name}">')
    return html[start : html.index("</tbody>", start)]


def test_headers_name_each_indicator_short_with_its_full_name_on_hover(page):
    html = page.content.decode()
    header = html[html.index("<thead>") : html.index("</thead>")]
    assert '<span class="code">4.1</span> <span class="short">Hài lòng</span>' in header
    assert 'title="4.1 · Mức độ hài lòng của người dân và doanh nghiệp"' in header
    # The counts say what they count, in words beside their symbol.
    assert "Không đạt</th>" in header and "Có nguy cơ</th>" in header
    assert ">✗<" not in header and ">!<" not in header


def test_the_department_is_apart_at_the_top_with_its_own_statuses(page):
    rows = page.context["rows"]
    assert (rows[0]["unit"].code, rows[0]["top"]) == ("sonn", True)
    assert all(not r["top"] for r in rows[1:])
    html = page.content.decode()
    assert "sonn" in _tbody(html, "top-units") and "vp" not in _tbody(html, "top-units")
    assert "Văn phòng Sở" in _tbody(html, "units")
    # Its coverage indicators show its own value and status: 1 of 3 units, 33.33% ≥ 30.
    own = _cell(page, "sonn", "3.1")
    assert (own["status"], own["condition"]) == (engine.MET, False)
    assert round(own["value"], 2) == Decimal("33.33")


def test_one_number_format_two_decimals_everywhere(page):
    html = _tbody(page.content.decode(), "units")
    assert '<span class="v">70,83%</span>' in html
    assert '<span class="v">70,00%</span>' in html  # not "70" beside "70,8"
    assert not re.search(r'<span class="v">\d+%</span>', html)


def test_every_cell_says_its_status_in_words_and_the_legend_explains_each_symbol(page):
    html = page.content.decode()
    cell = _cell(page, "cc", "4.1")
    assert (cell["status"], cell["label"]) == (engine.NOT_MET, "Không đạt")
    assert '<span class="t">Không đạt</span>' in _tbody(html, "units")
    legend = html[html.index('<ul class="legend"') : html.index("</ul>", html.index("legend"))]
    for state, meaning in LEGEND:
        assert f'<span class="swatch {state}">' in legend
        assert str(meaning) in legend
    assert "tạm tính" in legend


def test_a_coverage_condition_reads_as_on_the_unit_page(client, page, department):
    # 3.1 asks at least 30%: the units not inspected miss it, and fail nothing.
    assert _cell(page, "vp", "3.1")["status"] == engine.MET
    missed = _cell(page, "cc", "3.1")
    assert (missed["status"], missed["label"]) == (insights.UNCOVERED, "Chưa đáp ứng")
    # 6.1 asks every desk in each quarter (the year is its worst quarter); both surveyed.
    unit_page = client.get(reverse("commitments:unit", args=["cc"]), PERIOD)
    conditions = {row.indicator.code: state for row, state in unit_page.context["conditions"]}
    assert conditions["3.1"] == insights.UNCOVERED == missed["status"]
    html = unit_page.content.decode()
    assert '<span class="badge uncovered">' in html
    assert "mục tiêu không đòi hỏi mọi đơn vị" in html


def test_the_matrix_reads_in_english(client, department, settings):
    client.force_login(factories.director("giamdoc", department))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("commitments:matrix"), PERIOD).content.decode()
    assert '<span class="short">Satisfaction</span>' in html
    assert '<span class="v">70.83%</span>' in html
    assert "Not met</th>" in html
    legend = html[html.index('<ul class="legend"') : html.index("</ul>", html.index("legend"))]
    assert "Met, or the unit meets the condition" in legend
    assert not re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", legend)


def test_each_unit_is_judged_on_its_own_departments_sheet_in_one_column_a_number(
    client, department
):
    """Two departments' units on one matrix (a superuser's): sheets number their
    indicators alike, so a column is a number; each unit's cell is its own sheet's."""
    health, own = factories.department_with_sheet("soyt")
    desk = factories.unit("soyt-vp", parent=health, receives_dossiers=True)
    factories.figure(desk, "survey_responses", 100)
    factories.figure(desk, "survey_satisfied", 70)  # 70%: short of 91%, meets its own 60%
    target = factories.sheet_target(own, "4.1")
    target.threshold = 60
    target.save()
    services.recompute.statuses_recompute(year=2021)
    client.force_login(factories.superuser())
    page = client.get(reverse("commitments:matrix"), PERIOD)
    codes = [c.code for c in page.context["columns"]]
    assert len(codes) == len(set(codes))
    assert (_cell(page, "cc", "4.1")["status"], _cell(page, "soyt-vp", "4.1")["status"]) == (
        engine.NOT_MET,
        engine.MET,
    )
    assert _cell(page, "soyt-vp", "4.1")["indicator"].sheet == own
    assert {r["unit"].code for r in page.context["rows"] if r["top"]} == {"sonn", "soyt"}
    # A cell opens the indicator page of the unit's own department.
    html = page.content.decode()
    assert "?year=2021&amp;quarter=0&amp;unit=soyt" in html
    assert "?year=2021&amp;quarter=0&amp;unit=sonn" in html
