"""The quarterly report document (báo cáo kết quả thực hiện chỉ tiêu CCHC): the XLSX
workbook, the CSV of the status export contract, and what the printable report shows.

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
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from commitments import access, engine, selectors
from commitments.models import Commitment, Status, Unit
from commitments.templatetags import statuses as status_text

NUMBER_FORMAT = "0.00"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------


def year_has_statuses(*, year: int) -> bool:
    return Status.objects.filter(year=year).exists()


def period_statuses(*, year: int, quarter: int, scope: access.Scope) -> list[Status]:
    """Every status of one period (``quarter`` 0: the year to date) of the units
    ``scope`` sees: the departments' rows and every unit's, each with its indicator
    (and the elements whose categories it is split by), commitment and unit; one
    query."""
    statuses = scope.filter(Status.objects.filter(year=year, quarter=quarter))
    return list(
        statuses.select_related(
            "indicator__commitment", "indicator__denominator", "indicator__element", "unit"
        )
    )


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


@dataclass
class MissingUnits:
    """A coverage indicator that falls short, and the units it did not count."""

    status: Status
    units: list[str]


@dataclass
class DepartmentReport:
    """What one department (Sở) reports for a period."""

    unit: Unit
    name: str
    commitments: list[CommitmentResult]
    fields_behind: list[Status] = field(default_factory=list)
    units_behind: list[Status] = field(default_factory=list)
    units_missing: list[MissingUnits] = field(default_factory=list)


@dataclass
class Report:
    year: int
    quarter: int
    departments: list[DepartmentReport]
    # Category code -> name in the active language: the categories a per-category
    # indicator's target names ("each field ≥ 98% (Land, Investment ≥ 96%)").
    category_names: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return report_title(year=self.year, quarter=self.quarter)

    @property
    def period(self) -> str:
        return period_title(year=self.year, quarter=self.quarter)


def _ordered(statuses: Iterable[Status], categories: dict[str, str]) -> list[Status]:
    """In the order a report reads: commitment, indicator, the department before its
    units, each unit's whole before its categories (in the categories' own order); each
    row also gets ``unit_name``, ``category_name`` and ``behind`` (the names of the
    fields behind), in the active language."""
    position = {code: n for n, code in enumerate(categories, start=1)}  # "" (the whole): 0
    rows = sorted(
        statuses,
        key=lambda s: (
            s.indicator.commitment.position,
            s.indicator.commitment.code,
            s.indicator.position,
            s.indicator.code,
            s.unit.parent_id is not None,
            s.unit.code,
            position.get(s.category, 0),
            s.category,
        ),
    )
    for status in rows:
        status.unit_name = unit_name(status.unit)
        status.category_name = categories.get(status.category, status.category)
        status.behind = [categories.get(code, code) for code in status.facts.behind]
    return rows


def period_report(*, year: int, quarter: int, scope: access.Scope) -> Report:
    """The report of a quarter (or of the year to date), one part per department (per
    top unit of ``scope``):

    - each commitment in force with its indicators' results, targets and statuses;
    - the fields behind: the department's per-category rows not met or at risk;
    - the units behind: the units' own rows (the whole of an indicator) not met or at
      risk;
    - the units a coverage indicator that falls short did not count
      (``Status.facts.missing``).

    Four queries, whatever the number of units.
    """
    categories = selectors.statuses.category_names()
    commitments = commitments_in_force(year=year)
    units = {u.pk: u for u in Unit.objects.all()}
    code_to_name = {u.code: unit_name(u) for u in units.values()}

    def top(unit_id: int) -> int:
        seen = set()
        while not access.is_top_unit(units[unit_id], scope) and unit_id not in seen:
            seen.add(unit_id)
            unit_id = units[unit_id].parent_id
        return unit_id

    rows_of: dict[int, list[Status]] = defaultdict(list)
    for status in _ordered(period_statuses(year=year, quarter=quarter, scope=scope), categories):
        rows_of[top(status.unit_id)].append(status)

    departments = []
    for department_id in sorted(rows_of, key=lambda pk: units[pk].code):
        rows = rows_of[department_id]
        own = [s for s in rows if s.unit_id == department_id]
        department = DepartmentReport(
            unit=units[department_id],
            name=unit_name(units[department_id]),
            commitments=commitment_results(commitments, own),
            fields_behind=[s for s in own if s.category and s.status in engine.BEHIND],
            units_behind=[
                s
                for s in rows
                if s.unit_id != department_id and not s.category and s.status in engine.BEHIND
            ],
        )
        for status in own:
            missing = status.facts.missing
            if (
                status.indicator.kind == engine.COVERAGE
                and status.status in engine.BEHIND
                and missing
            ):
                names = [code_to_name.get(code, code) for code in missing]
                department.units_missing.append(MissingUnits(status=status, units=names))
        departments.append(department)
    return Report(year=year, quarter=quarter, departments=departments, category_names=categories)


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
NOTE_FONT = Font(italic=True, color="8A5A00")
MAX_WIDTH = 60


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
    """
    categories = selectors.statuses.category_names()
    commitments = commitments_in_force(year=year)
    rows = _ordered(period_statuses(year=year, quarter=quarter, scope=scope), categories)
    department_rows = [s for s in rows if access.is_top_unit(s.unit, scope)]

    results = commitment_results(commitments, department_rows)
    # Several departments' sheets (a superuser's workbook): each sheet says whose.
    several = len({r.commitment.sheet_id for r in results}) > 1
    book = Workbook()
    _summary_sheet(book.active, results, several=several)
    if stale_note:
        # Below the table, outside its filter: a blank row, then the note.
        book.active.append([])
        book.active.append([stale_note])
        book.active.cell(book.active.max_row, 1).font = NOTE_FONT
    rows_of: dict[int, list[Status]] = defaultdict(list)
    for status in rows:
        rows_of[status.indicator.commitment_id].append(status)
    for result in results:
        commitment = result.commitment
        title = _("Cam kết %(code)s") % {"code": commitment.code}
        if several:
            title = f"{_sheet_owner(commitment)} · {title}"[:31]  # Excel's longest name
        _commitment_sheet(book.create_sheet(title), rows_of.get(commitment.pk, []), categories)

    book.properties.title = report_title(year=year, quarter=quarter)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_owner(commitment: Commitment) -> str:
    """Whose a commitment is: its department's code, or the common sheet's word."""
    department = commitment.sheet.department
    return department.code if department is not None else _("chung")


def _summary_sheet(summary: Worksheet, results: list[CommitmentResult], *, several: bool) -> None:
    """Sheet "Tổng hợp": each commitment, its overall status and its counts; whose it
    is first when the workbook holds several departments' sheets."""
    summary.title = _("Tổng hợp")
    _header(
        summary,
        [_("Cam kết"), _("Trạng thái chung"), _("Đạt"), _("Không đạt"), _("Có nguy cơ không đạt")],
    )
    for result in results:
        c = result.commitment
        counts = [_cell(summary, n, "0") for n in (result.met, result.not_met, result.at_risk)]
        named = f"{c.code}. {c.name}"
        if several:
            named = f"{_sheet_owner(c)} · {named}"
        _append(summary, [named, result.status_label, *counts])
    _finish(summary)


def _commitment_sheet(sheet: Worksheet, statuses: list[Status], categories: dict[str, str]) -> None:
    """A commitment's sheet: every status row of the period with its numbers. The
    target of the whole of an indicator judged in each category is its text, as
    signed ("each field ≥ 98% (Land, Investment ≥ 96%)"): no single number is the
    target its status was judged against."""
    _header(
        sheet,
        [
            _("Mã chỉ tiêu"),
            _("Chỉ tiêu"),
            _("Đơn vị"),
            _("Phân loại"),
            _("Kết quả"),
            _("Mục tiêu"),
            _("Trạng thái"),
        ],
    )
    for s in statuses:
        sign = status_text.comparator_sign(s.comparator)
        _append(
            sheet,
            [
                s.indicator.code,
                s.indicator.name,
                s.unit_name,
                s.category_name if s.category else "",
                _cell(sheet, selectors.statuses.export_number(s.value), NUMBER_FORMAT),
                status_text.status_target(s, categories)
                if status_text.is_per_category_whole(s)
                else _cell(
                    sheet,
                    selectors.statuses.export_number(s.target),
                    f'"{sign} "{NUMBER_FORMAT}' if sign else NUMBER_FORMAT,
                ),
                _status_text(s),
            ],
        )
    _finish(sheet)


def _status_text(status: Status) -> str:
    """The status in words, with the quarters that failed for the year of an
    indicator judged by quarter."""
    label = status_text.status_label(status.status)
    why = status_text.quarters_behind(status)
    return f"{label} — {why}" if why else label


# A text that a spreadsheet would read as a formula (CSV/formula injection): a unit
# named '=HYPERLINK("http://…"&A1,"Click")' must stay that text, never run.
FORMULA_STARTS = ("=", "+", "-", "@")


def _append(sheet: Worksheet, values: list) -> None:
    """Append a row, every text written as text even when it starts like a formula.
    Built from cells, not read back through ``sheet.max_row`` (which openpyxl
    computes over every cell, making a long export quadratic)."""
    sheet.append([value if isinstance(value, Cell) else _cell(sheet, value) for value in values])


def _cell(sheet: Worksheet, value, number_format: str | None = None) -> Cell:
    cell = Cell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def _header(sheet: Worksheet, titles: list[str]) -> None:
    _append(sheet, titles)
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def _finish(sheet: Worksheet) -> None:
    """Freeze the header row, filter on it, and size each column to what it holds."""
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column in sheet.iter_cols():
        longest = max(len(_shown(cell.value)) for cell in column)
        width = min(max(longest + 2, 8), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(column[0].column)].width = width
        if longest + 2 > MAX_WIDTH:
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # The widest a number reads: a comparator and 2 places.
        return f"{status_text.comparator_sign(engine.GE)} {value:.2f}"
    return str(value)


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def status_csv(*, year: int, scope: access.Scope) -> str:
    """The statuses of a year (of the units ``scope`` sees) in exactly the columns of
    the status export contract (``selectors.statuses.EXPORT_COLUMNS``), empty for ``null``,
    behind a UTF-8 byte order mark so that Excel reads the file as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=selectors.statuses.EXPORT_COLUMNS)
    writer.writeheader()
    for row in selectors.statuses.status_export_rows(year=year, scope=scope):
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return out.getvalue()
