"""5.1 read as signed ("98% of dossiers in each field, land and investment 96% or
more"): wherever the whole of 5.1 shows its value next to its status (the dashboard, the
unit page, the indicator page, the matrix, the XLSX and the printed report), its target
says each field and the fields with a target of their own, never a bare "≥ 98%" beside
a met 96.96%; and its year-end projection is made field by field (the demo department).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from commitments import services
from commitments.models import Unit

SIGNED_VI = "từng lĩnh vực ≥ 98% (Đất đai, Đầu tư ≥ 96%)"
SIGNED_EN = "each field ≥ 98% (Land, Investment ≥ 96%)"
User = get_user_model()
Q2 = {"year": 2021, "quarter": 2}


@pytest.fixture
def director(client, demo_after_2021, db):
    """DARD's director on the demo, loaded once for the module (every test reads it)."""
    client.force_login(User.objects.get(username="demo-director"))
    return client


def _cell(text: str, *, page: bool = True) -> str:
    """A target cell of a page: a per-field target's fields go on a line of their own
    (``page``), the published results keep its text as published."""
    if page and " (" in text:
        every, fields = text.split(" (", 1)
        fields = fields.replace("≥ ", "≥\u00a0")  # never "≥" at the end of a line
        text = f'{every} <span class="target-fields">({fields}</span>'
    return f'<td class="num">{text}</td>'


def _page(client, name, *args, language="vi", **query) -> str:
    client.cookies["django_language"] = language
    response = client.get(reverse(f"commitments:{name}", args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_and_the_unit_page_read_5_1_as_signed(director):
    dashboard = _page(director, "dashboard", **Q2)
    assert dashboard.count(_cell(SIGNED_VI)) == 1  # the department's 5.1
    assert _cell("≥ 96%") in dashboard  # land, one of its fields, is judged at 96
    assert _cell(SIGNED_EN) in _page(director, "dashboard", language="en", **Q2)
    # Văn phòng Sở: 97.28% in 2021, below 98 and met, as every field meets its own.
    unit = _page(director, "unit", "sonn-vp", year=2021)
    whole = unit[unit.index('<a class="code" href="/indicators/5.1/') :]
    whole = whole[: whole.index("</tr>")]
    assert "97,28%" in whole and _cell(SIGNED_VI) in whole and "badge met" in whole


def test_the_indicator_page_reads_5_1_as_signed_on_every_whole(director):
    response = director.get(reverse("commitments:indicator", args=["5.1"]), Q2)
    html = response.content.decode()
    assert f"<strong>{SIGNED_VI}</strong>" in html  # the target of the year
    # The department's whole, and each unit's.
    assert html.count(_cell(SIGNED_VI)) == 1 + len(response.context["unit_rows"])
    assert _cell("≥ 98%") not in html.split("<h2>")[-1]  # the units' table


def test_the_matrix_cell_of_5_1_says_its_status_and_target(director):
    response = director.get(reverse("commitments:matrix"), Q2)
    column = [c.code for c in response.context["columns"]].index("5.1")
    desk = next(r for r in response.context["rows"] if r["unit"].code == "sonn-vp")
    assert desk["cells"][column]["target"] == SIGNED_VI
    assert f'title="Không đạt · mục tiêu {SIGNED_VI}"' in response.content.decode()


@pytest.mark.parametrize(("language", "sheet_name", "signed"), [
    ("vi", "Cam kết 5", SIGNED_VI), ("en", "Commitment 5", SIGNED_EN),
])  # fmt: skip
def test_the_xlsx_writes_the_target_of_5_1_as_signed(director, settings, language,
                                                     sheet_name, signed):  # fmt: skip
    director.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = director.get(reverse("commitments:report_xlsx"), Q2)
    sheet = load_workbook(io.BytesIO(response.content))[sheet_name]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    # Every whole with a value (units out of its scope have neither value nor target).
    wholes = [r for r in rows if r[0] == "5.1" and not r[3] and r[4] is not None]
    assert len(wholes) > 1 and all(r[5] == signed for r in wholes)
    assert {r[5] for r in rows if r[0] == "5.1" and r[3]} == {96, 98}  # each field's own


def test_the_printed_report_reads_5_1_as_signed(director):
    html = _page(director, "report_print", **Q2)
    results = html[html.index('<tbody class="commitment-5">') :]
    results = results[: results.index("</tbody>")]
    assert _cell(SIGNED_VI) in results
    units_behind = html[html.index("2. Đơn vị chưa đạt") : html.index("3. Đơn vị chưa đáp ứng")]
    assert "Văn phòng Sở" in units_behind and _cell(SIGNED_VI) in units_behind
    assert _cell("≥ 98%") not in units_behind  # 5.1 is the only indicator behind there


def _projection(html: str) -> str:
    """The projection under 5.1 in the readings table: its class, then its words."""
    row = html[html.index('<a class="code" href="/indicators/5.1/') :]
    row = row[row.index('<div class="projection') :]
    opening, words = row[: row.index("</div>")].split(">", 1)
    return f"{opening}> " + " ".join(re.sub(r"<[^>]+>", "", words).split())


@pytest.mark.parametrize(("today", "unit", "projection"), [
    # Mid-May 2021: irrigation and land heading below their targets name themselves,
    # though the department's whole is on course for 98.31%.
    (dt.date(2021, 5, 15), "sonn",
     '<div class="projection not_met"> Dự báo cuối năm: Thủy lợi 97,60% sẽ không đạt ≥ 98%; '
     "Đất đai 94,70% sẽ không đạt ≥ 96%"),
    # Mid-August 2021: Văn phòng Sở on course for 97.23%, below 98, yet every field on
    # course for its own target: the projection agrees with the status.
    (dt.date(2021, 8, 15), "sonn-vp",
     '<div class="projection met"> Dự báo cuối năm: 97,23% — các lĩnh vực đều sẽ đạt'),
])  # fmt: skip
def test_the_projection_of_5_1_is_made_field_by_field(director, today, unit, projection):
    services.recompute.statuses_recompute(year=2021, as_of=today)
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        html = _page(director, "unit", unit, year=2021)
    assert _projection(html) == projection


@pytest.mark.parametrize(("language", "signed"), [("vi", SIGNED_VI), ("en", SIGNED_EN)])
def test_the_published_results_read_5_1_as_signed(director, client, language, signed):
    department = Unit.objects.get(code="sonn")
    services.publishing.results_publish(
        department=department, year=2021, quarter=2, user=User.objects.get(username="demo-admin")
    )
    client.logout()
    html = _page(client, "results", language=language, unit="sonn", **Q2)
    assert html.count(_cell(signed, page=False)) == 1  # 5.1's whole; its fields, their own
