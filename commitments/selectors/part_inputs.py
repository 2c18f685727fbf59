"""What one part of a year's recompute reads (``engine.parts``): the inputs of
``engine_inputs`` for the units of the part, and no more.

A branch reads its units' figures one by one. A part computed over sums (the top of
a large tree, or the units above a change) reads its own units' figures and, added
up in the database, those of every unit below them, by the stand-in nodes of
``engine.stand_ins``; so its memory and its time in Python do not grow with the
number of units below it. Both read the official figures and the figures as typed
with the rules of ``engine_inputs.official_figure_rows``, in one query.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from django.db import connection

from commitments import engine
from commitments.models import (
    Category,
    DataElement,
    Figure,
    OfficialFigure,
    QuarterlyReport,
)
from commitments.selectors import engine_inputs


@dataclass(frozen=True)
class Elements:
    """The data elements a recompute reads: their ids by code, how each adds up, and
    those official on arrival (not typed by the units, ``engine_inputs.REPORTED``)."""

    ids: dict[str, int]
    aggregations: dict[str, str]
    official: frozenset[int]

    @property
    def codes(self) -> dict[int, str]:
        return {pk: code for code, pk in self.ids.items()}


def elements() -> Elements:
    """Every data element (one query)."""
    rows = DataElement.objects.values_list("pk", "code", "aggregation", "source")
    return Elements(
        ids={code: pk for pk, code, _, _ in rows},
        aggregations={code: aggregation for _, code, aggregation, _ in rows},
        official=frozenset(pk for pk, _, _, source in rows if source != engine_inputs.REPORTED),
    )


def part_inputs(
    *,
    year: int,
    part: engine.Part,
    units: Sequence[engine.UnitNode],
    touching: Collection[int] | None = None,
) -> tuple[
    list[engine.IndicatorSpec], engine.Dataset, engine_inputs.EngineIds, engine.Dataset | None
]:
    """As ``engine_inputs.engine_inputs``, for the rows of one part: the indicators in
    force (only those that read one of the data elements ``touching``, ids, when
    given), the dataset of official figures with ``rows_for`` the part's units, and
    the provisional one, or None when no figure the part reads waits for approval.
    ``units``: every unit (``engine_inputs.unit_nodes``).

    Eight queries at most, whatever the size of the part or of the tree.
    """
    known = elements()
    specs, ids = _indicators(year, part, units, touching, known)
    reading = _reading(specs, year, known)
    if part.summed:
        node_of, nodes = engine.stand_ins(units, part.units)
        node_of.update((unit_id, unit_id) for unit_id in part.units)
        one_by_one = {known.ids[e] for e in engine.read_per_unit(specs, known.aggregations)}
        apart = reading.only(one_by_one)
        # The part's own units, and the elements read unit by unit, one by one; the
        # rest added up by the nodes standing for the units below.
        figures = _merged(
            _figures_of(apart, known, units=part.units, node_of=node_of) if apart else None,
            _figures_of(reading.only(one_by_one, keep=False), known, units=part.units),
            _summed_figures(reading.only(one_by_one, keep=False), known, node_of, part.units),
        )
        tree, record_units = [*units, *nodes], None
        if not apart and all(_by_sums(spec) for spec in specs):
            # Nothing is read unit by unit below the part: those units are not needed.
            tree = [*(u for u in units if u.id in part.units), *nodes]
    else:
        figures = _figures_of(reading, known, units=part.units)
        above = set(engine.ancestors(units, part.units))
        tree, record_units = [u for u in units if u.id in above], part.units
    if any(spec.source != engine.FIGURES for spec in specs):
        evidence, plan_tasks, milestones = engine_inputs.records(year, record_units)
    else:
        evidence, plan_tasks, milestones = [], [], []
    data = engine.Dataset(
        units=tree,
        aggregations=known.aggregations,
        figures=figures.official,
        evidence=evidence,
        plan_tasks=plan_tasks,
        milestones=milestones,
        rows_for=part.units,
    )
    provisional = None
    if figures.provisional is not None:
        provisional = replace(data, figures=figures.provisional)
    return specs, data, ids, provisional


def _indicators(
    year: int,
    part: engine.Part,
    units: Sequence[engine.UnitNode],
    touching: Collection[int] | None,
    known: Elements,
) -> tuple[list[engine.IndicatorSpec], engine_inputs.EngineIds]:
    """The indicators a part computes, each for the departments its sheet applies to
    (as ``engine_inputs.engine_inputs``), and their ids (three queries)."""
    targets = engine_inputs.targets_in_force(year=year)
    applies = engine_inputs.sheet_departments(
        [t.indicator.sheet for t in targets],
        departments=[u.id for u in units if u.parent_id is None],
        signed=engine_inputs.signed_departments(year),
    )
    pairs = [(t, engine_inputs.indicator_spec(t, applies[t.indicator.sheet_id])) for t in targets]
    if touching is not None:
        codes = {code for code, pk in known.ids.items() if pk in touching}
        pairs = [(t, spec) for t, spec in pairs if engine.elements_read(spec) & codes]
    departments = engine_inputs.departments_of(units, part.units)
    mine = set(departments.values())
    # A sheet's indicator has rows only in its own departments: a part reads nothing
    # for the indicators of other departments' sheets.
    pairs = [(t, spec) for t, spec in pairs if spec.departments & mine]
    if not part.units & {u.id for u in units if u.parent_id is None}:
        # Without a department among its units, a part has no row of the indicators
        # judged at the department's level: it reads nothing for them.
        pairs = [(t, spec) for t, spec in pairs if spec.level == engine.LEVEL_UNIT]
    ids = engine_inputs.EngineIds(
        indicators={
            (spec.code, department): t.indicator_id
            for t, spec in pairs
            for department in spec.departments
        },
        departments=departments,
        versions={t.indicator_id: t.indicator.version_id for t, _ in pairs},
        lines=tuple(t.indicator_id for t, _ in pairs),
    )
    return [spec for _, spec in pairs], ids


@dataclass(frozen=True)
class _Reading:
    """Which figures a part reads: every element its indicators read in the year,
    and the elements of growth indicators in their baseline years."""

    year: int
    elements: list[int]
    baseline_years: list[int]
    baseline_elements: list[int]

    def __bool__(self) -> bool:
        return bool(self.elements or self.baseline_elements)

    def only(self, ids: Collection[int], *, keep: bool = True) -> _Reading:
        """The same reading of the elements ``ids`` only (``keep``), or of the others."""
        return replace(
            self,
            elements=[e for e in self.elements if (e in ids) == keep],
            baseline_elements=[e for e in self.baseline_elements if (e in ids) == keep],
        )


def _reading(specs: Iterable[engine.IndicatorSpec], year: int, known: Elements) -> _Reading:
    read: set[str] = set()
    baseline_years: set[int] = set()
    baseline_read: set[str] = set()
    for spec in specs:
        read |= engine.elements_read(spec)
        if spec.target.baseline_year is not None:
            baseline_years.add(spec.target.baseline_year)
            baseline_read |= engine.elements_read(spec)
    return _Reading(
        year=year,
        elements=sorted(known.ids[e] for e in read if e in known.ids),
        baseline_years=sorted(baseline_years - {year}),
        baseline_elements=sorted(known.ids[e] for e in baseline_read if e in known.ids),
    )


def _in(values: Sequence[int]) -> str:
    # An empty list matches nothing (NULL is never IN anything).
    return "(" + (", ".join(["%s"] * len(values)) or "NULL") + ")"


def _sources(reading: _Reading, units: Sequence[int] | None) -> tuple[str, list]:
    """The figures and the kept values (``kept``) the part reads, as one relation."""
    where = f"(year = %s AND element_id IN {_in(reading.elements)})"
    params: list = [reading.year, *reading.elements]
    if reading.baseline_years:
        where += (
            f" OR (year IN {_in(reading.baseline_years)}"
            f" AND element_id IN {_in(reading.baseline_elements)})"
        )
        params += [*reading.baseline_years, *reading.baseline_elements]
    where = f"({where})"
    if units is not None:
        where += f" AND unit_id IN {_in(units)}"
        params += list(units)
    columns = "unit_id, year, quarter, element_id, category_id, value"
    sql = " UNION ALL ".join(
        f"SELECT {columns}, {kept} AS kept FROM {_table(model)} WHERE {where}"
        for model, kept in ((Figure, 0), (OfficialFigure, 1))
    )
    return sql, params + params


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _with_state(sources: str, known: Elements) -> tuple[str, list]:
    """The figures with ``official_now``: whether each counts as official now
    (``official_figure_rows``): its element is not typed by the units, or its report
    is approved, or it has no report."""
    approved = QuarterlyReport.State.APPROVED
    outside = sorted(known.official)
    sql = (
        "SELECT f.*, CASE WHEN f.element_id IN"
        f" {_in(outside)} OR COALESCE(r.state, %s) = %s THEN 1 ELSE 0 END AS official_now"
        f" FROM ({sources}) f LEFT JOIN {_table(QuarterlyReport)} r"
        " ON r.unit_id = f.unit_id AND r.year = f.year AND r.quarter = f.quarter"
    )
    return sql, [*outside, approved, approved]


def _figures_of(
    reading: _Reading,
    known: Elements,
    *,
    units: Collection[int],
    node_of: dict[int, int] | None = None,
) -> engine_inputs.FigureSets:
    """The figures of ``units`` one by one; with ``node_of``, those of every unit
    it maps instead."""
    sources, params = _sources(reading, None if node_of else sorted(units))
    figures, state = _with_state(sources, known)
    mapping, mapped = "", []
    if node_of:
        mapping, mapped = _MAPPING[connection.vendor], [_json_map(node_of)]
    sql = (
        "SELECT f.year, f.quarter, f.unit_id, f.element_id, c.code, f.value, f.kept,"
        f" f.official_now FROM ({figures}) f {mapping}"
        f" LEFT JOIN {_table(Category)} c ON c.id = f.category_id"
    )
    codes = known.codes
    official, typed, waiting = [], [], False
    row_of = engine.FigureRow
    with connection.cursor() as cursor:
        cursor.execute(sql, [*state, *params, *mapped])
        for year, quarter, unit_id, element, category, value, kept, now in _rows(cursor):
            row = row_of(year, quarter, unit_id, codes[element], category, value)
            if kept:
                # A reopened report's approved values: official until approved again.
                if not now:
                    official.append(row)
                    waiting = True
                continue
            typed.append(row)
            if now:
                official.append(row)
            else:
                waiting = True
    return engine_inputs.FigureSets(official=official, provisional=typed if waiting else None)


def _summed_figures(
    reading: _Reading, known: Elements, node_of: dict[int, int], own: Collection[int]
) -> engine_inputs.FigureSets:
    """The figures of the units ``node_of`` maps but the ``own`` ones (read one by
    one), added up by the node each stands for: by ids, named once added."""
    sources, params = _sources(reading, None)
    figures, state = _with_state(sources, known)
    sql = (
        "SELECT g.year, g.quarter, g.node, g.element_id, c.code, g.official, g.counted,"
        " g.typed, g.typed_count, g.late FROM ("
        "SELECT f.year, f.quarter, m.node, f.element_id, f.category_id,"
        " SUM(CASE WHEN f.kept <> f.official_now THEN f.value ELSE 0 END) AS official,"
        " SUM(CASE WHEN f.kept <> f.official_now THEN 1 ELSE 0 END) AS counted,"
        " SUM(CASE WHEN f.kept = 0 THEN f.value ELSE 0 END) AS typed,"
        " SUM(1 - f.kept) AS typed_count,"
        " SUM(1 - f.official_now) AS late"
        f" FROM ({figures}) f {_MAPPING[connection.vendor]}"
        " GROUP BY f.year, f.quarter, m.node, f.element_id, f.category_id"
        f") g LEFT JOIN {_table(Category)} c ON c.id = g.category_id"
    )
    below = {unit: node for unit, node in node_of.items() if unit not in own}
    codes = known.codes
    official, typed, waiting = [], [], False
    row_of = engine.FigureRow
    with connection.cursor() as cursor:
        cursor.execute(sql, [*state, *params, _json_map(below)])
        for year, quarter, node_id, element, category, *sums in _rows(cursor):
            value, counted, typed_value, typed_count, late = sums
            code = codes[element]
            if counted:
                official.append(row_of(year, quarter, node_id, code, category, int(value)))
            if typed_count:
                typed.append(row_of(year, quarter, node_id, code, category, int(typed_value)))
            waiting = waiting or bool(late)
    return engine_inputs.FigureSets(official=official, provisional=typed if waiting else None)


def _by_sums(spec: engine.IndicatorSpec) -> bool:
    """Whether an indicator's value reads only sums of figures over its units (not
    records of the units, nor the units counted)."""
    return spec.source == engine.FIGURES and spec.kind != engine.COVERAGE


def _merged(*sets: engine_inputs.FigureSets | None) -> engine_inputs.FigureSets:
    sets = tuple(one for one in sets if one is not None)
    official = [row for one in sets for row in one.official]
    if all(one.provisional is None for one in sets):
        return engine_inputs.FigureSets(official=official, provisional=None)
    typed = [
        row
        for one in sets
        for row in (one.official if one.provisional is None else one.provisional)
    ]
    return engine_inputs.FigureSets(official=official, provisional=typed)


def _json_map(node_of: dict[int, int]) -> str:
    return json.dumps({str(unit): node for unit, node in node_of.items()})


def _rows(cursor, size: int = 20_000):
    """The rows of a cursor, fetched many at a time (one by one costs as much as the
    query itself on a large part)."""
    while rows := cursor.fetchmany(size):
        yield from rows


# Each unit read and the node it is read as, from a JSON object {unit id: node id}.
_MAPPING = {
    "postgresql": (
        "JOIN (SELECT key::bigint AS unit_id, value::bigint AS node"
        " FROM jsonb_each_text(%s::jsonb)) m ON m.unit_id = f.unit_id"
    ),
    "sqlite": (
        "JOIN (SELECT CAST(key AS INTEGER) AS unit_id, CAST(value AS INTEGER) AS node"
        " FROM json_each(%s)) m ON m.unit_id = f.unit_id"
    ),
}
