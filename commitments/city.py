"""The city view (toàn thành phố) as its page reads it: every department's sheet of a
year side by side, for the office that coordinates reform across the departments (in
Ho Chi Minh City, the Department of Home Affairs, Sở Nội vụ).

Departments sign different sheets, so a department's row holds its own commitments,
numbered as signed, each with its status in the period. The rows are ranked worst
first by the shares of their commitments not met, at risk and met (shares, not counts:
sheets hold different numbers of commitments). The indicators whose definition several
departments share ("dossiers on time in each field", "satisfaction") are compared side
by side, each department judged against its own sheet's target. Works on what
``selectors.city.city_reading`` read: no query here.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments import engine
from commitments.models import Commitment, Indicator, IndicatorDefinition, Sheet, Status, Unit
from commitments.selectors.city import CityReading
from commitments.templatetags.statuses import status_label, status_target, status_value

# A commitment none of whose indicators is judged in the period (a quarter, for a
# commitment judged on the year), or judged only without data or tracked.
UNJUDGED = "unjudged"
# What each count of a department's row says, in the row's order.
COUNTS = (
    (engine.MET, gettext_lazy("Đạt")),
    (engine.AT_RISK, gettext_lazy("Có nguy cơ")),
    (engine.NOT_MET, gettext_lazy("Không đạt")),
    (UNJUDGED, gettext_lazy("Chưa đánh giá")),
)

# What a commitment's cell may say, as the legend explains it (the icon of each is the
# stylesheet's, the colour the badge's).
LEGEND = (
    (engine.MET, gettext_lazy("Đạt")),
    (engine.AT_RISK, gettext_lazy("Có nguy cơ không đạt: kỳ chưa kết thúc")),
    (engine.NOT_MET, gettext_lazy("Không đạt")),
    (engine.NO_DATA, gettext_lazy("Chưa có số liệu")),
    (engine.TRACKED, gettext_lazy("Theo dõi, không đánh giá")),
    (UNJUDGED, gettext_lazy("Không đánh giá trong kỳ này (cam kết đánh giá theo năm)")),
)


def _row_line(row: Status, category_names: Mapping[str, str]) -> str:
    """An indicator's row in a line of a title: "5.1 Đúng hạn từng lĩnh vực: 95,50%
    (mục tiêu từng lĩnh vực ≥ 98%) — Không đạt"."""
    values = {
        "code": row.indicator.code,
        "name": row.indicator.short_name,
        "value": status_value(row),
        "status": status_label(row.status),
    }
    if row.target is None:
        return _("%(code)s %(name)s: %(value)s — %(status)s") % values
    values["target"] = status_target(row, category_names)
    return _("%(code)s %(name)s: %(value)s (mục tiêu %(target)s) — %(status)s") % values


@dataclass(frozen=True)
class CommitmentCell:
    """A commitment of a department's sheet in the period: its status (the worst of
    its indicators' rows, ``engine.overall_status``; "" when none of them is judged in
    the period) and those rows, with the words its title shows."""

    commitment: Commitment
    status: str
    rows: tuple[Status, ...]
    short_name: str  # its indicators' short names, the words of the sheet
    lines: tuple[str, ...]  # each row, for the title

    @property
    def counted(self) -> str:
        """The count it falls in: met, at risk, not met, or not judged."""
        return self.status if self.status in engine.JUDGED else UNJUDGED

    @property
    def label(self) -> str:
        return status_label(self.status) if self.status else _("Chưa đánh giá trong kỳ này")

    @property
    def differs(self) -> bool:
        """Some row of it is provisional and not the official one."""
        return any(row.differs for row in self.rows)

    @property
    def title(self) -> str:
        """What hovering the cell says: the commitment, its status and each row."""
        head = _("Cam kết %(code)s. %(name)s: %(status)s") % {
            "code": self.commitment.code,
            "name": self.short_name,
            "status": self.label,
        }
        return "\n".join((head, *self.lines))


@dataclass(frozen=True)
class SharedColumn:
    """A definition that the sheets of several departments use, compared across them."""

    definition: IndicatorDefinition
    label: str  # the short name most of its indicators go by
    departments: int


@dataclass(frozen=True)
class SharedCell:
    """A department's indicator of a shared definition and its row of the period."""

    indicator: Indicator | None  # None: its sheet does not use the definition
    row: Status | None
    line: str = ""

    @property
    def status(self) -> str:
        return self.row.status if self.row is not None else ""

    @property
    def value(self):
        return self.row.value if self.row is not None else None


@dataclass
class DepartmentRow:
    """A department's row: its sheet's commitments in the period, the counts, its
    place in the ranking, and its cells of the shared definitions."""

    department: Unit
    sheet: Sheet
    cells: list[CommitmentCell]
    shared: list[SharedCell] = field(default_factory=list)
    rank: int = 0

    @property
    def differs(self) -> bool:
        """Some commitment of it reads a provisional value that is not the official one."""
        return any(cell.differs for cell in self.cells)

    def count(self, status: str) -> int:
        return sum(1 for cell in self.cells if cell.counted == status)

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(status, self.count(status)) for status, _label in COUNTS]

    @property
    def met_share(self) -> Fraction | None:
        """The share of its commitments met (None for a sheet without any)."""
        return Fraction(self.count(engine.MET), len(self.cells)) if self.cells else None

    @property
    def met_percent(self) -> int | None:
        """The share met in whole percent, rounded half up (1 of 8: 13%)."""
        share = self.met_share
        return None if share is None else math.floor(share * 100 + Fraction(1, 2))

    def rank_key(self) -> tuple:
        """Worst first: the largest share not met, then at risk, then the smallest
        share met; a sheet without commitments last."""
        total = len(self.cells)
        if not total:
            return (1, self.department.code)
        return (
            0,
            -Fraction(self.count(engine.NOT_MET), total),
            -Fraction(self.count(engine.AT_RISK), total),
            Fraction(self.count(engine.MET), total),
            self.department.code,
        )


def city_table(
    reading: CityReading, *, category_names: Mapping[str, str]
) -> tuple[list[DepartmentRow], list[SharedColumn]]:
    """The departments' rows, ranked worst first and numbered, and the columns of the
    definitions their sheets share (in the definitions' order), each row holding its
    cell of every column."""
    own: dict[int, dict[int, Status]] = {}  # by department, its sheet's rows by indicator
    for row in reading.statuses:
        own.setdefault(row.unit_id, {})[row.indicator_id] = row
    rows = []
    for department, sheet in reading.sheets.items():
        found = {
            pk: row
            for pk, row in own.get(department.pk, {}).items()
            if row.indicator.sheet_id == sheet.pk
        }
        cells = _commitment_cells(
            reading.commitments.get(sheet.pk, []),
            reading.indicators.get(sheet.pk, []),
            found,
            category_names,
        )
        rows.append(DepartmentRow(department, sheet, cells))
    rows.sort(key=DepartmentRow.rank_key)
    for place, row in enumerate(rows, start=1):
        row.rank = place
    columns = _shared_columns(rows, reading.indicators, own, category_names)
    return rows, columns


def _commitment_cells(
    commitments: list[Commitment],
    indicators: list[Indicator],
    rows: Mapping[int, Status],
    category_names: Mapping[str, str],
) -> list[CommitmentCell]:
    cells = []
    for commitment in commitments:
        its = [i for i in indicators if i.commitment_id == commitment.pk]
        judged = tuple(rows[i.pk] for i in its if i.pk in rows)
        cells.append(
            CommitmentCell(
                commitment=commitment,
                status=engine.overall_status(row.status for row in judged) or "",
                rows=judged,
                short_name=", ".join(i.short_name for i in its) or commitment.name,
                lines=tuple(_row_line(row, category_names) for row in judged),
            )
        )
    return cells


def _shared_columns(
    rows: list[DepartmentRow],
    indicators: Mapping[int, list[Indicator]],
    own: Mapping[int, Mapping[int, Status]],
    category_names: Mapping[str, str],
) -> list[SharedColumn]:
    """The definitions that two departments or more use (through the sheet that
    applies to each) and that some department has a row of in the period (a quarter
    leaves out those judged on the year), and each row's cell of them: its sheet's
    first indicator of the definition with the department's row of the period."""
    used: list[dict[int, Indicator]] = []  # per row: definition id -> its indicator
    for row in rows:
        first: dict[int, Indicator] = {}
        for indicator in indicators.get(row.sheet.pk, []):
            first.setdefault(indicator.version.definition_id, indicator)
        used.append(first)
    departments = Counter(pk for first in used for pk in first)
    judged = {
        indicator.version.definition_id
        for row, first in zip(rows, used, strict=True)
        for indicator in first.values()
        if indicator.pk in own.get(row.department.pk, {})
    }
    definitions = {
        indicator.version.definition_id: indicator.version.definition
        for first in used
        for indicator in first.values()
    }
    shared = sorted(
        (definitions[pk] for pk, count in departments.items() if count > 1 and pk in judged),
        key=lambda d: (d.position, d.code),
    )
    columns = []
    for definition in shared:
        names = Counter(first[definition.pk].short_name for first in used if definition.pk in first)
        columns.append(
            SharedColumn(definition, names.most_common(1)[0][0], departments[definition.pk])
        )
    for row, first in zip(rows, used, strict=True):
        row.shared = [
            _shared_cell(first.get(c.definition.pk), own.get(row.department.pk, {}), category_names)
            for c in columns
        ]
    return columns


def _shared_cell(
    indicator: Indicator | None, rows: Mapping[int, Status], category_names: Mapping[str, str]
) -> SharedCell:
    if indicator is None:
        return SharedCell(None, None)
    row = rows.get(indicator.pk)
    line = _row_line(row, category_names) if row is not None else ""
    return SharedCell(indicator, row, line)


def sort_rows(rows: list[DepartmentRow], columns: list[SharedColumn], sort: str) -> list:
    """The rows in their ranking, or by the shared definition ``sort`` names when it is
    a column: worst status first (not met, at risk, met, then the rest), then the
    lowest value, then the ranking."""
    codes = [column.definition.code for column in columns]
    if sort not in codes:
        return rows
    index = codes.index(sort)
    return sorted(
        rows,
        key=lambda r: (
            engine.SEVERITY.get(r.shared[index].status, len(engine.SEVERITY)),
            r.shared[index].value is None,
            r.shared[index].value or 0,
            r.rank,
        ),
    )
