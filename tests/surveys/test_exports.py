"""The XLSX of a year's responses: one row per response with its scores, the comment
only when published, voided ones with their reason, no personal data, the desks the
user sees only, and a query count that does not grow with the responses."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys import services
from surveys.models import Response
from tests.surveys.conftest import answer

XLSX = reverse("surveys:responses_xlsx", args=[2021])
HEADER = [
    "Mã bộ phận",
    "Bộ phận tiếp nhận",
    "Năm",
    "Quý",
    "Kênh",
    "Gửi lúc",
    *(text for _code, _kind, text, _en in services.DEFAULT_QUESTIONS),
    "Đánh giá chung",
    "Hài lòng",
    "Ý kiến (đã công khai)",
    "Đã hủy",
    "Lý do hủy",
]


def every_question(score: int) -> dict[str, int]:
    return {code: score for code, *_ in services.DEFAULT_QUESTIONS}


def rows_of(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="khao-sat-hai-long-2021.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_one_row_per_response_with_its_scores(client, desks, people):
    web = answer(desks["desk"], 4, aspects=3, comment="Công khai", client_address="198.51.100.4")
    services.comment_moderate(response=web, user=people["director"], publish=True)
    kept = answer(desks["desk"], 2, quarter=2, comment="Không công khai", dossier_code="HS-9")
    paper = services.response_submit(
        unit=desks["other"],
        answers=services.Answers(scores=every_question(5)),
        channel="paper",
        user=people["staff"],
        when=dt.datetime(2021, 8, 1, 2, tzinfo=dt.UTC),
    )
    services.response_void(response=kept, user=people["director"], reason="Trả lời thử")
    client.force_login(people["director"])
    header, *rows = rows_of(client.get(XLSX))
    assert header == HEADER
    assert rows == [
        ["ccts", "Đơn vị ccts", 2021, 3, "Phiếu giấy", dt.datetime(2021, 8, 1, 9), 5, 5, 5, 5, 5, 5, 5, "Có", None, None, None],
        ["mot-cua", "Bộ phận Một cửa", 2021, 1, "Quét mã QR", dt.datetime(2021, 2, 15, 10), 3, 3, 3, 3, 3, 4, 4, "Có", "Công khai", None, None],
        ["mot-cua", "Bộ phận Một cửa", 2021, 2, "Quét mã QR", dt.datetime(2021, 5, 15, 10), 4, 4, 4, 4, 4, 2, 2, "Không", None, "Có", "Trả lời thử"],
    ]  # fmt: skip
    assert paper.entered_by == people["staff"]


def test_no_personal_data_in_the_workbook(client, desks, people):
    response = answer(desks["desk"], 5, client_address="198.51.100.4", dossier_code="HS-42")
    paper = services.response_submit(
        unit=desks["desk"],
        answers=services.Answers(scores=every_question(4)),
        channel="paper",
        user=people["staff"],
        when=dt.datetime(2021, 3, 1, 2, tzinfo=dt.UTC),
    )  # fmt: skip
    stored = Response.objects.get(pk=response.pk)
    client.force_login(people["director"])
    cells = {str(value) for row in rows_of(client.get(XLSX)) for value in row if value is not None}
    text = " ".join(cells)
    for secret in (stored.client_key, stored.token, "HS-42", "chuyenvien", "Lan", "198.51.100.4"):
        assert secret not in text
    assert Response.objects.get(pk=paper.pk).entered_by == people["staff"]


def test_a_comment_that_reads_as_a_formula_stays_text(client, desks, people):
    response = answer(desks["desk"], 5, comment='=HYPERLINK("http://x.example","Bấm")')
    services.comment_moderate(response=response, user=people["director"], publish=True)
    client.force_login(people["director"])
    book = load_workbook(io.BytesIO(client.get(XLSX).content))
    cell = book.active.cell(2, HEADER.index("Ý kiến (đã công khai)") + 1)
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize(("role", "codes"), [("staff", {"mot-cua"}), ("director_other", {"ccts"})])
def test_the_workbook_holds_the_desks_the_user_sees(client, desks, people, role, codes):
    answer(desks["desk"], 5)
    answer(desks["other"], 5)
    client.force_login(people[role])
    _header, *rows = rows_of(client.get(XLSX))
    assert {row[0] for row in rows} == codes


def test_no_desk_no_workbook(client, desks, people):
    client.force_login(people["staff_division"])
    assert client.get(XLSX).status_code == 404
    client.logout()
    assert client.get(XLSX).status_code == 302  # to the log-in page


@pytest.mark.parametrize("count", [4, 150])
def test_workbook_query_budget(client, desks, people, django_assert_max_num_queries, count):
    for i in range(count):
        answer(desks["desk" if i % 2 else "other"], 1 + i % 5, quarter=1 + i % 4)
    client.force_login(people["director"])
    # Session and user (2), scope (2), desks (1), questions (1), responses (1), answers (1).
    with django_assert_max_num_queries(8):
        rows = rows_of(client.get(XLSX))
    assert len(rows) == count + 1
