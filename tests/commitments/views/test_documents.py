"""The quarterly report document: the XLSX workbook, the CSV of a year's statuses and the
printable report, on the demo department whose 2021 outcomes are worked out by hand in
``commitments/demo.py`` (5.1 land 95.59% in Q2; 4.6 and 8.2 not met in the year)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from commitments import selectors
from commitments.models import Status

DEPARTMENT = "Sở Nông nghiệp và Phát triển nông thôn Thành phố Hồ Chí Minh"
HEADER_VI = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "Phân loại", "Kết quả", "Mục tiêu", "Trạng thái"]
HEADER_EN = ["Indicator code", "Indicator", "Unit", "Category", "Result", "Target", "Status"]


@pytest.fixture
def demo(demo_after_2021, db):
    """The demo, loaded once for the module (every test of the module reads it: a test
    that needs a database without it is in test_documents_scale.py)."""


@pytest.fixture
def director(client, admin):
    """The client of a superuser: the documents hold every unit. What a director or a
    member of staff gets, their units only, is in test_access.py."""
    client.force_login(admin)
    return client


@pytest.fixture
def dard(client, demo):
    """The client of DARD's director: the documents hold every unit of the department
    (the demo's second department apart)."""
    client.force_login(get_user_model().objects.get(username="demo-director"))
    return client


def _workbook(client, **query):
    response = client.get(reverse("commitments:report_xlsx"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# --- XLSX ---------------------------------------------------------------------


def test_xlsx_has_a_summary_then_a_sheet_per_commitment(dard):
    book = _workbook(dard, year=2021, quarter=2)
    assert book.sheetnames == ["Tổng hợp"] + [f"Cam kết {n}" for n in range(1, 10)]
    summary = _rows(book["Tổng hợp"])
    assert summary[0] == ["Cam kết", "Trạng thái chung", "Đạt", "Không đạt", "Có nguy cơ không đạt"]
    by_code = {row[0].split(".")[0]: row for row in summary[1:]}
    # 5.1 fails on land while 5.2 (a dialogue in the quarter) is met.
    assert by_code["5"][1:] == ["Không đạt", 1, 1, 0]
    # 6.1 and 6.2 are met; commitment 1 is judged on the year only.
    assert by_code["6"][1:] == ["Đạt", 2, 0, 0]
    assert by_code["1"][1:] == ["Không đánh giá trong kỳ này", 0, 0, 0]


def test_xlsx_land_in_q2_is_a_number_with_its_target_and_not_met(dard):
    sheet = _workbook(dard, year=2021, quarter=2)["Cam kết 5"]
    rows = _rows(sheet)
    assert rows[0] == HEADER_VI
    land = [r for r in rows if r[0] == "5.1" and r[2] == DEPARTMENT and r[3] == "Đất đai"]
    assert len(land) == 1
    assert land[0][4] == 95.59
    assert land[0][5] == 96
    assert land[0][6] == "Không đạt"
    row = rows.index(land[0]) + 1
    assert sheet.cell(row, 5).number_format == "0.00"
    assert sheet.cell(row, 6).number_format == '"≥ "0.00'
    # The desk that holds the department back is there too, with its own rows.
    desk = [r for r in rows if r[0] == "5.1" and r[2].startswith("Văn phòng Sở") and not r[3]]
    assert desk and desk[0][6] == "Không đạt"


def test_a_superusers_xlsx_says_whose_each_commitment_is(director, demo):
    """Two departments' sheets number their commitments alike: a workbook that holds
    both names each sheet and summary row after its department, in code order."""
    book = _workbook(director, year=2021, quarter=2)

    assert book.sheetnames == (
        ["Tổng hợp"]
        + [f"sonn · Cam kết {n}" for n in range(1, 10)]
        + [f"stnmt · Cam kết {n}" for n in (4, 5, 6, 8)]
    )
    summary = _rows(book["Tổng hợp"])
    assert [row[0].split(".")[0] for row in summary[1:]] == [
        *(f"sonn · {n}" for n in range(1, 10)),
        *(f"stnmt · {n}" for n in (4, 5, 6, 8)),
    ]
    by_code = {row[0].split(".")[0]: row for row in summary[1:]}
    assert by_code["sonn · 5"][1:] == ["Không đạt", 1, 1, 0]  # land at 95.59%
    assert by_code["stnmt · 5"][1:] == ["Đạt", 1, 0, 0]  # its land needs 95%, and has 97.72%


def test_xlsx_holds_every_status_row_of_the_period(director, demo):
    book = _workbook(director, year=2021, quarter=2)
    rows = sum(len(_rows(book[name])) - 1 for name in book.sheetnames[1:])
    assert rows == Status.objects.filter(year=2021, quarter=2).count()


def test_xlsx_header_is_bold_frozen_and_columns_are_sized(director, demo):
    book = _workbook(director, year=2021, quarter=2)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
    sheet = book["sonn · Cam kết 5"]
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert widths["B"] > widths["A"] >= 8  # indicator names are wider than their codes


def test_xlsx_in_english_once_the_user_chooses_it(dard):
    dard.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    book = _workbook(dard, year=2021, quarter=2)
    assert book.sheetnames == ["Summary"] + [f"Commitment {n}" for n in range(1, 10)]
    summary = _rows(book["Summary"])
    assert summary[0] == ["Commitment", "Overall status", "Met", "Not met", "At risk"]
    rows = _rows(book["Commitment 5"])
    assert rows[0] == HEADER_EN
    land = next(r for r in rows if r[0] == "5.1" and r[3] == "Land")
    assert land[1] == "Dossiers resolved on time, in each field"
    assert land[2] == "Ho Chi Minh City Department of Agriculture and Rural Development"
    assert land[4] == 95.59
    assert land[6] == "Not met"


def test_xlsx_of_the_year_to_date_judges_the_year_rows(dard):
    book = _workbook(dard, year=2021, quarter=0)
    by_code = {row[0].split(".")[0]: row for row in _rows(book["Tổng hợp"])[1:]}
    # 4.6: one division without an initiative; 4.5 is tracked, so it is not counted.
    assert by_code["4"][1:] == ["Không đạt", 4, 1, 0]
    assert by_code["8"][1:] == ["Không đạt", 0, 1, 0]
    assert by_code["1"][1:] == ["Đạt", 1, 0, 0]
    periods = {r[0] for name in book.sheetnames[1:] for r in _rows(book[name])[1:]}
    assert "3.2" in periods  # judged each quarter: its year row is the worst quarter


def test_unknown_quarter_falls_back_to_the_year_to_date(director, demo):
    response = director.get(reverse("commitments:report_xlsx"), {"year": 2021, "quarter": 9})
    assert response.status_code == 200
    assert 'filename="bao-cao-cchc-2021.xlsx"' in response["Content-Disposition"]


# --- CSV ----------------------------------------------------------------------


def test_csv_has_exactly_the_contract_columns_with_a_bom(director, demo):
    response = director.get(reverse("commitments:report_csv"), {"year": 2021})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming  # sent as it is read, never held whole
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == "indicator,unit,category,period,value,target,comparator,status"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == selectors.statuses.EXPORT_COLUMNS
    assert len(rows) == Status.objects.filter(year=2021).count()
    land = [r for r in rows if (r["indicator"], r["unit"], r["category"], r["period"]) == (
        "5.1", "sonn", "land", "2021-Q2")]  # fmt: skip
    assert len(land) == 1
    assert float(land[0]["value"]) == 95.59
    assert float(land[0]["target"]) == 96
    assert land[0]["comparator"] == ">="
    assert land[0]["status"] == "not_met"
    whole = next(r for r in rows if r["indicator"] == "8.1" and r["unit"] == "sonn")
    assert whole["category"] == "" and whole["target"] == "" and whole["comparator"] == ""


# --- The printable report -------------------------------------------------------


def _section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end)]


def test_print_report_has_the_letterhead_the_nine_commitments_and_a_signature(director, demo):
    response = director.get(reverse("commitments:report_print"), {"year": 2021, "quarter": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Độc lập - Tự do - Hạnh phúc" in html
    assert DEPARTMENT in html
    assert "Báo cáo kết quả thực hiện chỉ tiêu cải cách hành chính quý 2 năm 2021" in html
    report = response.context["report"]
    assert [r.commitment.code for r in report.departments[0].commitments] == [
        str(n) for n in range(1, 10)
    ]
    for n in range(1, 10):
        assert f"Cam kết {n}. " in html
    assert "95,59%" in html and "≥ 96%" in html
    signatures = html[html.index('class="signatures"') :]
    assert "GIÁM ĐỐC" in signatures and "Nơi nhận:" in signatures


def test_print_report_names_land_and_the_desk_behind_in_q2(director, demo):
    html = director.get(
        reverse("commitments:report_print"), {"year": 2021, "quarter": 2}
    ).content.decode()
    behind = _section(html, "II. Đơn vị, lĩnh vực chưa đạt", 'class="signatures"')
    fields = _section(behind, "1. Lĩnh vực, kênh chưa đạt", "2. Đơn vị chưa đạt")
    assert "Đất đai" in fields and "95,59%" in fields
    assert "Thủy sản" not in fields  # met fields are not listed
    units = _section(behind, "2. Đơn vị chưa đạt", "3. Đơn vị chưa đáp ứng")
    assert "Văn phòng Sở" in units and "Chưa đạt: Đất đai" in units


def test_print_report_of_the_year_names_the_units_a_coverage_indicator_missed(director, demo):
    html = director.get(
        reverse("commitments:report_print"), {"year": 2021, "quarter": 0}
    ).content.decode()
    missing = _section(html, "3. Đơn vị chưa đáp ứng chỉ tiêu bao phủ", 'class="signatures"')
    # 4.6: one division has no initiative. 3.1 is met at 31.25%, so its eleven
    # uninspected units are not "behind".
    assert "4.6" in missing and "Phòng Quản lý xây dựng công trình" in missing
    assert "3.1" not in missing
    assert "lũy kế" in html


def test_print_report_in_english(director, demo):
    director.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = director.get(
        reverse("commitments:report_print"), {"year": 2021, "quarter": 2}
    ).content.decode()
    assert "SOCIALIST REPUBLIC OF VIET NAM" in html
    assert "Ho Chi Minh City Department of Agriculture and Rural Development" in html
    assert "DIRECTOR" in html
    assert "Land" in html and "95.59%" in html


def test_print_report_prints_without_inline_script(director, demo):
    html = director.get(
        reverse("commitments:report_print"), {"year": 2021, "quarter": 2}
    ).content.decode()
    assert "css/print.css" in html and "js/print.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " onclick=" not in html
    assert "Ctrl+P" in html


# --- Access, periods, links -------------------------------------------------------


@pytest.mark.parametrize("name", ["report_xlsx", "report_csv", "report_print"])
def test_reports_require_login(client, demo, name):
    response = client.get(reverse(f"commitments:{name}"), {"year": 2021, "quarter": 2})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["report_xlsx", "report_csv", "report_print"])
def test_reports_answer_get_only(director, demo, name):
    assert director.post(reverse(f"commitments:{name}"), {"year": 2021}).status_code == 405


def test_dashboard_links_to_the_three_reports(director, demo):
    html = director.get(
        reverse("commitments:dashboard"), {"year": 2021, "quarter": 2}
    ).content.decode()
    nav = html[html.index('<nav class="exports"') :]
    nav = nav[: nav.index("</nav>")]
    assert f"{reverse('commitments:report_xlsx')}?year=2021&amp;quarter=2" in nav
    assert f"{reverse('commitments:report_csv')}?year=2021" in nav
    assert f"{reverse('commitments:report_print')}?year=2021&amp;quarter=2" in nav
