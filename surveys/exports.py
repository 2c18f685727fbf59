"""The XLSX of a year's survey responses: one row per response, without personal data.

A row holds the desk, the quarter, the channel, when it was given (local time), each
question's score, the overall answer, whether it is satisfied, the comment only when
it was published, and whether it was voided and why. Never the keyed hash of the
sender's address, the form's token, the dossier code or who typed a paper form: the
channel says "paper" and no more.

The workbook is written as it is read (openpyxl's write-only mode), the responses and
their answers streamed side by side in the same order: its time and memory grow with
the responses, and it costs the same few queries whatever their number.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from commitments.exports import FORMULA_STARTS, HEADER_FILL, HEADER_FONT
from commitments.models import Unit
from surveys.models import Answer, Question, Response

DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
CHUNK = 2000
VOIDED_FONT = Font(color="8A8A8A")
VOIDED_FILL = PatternFill("solid", fgColor="F2F2F2")
# Columns before the questions' scores, and their widths.
LEAD_WIDTHS = (14, 36, 7, 6, 14, 17)


def year_questions(*, year: int) -> list[Question]:
    """The questions of every version of a year's questionnaire, one per code, in the
    order of the versions and of their questions; one query."""
    seen: dict[str, Question] = {}
    for question in Question.objects.filter(questionnaire__year=year).order_by(
        "questionnaire__version", "position", "pk"
    ):
        seen.setdefault(question.code, question)
    return list(seen.values())


# The same order for the responses and their answers, so that both stream together.
ORDER = ("unit__code", "quarter", "submitted_at", "pk")


def _responses(year: int, units: Iterable[Unit]) -> Iterator[Response]:
    rows = (
        Response.objects.filter(year=year, unit__in=list(units))
        .select_related("unit")
        .only(
            "year",
            "quarter",
            "channel",
            "submitted_at",
            "overall",
            "satisfied",
            "comment",
            "comment_state",
            "voided_at",
            "void_reason",
            "unit__code",
            "unit__name",
            "unit__name_en",
        )
        .order_by(*ORDER)
    )
    return rows.iterator(chunk_size=CHUNK)


def _answers(year: int, units: Iterable[Unit]) -> Iterator[tuple[int, str, int]]:
    """(response id, question code, score) of the same responses, in their order."""
    rows = (
        Answer.objects.filter(response__year=year, response__unit__in=list(units))
        .order_by(*(f"response__{field}" for field in ORDER))
        .values_list("response_id", "question__code", "score")
    )
    return rows.iterator(chunk_size=CHUNK * 8)


def _scores_of(responses: Iterator[Response], answers: Iterator[tuple[int, str, int]]):
    """Each response with its scores by question code, read from both streams at once
    (a merge: both are in the same order)."""
    pending = next(answers, None)
    for response in responses:
        scores = {}
        while pending is not None and pending[0] == response.pk:
            scores[pending[1]] = pending[2]
            pending = next(answers, None)
        yield response, scores


def responses_workbook(*, year: int, units: list[Unit]) -> bytes:
    """Every response of ``year`` at the desks ``units`` as an XLSX workbook, in the
    active language, one row per response (see the module's docstring)."""
    questions = year_questions(year=year)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Phiếu trả lời"))
    _columns(sheet, len(questions))
    sheet.append(_header(sheet, questions))
    sheet.freeze_panes = "A2"
    channels = dict(Response.Channel.choices)
    for response, scores in _scores_of(_responses(year, units), _answers(year, units)):
        sheet.append(_row(sheet, response, scores, questions, channels))
    book.properties.title = _("Phiếu khảo sát sự hài lòng năm %(year)s") % {"year": year}
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _columns(sheet: Worksheet, questions: int) -> None:
    """Column widths (a write-only sheet takes them before its rows)."""
    widths = [*LEAD_WIDTHS, *([12] * questions), 12, 10, 48, 9, 36]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _header(sheet: Worksheet, questions: list[Question]) -> list[Cell]:
    titles = [
        _("Mã bộ phận"),
        _("Bộ phận tiếp nhận"),
        _("Năm"),
        _("Quý"),
        _("Kênh"),
        _("Gửi lúc"),
        *(question.label for question in questions),
        _("Đánh giá chung"),
        _("Hài lòng"),
        _("Ý kiến (đã công khai)"),
        _("Đã hủy"),
        _("Lý do hủy"),
    ]
    cells = [_cell(sheet, title) for title in titles]
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    return cells


def _row(
    sheet: Worksheet,
    response: Response,
    scores: dict[str, int],
    questions: list[Question],
    channels: dict[str, str],
) -> list[Cell]:
    voided = response.voided_at is not None
    values = [
        response.unit.code,
        response.unit.label,
        response.year,
        response.quarter,
        str(channels.get(response.channel, response.channel)),
        _local(response.submitted_at),
        *(scores.get(question.code) for question in questions),
        response.overall,
        _("Có") if response.satisfied else _("Không"),
        response.comment if response.comment_state == Response.Comment.PUBLISHED else "",
        _("Có") if voided else "",
        response.void_reason if voided else "",
    ]
    cells = [_cell(sheet, value) for value in values]
    cells[5].number_format = DATETIME_FORMAT
    if voided:
        for cell in cells:
            cell.font = VOIDED_FONT
            cell.fill = VOIDED_FILL
    return cells


def _local(moment: dt.datetime) -> dt.datetime:
    """A moment as the desk's clock read it, without a zone (what a sheet holds)."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _cell(sheet: Worksheet, value) -> Cell:
    """A cell; a text that a spreadsheet would read as a formula stays text."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    return cell
