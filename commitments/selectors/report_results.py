"""What a quarterly report's page shows beside its figures (xem xét báo cáo): the unit's
results for the quarter computed with the report's figures, against their targets and
the quarter before; what approving it would change in the statuses of the top unit the
reader sees (the department, for its director); and the figures far from the unit's own
history. Staff read the same before they submit.

Computed by the pure engine (``engine.review``) on what the recompute reads
(``engine_inputs``), the report's figures counted as official; nothing is stored. Two
queries besides the catalogue the page reads, whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from commitments import access, engine
from commitments.models import Indicator, QuarterlyReport, Unit
from commitments.selectors import engine_inputs
from commitments.selectors.reports import ReportCatalogue
from commitments.selectors.targets import PreviewCell, preview_cell

# A figure's key on the report: (element code, category code or None).
FigureKey = tuple[str, str | None]


@dataclass(frozen=True)
class OwnResult:
    """One of the unit's results for the quarter, with this report's figures: the whole
    of an indicator or one of its categories, and the change on the quarter before.
    ``for_department``: an indicator judged for the department as a whole, read here on
    the unit's own figures for comparison."""

    cell: PreviewCell
    category_name: str
    change: Decimal | None
    for_department: bool


@dataclass(frozen=True)
class StatusChange:
    """A status of the top unit, now and once the report is approved, for the quarter
    and for the year to date (None where the indicator is not judged on that period)."""

    indicator: Indicator
    category: str
    category_name: str
    quarter_now: PreviewCell | None
    quarter_then: PreviewCell | None
    year_now: PreviewCell | None
    year_then: PreviewCell | None

    quarter: int = 0  # the report's quarter

    @property
    def changed(self) -> bool:
        """Approving the report changes one of its statuses."""
        return bool(self.transitions)

    @property
    def transitions(self) -> list[tuple[int, PreviewCell, PreviewCell]]:
        """The periods whose status approving changes (the quarter, then 0 for the
        year), with the row now and once approved."""
        return [
            (quarter, now, then)
            for quarter, now, then in (
                (self.quarter, self.quarter_now, self.quarter_then),
                (engine.YEAR, self.year_now, self.year_then),
            )
            if now is not None
            and then is not None
            and now.status != then.status
            and (now.status in engine.JUDGED or then.status in engine.JUDGED)
        ]


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator whose statuses approving changes: its rows that change (the whole,
    then its categories)."""

    indicator: Indicator
    rows: list[StatusChange]


@dataclass(frozen=True)
class ReportReview:
    """Everything the report's page shows of its results (see the module)."""

    results: list[OwnResult]
    top: Unit
    statuses: list[StatusChange]
    # The unit's figures of the four quarters before, by figure, latest first.
    history: Mapping[FigureKey, list[int | None]] = field(default_factory=dict)

    @property
    def changes(self) -> list[IndicatorChange]:
        """The indicators whose statuses approving changes, in order."""
        grouped: dict[str, IndicatorChange] = {}
        for row in self.statuses:
            if row.changed:
                code = row.indicator.code
                grouped.setdefault(code, IndicatorChange(row.indicator, [])).rows.append(row)
        return list(grouped.values())

    @property
    def for_department(self) -> bool:
        """Some result is of an indicator judged for the department as a whole."""
        return any(r.for_department for r in self.results)

    def outlier(self, key: FigureKey, shown: str) -> engine.Outlier | None:
        """The figure as the form shows it, flagged against the unit's history."""
        text = (shown or "").strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            return None  # not a figure (the form says why), or far beyond any bound
        return engine.outlier(int(text), self.history.get(key, ()))


def report_review(
    *,
    report: QuarterlyReport,
    scope: access.Scope,
    as_of: dt.date,
    catalogue: ReportCatalogue,
) -> ReportReview:
    """The results of the report's unit and quarter with its figures counted as
    official, and the statuses of the top unit ``scope`` sees above it before and after
    (``catalogue``: the elements, categories and targets of the year, as the page has
    read them). Two queries.

    The unit is judged against its own department's sheet: the catalogue holds the
    targets of the sheet that applies to its department, and every unit read here is
    of that department (``engine.subtree``), so the indicators speak of every unit they
    are given."""
    year, quarter = report.year, report.quarter
    targets = catalogue.targets
    specs = [engine_inputs.indicator_spec(t) for t in targets]
    indicators = {t.indicator.code: t.indicator for t in targets}
    units = list(Unit.objects.all())
    years = {year, year - 1} | engine_inputs.baseline_years(specs)
    figures = engine_inputs.official_figure_rows(years)
    typed = figures.official if figures.provisional is None else figures.provisional
    official = engine.Dataset(
        units=[engine_inputs.unit_node(u) for u in units],
        aggregations={e.code: e.aggregation for e in catalogue.elements},
        figures=figures.official,
    )
    approved = replace(
        official,
        figures=engine.counted_as_official(
            figures.official, typed, unit_id=report.unit_id, year=year, quarter=quarter
        ),
    )
    reading = _Reading(year, quarter, as_of, indicators, catalogue.category_names)
    top = _top_unit(report.unit_id, units, scope)
    return ReportReview(
        results=_own_results(reading, specs, engine.subtree(approved, report.unit_id)),
        top=top,
        statuses=_status_changes(
            reading,
            [s for s in specs if top.parent_id is None or s.level == engine.LEVEL_UNIT],
            before=engine.subtree(official, top.pk),
            after=engine.subtree(approved, top.pk),
        ),
        history=_history(typed, report),
    )


@dataclass(frozen=True)
class _Reading:
    """The period read, and what names its rows."""

    year: int
    quarter: int
    as_of: dt.date
    indicators: Mapping[str, Indicator]
    category_names: Mapping[str, str]

    def cell(self, row: engine.StatusRow | None) -> PreviewCell | None:
        return None if row is None else preview_cell(row, self.indicators[row.indicator])

    def name(self, category: str) -> str:
        return self.category_names.get(category, category)

    def place(self, indicator: str, category: str) -> tuple[int, int]:
        """Where a row goes: indicators in the sheet's order, each whole before its
        categories, the categories in theirs (the same order on every page)."""
        codes = list(self.indicators)
        names = list(self.category_names)
        if not category:
            return codes.index(indicator), -1
        return codes.index(indicator), names.index(category) if category in names else len(names)


def _top_unit(unit_id: int, units: list[Unit], scope: access.Scope) -> Unit:
    """The highest unit above the unit (or itself) that ``scope`` sees."""
    by_id = {u.pk: u for u in units}
    top = by_id[unit_id]
    while top.parent_id is not None and top.parent_id in scope and top.parent_id in by_id:
        top = by_id[top.parent_id]
    return top


def _own_results(
    reading: _Reading, specs: list[engine.IndicatorSpec], mine: engine.Dataset
) -> list[OwnResult]:
    """The unit's own value of each indicator read from figures, for the quarter, with
    the change on the quarter before (the last of the year before, for a first
    quarter). Rows without a value are left out."""
    own = [
        engine.own_results(s)
        for s in specs
        if engine.reads_figures(s) and s.kind in engine.OWN_KINDS
    ]
    year, quarter = reading.year, reading.quarter
    rows = engine.compute_statuses(own, mine, year=year, as_of=reading.as_of)
    if quarter > 1:
        before = _by_key(rows, quarter - 1)
    else:
        earlier = [engine.in_year(s, year - 1) for s in own]
        before = _by_key(
            engine.compute_statuses(earlier, mine, year=year - 1, as_of=reading.as_of), 4
        )
    levels = {s.code: s.level for s in specs}
    results = []
    for row in rows:
        if row.quarter != quarter or row.value is None:
            continue
        previous = before.get((row.indicator, row.category))
        change = None
        if previous is not None and previous.value is not None:
            change = _decimal(row.value - previous.value)
        results.append(
            OwnResult(
                cell=reading.cell(row),
                category_name=reading.name(row.category),
                change=change,
                for_department=levels[row.indicator] == engine.LEVEL_DEPARTMENT,
            )
        )
    return sorted(results, key=lambda r: reading.place(r.cell.indicator.code, r.cell.category))


def _by_key(rows: list[engine.StatusRow], quarter: int) -> dict[tuple[str, str], engine.StatusRow]:
    return {(r.indicator, r.category): r for r in rows if r.quarter == quarter}


def _status_changes(
    reading: _Reading,
    specs: list[engine.IndicatorSpec],
    *,
    before: engine.Dataset,
    after: engine.Dataset,
) -> list[StatusChange]:
    """The top unit's statuses of the indicators read from figures, now and once the
    report is approved: every indicator as a whole, and a category where approving
    changes its value or status."""
    judged = [engine.at_top(s) for s in specs if engine.reads_figures(s)]
    periods = (reading.quarter, engine.YEAR)

    def rows(data: engine.Dataset) -> dict[tuple[str, str, int], engine.StatusRow]:
        computed = engine.compute_statuses(judged, data, year=reading.year, as_of=reading.as_of)
        return {(r.indicator, r.category, r.quarter): r for r in computed if r.quarter in periods}

    now, then = rows(before), rows(after)
    changes = []
    for code, category in dict.fromkeys((c, cat) for c, cat, _q in [*now, *then]):
        pairs = [
            _paired(now.get((code, category, q)), then.get((code, category, q))) for q in periods
        ]
        if all(
            row is None or row.status == engine.NOT_APPLICABLE for pair in pairs for row in pair
        ):
            continue
        if category and all(_same(a, b) for a, b in pairs):
            continue
        (quarter_now, quarter_then), (year_now, year_then) = (
            (reading.cell(a), reading.cell(b)) for a, b in pairs
        )
        changes.append(
            StatusChange(
                indicator=reading.indicators[code],
                category=category,
                category_name=reading.name(category),
                quarter_now=quarter_now,
                quarter_then=quarter_then,
                year_now=year_now,
                year_then=year_then,
                quarter=reading.quarter,
            )
        )
    return sorted(changes, key=lambda c: reading.place(c.indicator.code, c.category))


def _paired(
    now: engine.StatusRow | None, then: engine.StatusRow | None
) -> tuple[engine.StatusRow | None, engine.StatusRow | None]:
    """A period's row before and after; a category that has figures on one side only
    (the report brings its first) reads as having no data on the other, against the
    same target."""
    if now is None and then is not None:
        now = _no_data(then)
    elif then is None and now is not None:
        then = _no_data(now)
    return now, then


def _no_data(row: engine.StatusRow) -> engine.StatusRow:
    kept = {k: v for k, v in row.detail.items() if k == "category_targets"}
    return replace(row, value=None, status=engine.NO_DATA, detail=kept)


def _same(a: engine.StatusRow | None, b: engine.StatusRow | None) -> bool:
    return (a.value, a.status) == (b.value, b.status) if a and b else a is b


def _history(
    typed: list[engine.FigureRow], report: QuarterlyReport
) -> dict[FigureKey, list[int | None]]:
    """The unit's figures as typed in the four quarters before the report's, by figure
    (latest quarter first; None where it had none)."""
    quarters = engine.previous_quarters(report.year, report.quarter)
    position = {period: n for n, period in enumerate(quarters)}
    history: dict[FigureKey, list[int | None]] = {}
    for row in typed:
        n = position.get((row.year, row.quarter))
        if row.unit_id != report.unit_id or n is None:
            continue
        history.setdefault((row.element, row.category), [None] * len(quarters))[n] = row.value
    return history


def _decimal(value) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)
