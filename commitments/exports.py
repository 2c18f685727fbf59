"""The quarterly report document (báo cáo kết quả thực hiện chỉ tiêu CCHC): the XLSX
workbook, the CSV of the status export contract, and the words and commitments'
summaries they share with the printable report (``print_report``).

Everything reads the statuses the recompute stored; nothing is computed again here
except the summary of a commitment (``engine.overall_status``). Reads go
through ``selectors`` where one exists; the few only the report needs are below, each
one query whatever the number of units.

Every document takes the user's ``access.Scope`` and holds the statuses of the units
it sees only; where the report speaks of the department it speaks of the top units the
user sees (``access.is_top_unit``: for a superuser, the departments).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Case, F, When
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from commitments import access, engine, selectors
from commitments.models import Commitment, Indicator, Status, Unit
from commitments.templatetags import statuses as status_text

NUMBER_FORMAT = "0.00"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------


def year_has_statuses(*, year: int) -> bool:
    return Status.objects.filter(year=year).exists()


def commitments_in_force(*, year: int) -> list[Commitment]:
    """The commitments (cam kết) with an indicator that has a target in ``year``, each
    sheet's in their order (the departments' by code, then the common sheet's); the
    report names each, even one with nothing judged in a quarter."""
    return list(
        Commitment.objects.filter(indicators__targets__year=year)
        .distinct()
        .select_related("sheet__department")
        .order_by(F("sheet__department__code").asc(nulls_last=True), "position", "code")
    )


# ---------------------------------------------------------------------------
# Words and numbers
# ---------------------------------------------------------------------------


def unit_name(unit: Unit) -> str:
    """A unit's name in the active language (its Vietnamese name when no English)."""
    return unit.label


def status_label(status: str | None) -> str:
    """ "Đạt", "Không đạt"…; ``None`` is a commitment with no row in the period."""
    if status is None:
        return _("Không đánh giá trong kỳ này")
    return status_text.status_label(status)


def period_title(*, year: int, quarter: int) -> str:
    """ "quý 2 năm 2021", or "năm 2021 (lũy kế)" for the year to date."""
    if quarter == engine.YEAR:
        return _("năm %(year)s (lũy kế)") % {"year": year}
    return _("quý %(quarter)s năm %(year)s") % {"quarter": quarter, "year": year}


def report_title(*, year: int, quarter: int) -> str:
    return _("Báo cáo kết quả thực hiện chỉ tiêu cải cách hành chính %(period)s") % {
        "period": period_title(year=year, quarter=quarter)
    }


# ---------------------------------------------------------------------------
# The report: commitments, then the units and fields behind
# ---------------------------------------------------------------------------


@dataclass
class CommitmentResult:
    """One commitment in a period: its rows, its overall status and the counts of its
    indicators (the wholes; the categories of a per-field indicator are its parts)."""

    commitment: Commitment
    rows: list[Status]
    status: str | None
    met: int = 0
    not_met: int = 0
    at_risk: int = 0

    @property
    def status_label(self) -> str:
        return status_label(self.status)


def commitment_results(
    commitments: list[Commitment], statuses: Iterable[Status]
) -> list[CommitmentResult]:
    """Every commitment with the given (department) rows that belong to it: those of
    the sheets the rows are judged on (another department's sheet is not theirs)."""
    rows_of: dict[int, list[Status]] = defaultdict(list)
    sheets = set()
    for status in statuses:
        rows_of[status.indicator.commitment_id].append(status)
        sheets.add(status.indicator.sheet_id)
    results = []
    for commitment in commitments:
        if sheets and commitment.sheet_id not in sheets:
            continue
        rows = rows_of.get(commitment.pk, [])
        wholes = Counter(s.status for s in rows if not s.category)
        results.append(
            CommitmentResult(
                commitment=commitment,
                rows=rows,
                status=engine.overall_status(wholes.elements()),
                met=wholes[engine.MET],
                not_met=wholes[engine.NOT_MET],
                at_risk=wholes[engine.AT_RISK],
            )
        )
    return results


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")
NOTE_FONT = Font(italic=True, color="8A5A00")
MAX_WIDTH = 60
# Unit names are read row by row, after the columns are laid out: a long one wraps.
UNIT_WIDTH = 40
# The widest a number reads: a comparator and 2 places ("≥ 100.00").
NUMBER_WIDTH = 12
CHUNK = 2000  # status rows fetched at a time


def workbook(*, year: int, quarter: int, scope: access.Scope, stale_note: str = "") -> bytes:
    """The report of a period as an XLSX workbook, in the active language.

    Sheet "Tổng hợp": each commitment, its overall status (the worst of its judged
    indicators at the department level) and how many of its indicators are met, not
    met or at risk. Then a sheet per commitment ("Cam kết 1" …): every status row of
    the period, the department's and each unit's, with the indicator, unit, category,
    value, target and status. Only the units ``scope`` sees; its top units stand for
    the department. Values and thresholds are numbers (format 0.00); the
    comparator shows through the target's number format ("≥ 96.00"), so the cell
    still holds 96. The whole of an indicator judged in each category has its target
    in words instead ("each field ≥ 98% (Land, Investment ≥ 96%)"). When the statuses
    may be behind the figures, ``stale_note`` says so below the summary
    (``templatetags.recompute.stale_note``).

    Written in openpyxl's write-only mode from one query read in chunks: memory stays
    flat whatever the number of units (the whole country's year is a few hundred
    thousand rows), and the columns are sized from what is known before the rows come
    (the indicators' names, the categories, the statuses' words).
    """
    categories = selectors.statuses.category_names()
    indicators = selectors.statuses.report_indicators(year=year, quarter=quarter, scope=scope)
    commitments = _in_order(indicators)
    # Several departments' sheets (a superuser's workbook): each sheet says whose.
    several = len({c.sheet_id for c in commitments}) > 1
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Tổng hợp"))  # first, filled last
    department_rows: list[Status] = []
    sheets = _commitment_sheets(book, commitments, indicators, categories, several=several)
    counts = Counter()
    rows = _streamed(
        year=year, quarter=quarter, scope=scope, indicators=indicators, categories=categories
    )
    labels = {value: str(label) for value, label in Status.Value.choices}
    for status in rows:
        sheet = sheets.get(status.indicator.commitment_id)
        if sheet is None:  # left from a target since removed: no commitment in force
            continue
        if access.is_top_unit(status.unit, scope):
            department_rows.append(status)
        _commitment_row(sheet, status, categories, labels)
        counts[status.indicator.commitment_id] += 1
    for commitment in commitments:
        _close_filter(sheets[commitment.pk], columns=7, rows=counts[commitment.pk] + 1)
    _summary_sheet(summary, commitment_results(commitments, department_rows), several=several)
    if stale_note:
        # Below the table, outside its filter: a blank row, then the note.
        summary.append([])
        note = _cell(summary, stale_note)
        note.font = NOTE_FONT
        summary.append([note])
    book.properties.title = report_title(year=year, quarter=quarter)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _commitment_sheets(
    book: Workbook, commitments, indicators, categories, *, several: bool
) -> dict[int, Worksheet]:
    """Each commitment's sheet with its header (``several``: named with whose it is)."""
    sheets = {}
    for commitment in commitments:
        title = _("Cam kết %(code)s") % {"code": commitment.code}
        if several:
            title = f"{_sheet_owner(commitment)} · {title}"[:31]  # Excel's longest name
        sheet = book.create_sheet(title)
        names = [i.name for i in indicators if i.commitment_id == commitment.pk]
        _commitment_header(sheet, names, categories)
        sheets[commitment.pk] = sheet
    return sheets


def _in_order(indicators: list[Indicator]) -> list[Commitment]:
    """The indicators' commitments: the departments' sheets by code, then the common
    sheet's, each in its order."""
    commitments = {i.commitment_id: i.commitment for i in indicators}.values()
    # "\uffff" sorts after every code: the common sheet last.
    return sorted(commitments, key=lambda c: (_sheet_owner(c, common="\uffff"), c.position, c.code))


def _sheet_owner(commitment: Commitment, common: str = "") -> str:
    """Whose a commitment is: its department's code, or the common sheet's word."""
    department = commitment.sheet.department
    return department.code if department is not None else common or _("chung")


def _streamed(
    *,
    year: int,
    quarter: int,
    scope: access.Scope,
    indicators: list[Indicator],
    categories: dict[str, str],
) -> Iterator[Status]:
    """The statuses of one period of the units ``scope`` sees, in the order a report
    reads (``_ordered``), read in chunks of ``CHUNK`` rows: the database sorts by
    commitment, indicator, the department before its units, and unit; the categories
    of one indicator and unit (a handful) are put in their own order here. Each row
    carries its unit; its indicator is the one of ``indicators``, read once."""
    statuses = scope.filter(Status.objects.filter(year=year, quarter=quarter))
    statuses = (
        statuses.select_related("unit")
        .annotate(below=Case(When(unit__parent__isnull=True, then=0), default=1))
        .order_by(
            "indicator__commitment__position",
            "indicator__commitment__code",
            "indicator__position",
            "indicator__code",
            "below",
            "unit__code",
            "category",
        )
    )
    by_id = {indicator.pk: indicator for indicator in indicators}
    position = {code: n for n, code in enumerate(categories, start=1)}  # "" (the whole): 0
    group: list[Status] = []
    for status in statuses.iterator(chunk_size=CHUNK):
        if group and (status.indicator_id, status.unit_id) != (
            group[0].indicator_id,
            group[0].unit_id,
        ):
            yield from _group_ordered(group, position, categories)
            group = []
        if status.indicator_id in by_id:
            status.indicator = by_id[status.indicator_id]
            group.append(status)
    yield from _group_ordered(group, position, categories)


def _group_ordered(
    group: list[Status], position: dict[str, int], categories: dict[str, str]
) -> list[Status]:
    """The rows of one indicator and unit, its whole before its categories in their
    order, named as ``_ordered`` names them."""
    group.sort(key=lambda s: (position.get(s.category, 0), s.category))
    for status in group:
        status.unit_name = unit_name(status.unit)
        status.category_name = categories.get(status.category, status.category)
    return group


def _summary_sheet(
    summary: Worksheet, results: list[CommitmentResult], *, several: bool = False
) -> None:
    """Sheet "Tổng hợp": each commitment, its overall status and its counts; whose it
    is first when the workbook holds several departments' sheets."""
    titles = [
        _("Cam kết"),
        _("Trạng thái chung"),
        _("Đạt"),
        _("Không đạt"),
        _("Có nguy cơ không đạt"),
    ]
    names = [f"{r.commitment.code}. {r.commitment.name}" for r in results]
    if several:
        names = [f"{_sheet_owner(r.commitment)} · {n}" for r, n in zip(results, names, strict=True)]
    labels = [r.status_label for r in results]
    widths = [_width([titles[0], *names]), _width([titles[1], *labels])]
    _header(summary, titles, [*widths, *(_width([t]) for t in titles[2:])])
    for name, result in zip(names, results, strict=True):
        counts = [_cell(summary, n, "0") for n in (result.met, result.not_met, result.at_risk)]
        _append(
            summary,
            [_cell(summary, name, wrap=len(name) + 2 > MAX_WIDTH), result.status_label, *counts],
        )
    _close_filter(summary, columns=len(titles), rows=len(results) + 1)


def _commitment_header(sheet: Worksheet, names: list[str], categories: dict[str, str]) -> None:
    """A commitment's sheet, before its rows: the header, the columns' widths, the
    frozen first row."""
    titles = [
        _("Mã chỉ tiêu"),
        _("Chỉ tiêu"),
        _("Đơn vị"),
        _("Phân loại"),
        _("Kết quả"),
        _("Mục tiêu"),
        _("Trạng thái"),
    ]
    status_words = [str(label) for _value, label in Status.Value.choices]
    widths = [
        _width([titles[0], "00.00"]),
        _width([titles[1], *names]),
        max(_width([titles[2]]), UNIT_WIDTH),
        _width([titles[3], *categories.values()]),
        max(_width([titles[4]]), NUMBER_WIDTH),
        max(_width([titles[5]]), NUMBER_WIDTH),
        _width([titles[6], *status_words]),
    ]
    _header(sheet, titles, widths)


def _commitment_row(
    sheet: Worksheet, s: Status, categories: dict[str, str], labels: dict[str, str]
) -> None:
    """One status row of a commitment's sheet. The target of the whole of an
    indicator judged in each category is its text, as signed ("each field ≥ 98%
    (Land, Investment ≥ 96%)"): no single number is the target its status was judged
    against. A text wider than its column wraps. ``labels``: the statuses' words."""
    sign = status_text.comparator_sign(s.comparator)
    if status_text.is_per_category_whole(s):
        target = status_text.status_target(s, categories)
    else:
        target = _cell(
            sheet,
            selectors.statuses.export_number(s.target),
            f'"{sign} "{NUMBER_FORMAT}' if sign else NUMBER_FORMAT,
        )
    why = status_text.quarters_behind(s) if s.quarter == engine.YEAR else ""
    label = labels.get(s.status, s.status)
    _append(
        sheet,
        [
            s.indicator.code,
            _wrapped(sheet, s.indicator.name, MAX_WIDTH),
            _wrapped(sheet, s.unit_name, UNIT_WIDTH),
            _wrapped(sheet, s.category_name if s.category else "", MAX_WIDTH),
            _cell(sheet, selectors.statuses.export_number(s.value), NUMBER_FORMAT),
            target,
            _wrapped(sheet, f"{label} — {why}" if why else label, MAX_WIDTH),
        ],
    )


def _wrapped(sheet: Worksheet, text: str, width: int) -> str | Cell:
    """A text as it is, or a cell that wraps it when it is wider than its column."""
    return _cell(sheet, text, wrap=True) if len(text) > width - 2 else text


# A text that a spreadsheet would read as a formula (CSV/formula injection): a unit
# named '=HYPERLINK("http://…"&A1,"Click")' must stay that text, never run.
FORMULA_STARTS = ("=", "+", "-", "@")


def _append(sheet: Worksheet, values: list) -> None:
    """Append a row, every text written as text even when it starts like a formula.
    Built from cells, never read back (``sheet.max_row`` would be computed over every
    cell, and a write-only sheet cannot be read)."""
    sheet.append(
        [
            _cell(sheet, value)
            if isinstance(value, str) and value.startswith(FORMULA_STARTS)
            else value
            for value in values
        ]
    )


def _cell(sheet: Worksheet, value, number_format: str | None = None, *, wrap: bool = False) -> Cell:
    cell = Cell(sheet, row=1, column=1, value=value)  # placed by append
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if wrap:
        cell.alignment = WRAPPED
    return cell


def _header(sheet: Worksheet, titles: list[str], widths: list[int]) -> None:
    """The first row, bold on a fill, frozen; the columns' widths (set before any row:
    a write-only sheet writes them first)."""
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    cells = []
    for title in titles:
        cell = _cell(sheet, title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        cells.append(cell)
    _append(sheet, cells)


def _close_filter(sheet: Worksheet, *, columns: int, rows: int) -> None:
    """A filter on the header over the table's rows (written when the sheet closes)."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows}"


def _width(texts: Iterable[object]) -> int:
    """A column wide enough for the longest of ``texts``, within 8 and ``MAX_WIDTH``."""
    longest = max((len(str(text)) for text in texts), default=0)
    return min(max(longest + 2, 8), MAX_WIDTH)


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def status_csv(*, year: int, scope: access.Scope, rows_per_chunk: int = 500) -> Iterator[str]:
    """The statuses of a year (of the units ``scope`` sees) in exactly the columns of
    the status export contract (``selectors.statuses.EXPORT_COLUMNS``), empty for ``null``,
    behind a UTF-8 byte order mark so that Excel reads the file as UTF-8. Yielded a few
    hundred lines at a time, as the database gives them: a streamed response."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=selectors.statuses.EXPORT_COLUMNS)
    writer.writeheader()
    for n, row in enumerate(
        selectors.statuses.status_export_stream(year=year, scope=scope), start=1
    ):
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
        if n % rows_per_chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
