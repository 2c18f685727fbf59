"""The units x indicators matrix (bảng đơn vị và chỉ tiêu) as its page reads it: an
indicator a column, a unit a row, the top units the reader sees (the department, for
its director) apart at the top with every status of their own, the other units worst
first or sorted by one indicator.

Each cell says the unit's status in colour, icon and words, with its value in one
number format; a department's coverage indicator judges each of its units as the unit
page does (``insights.unit_condition``). Works on Status rows already read
(``selectors.statuses.matrix_statuses``): no query here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy

from commitments import engine, insights
from commitments.access import Scope, is_top_unit
from commitments.models import Indicator, Status, Unit
from commitments.templatetags.statuses import condition_label, status_label, status_target

# What a cell may say, as the legend explains it (the icon of each is the
# stylesheet's, the colour the badge's).
LEGEND = (
    (engine.MET, gettext_lazy("Đạt, hoặc đơn vị đáp ứng điều kiện")),
    (engine.AT_RISK, gettext_lazy("Có nguy cơ không đạt: kỳ chưa kết thúc")),
    (
        engine.NOT_MET,
        gettext_lazy("Không đạt, hoặc đơn vị chưa đáp ứng điều kiện mà mọi đơn vị phải đáp ứng"),
    ),
    (
        insights.UNCOVERED,
        gettext_lazy("Đơn vị chưa đáp ứng điều kiện, nhưng mục tiêu không đòi hỏi mọi đơn vị"),
    ),
    (engine.NO_DATA, gettext_lazy("Chưa có số liệu")),
    (engine.TRACKED, gettext_lazy("Theo dõi, không đánh giá")),
    (engine.NOT_APPLICABLE, gettext_lazy("Chỉ tiêu không áp dụng cho đơn vị")),
)


def matrix_table(
    statuses: Iterable[Status],
    *,
    units: Mapping[str, Unit],
    scope: Scope,
    category_names: Mapping[str, str],
) -> tuple[list[Indicator], list[dict]]:
    """The columns (indicators, in the sheet's order) and the rows: a row per unit of
    ``units`` (those the reader sees) that has something in some column, the top units
    first (``top``). A top unit's cell of a coverage indicator is its own status; any
    other unit's is its standing against the condition.

    Each unit's statuses are those of its own department's sheet; sheets number their
    indicators alike, so a column is a number (named as the first sheet read names it)
    and each unit's cell holds its own sheet's indicator of that number."""
    columns: dict[str, Indicator] = {}
    own: dict[tuple[int, str], Status] = {}
    conditions: dict[tuple[int, str], str] = {}
    for status in statuses:
        code = status.indicator.code
        columns.setdefault(code, status.indicator)
        own[(status.unit_id, code)] = status
        if status.indicator.kind == engine.COVERAGE and status.unit.parent_id is None:
            for unit_code, unit in units.items():
                state = insights.unit_condition(status, unit_code)
                if state is not None:
                    conditions[(unit.pk, code)] = state
    by_pk = {unit.pk: unit for unit in units.values()}
    rows = []
    for unit in units.values():
        top = is_top_unit(unit, scope)
        cells = [
            _cell(unit, column, own, conditions, top=top, category_names=category_names)
            for column in columns.values()
        ]
        if any(cell["status"] for cell in cells):
            rows.append({**_row(unit, cells, top=top), "department": _department(unit, by_pk)})
    return list(columns.values()), rows


def _department(unit: Unit, by_pk: Mapping[int, Unit]) -> Unit | None:
    """The unit's department (the top of its tree, whose sheet its indicator pages
    show) when it is among the units the reader sees, else None."""
    while unit.parent_id is not None and unit.parent_id in by_pk:
        unit = by_pk[unit.parent_id]
    return unit if unit.parent_id is None else None


def _cell(
    unit: Unit,
    indicator: Indicator,
    own: Mapping,
    conditions: Mapping,
    *,
    top: bool,
    category_names: Mapping[str, str],
) -> dict:
    """One cell: the unit's own row where it has one (a coverage indicator's only for
    a top unit), else its standing against the department's condition, else empty."""
    key = (unit.pk, indicator.code)
    row = own.get(key)
    coverage = (row.indicator if row is not None else indicator).kind == engine.COVERAGE
    if row is not None and (top or not coverage):
        return {
            "status": row.status,
            "label": status_label(row.status),
            "value": row.value,
            "target": status_target(row, category_names) if row.target is not None else "",
            "indicator": row.indicator,  # of the unit's own sheet
            "differs": row.differs,
            "condition": False,
        }
    state = conditions.get(key, "")
    return {
        "status": state,
        "label": condition_label(state) if state else "",
        "value": None,
        "target": "",
        "indicator": indicator,
        "differs": False,
        "condition": bool(state),
    }


def _row(unit: Unit, cells: list[dict], *, top: bool) -> dict:
    statuses = [cell["status"] for cell in cells]
    return {
        "unit": unit,
        "top": top,
        "cells": cells,
        "not_met": statuses.count(engine.NOT_MET),
        "at_risk": statuses.count(engine.AT_RISK),
        "met": statuses.count(engine.MET),
    }


def sort_rows(rows: list[dict], codes: list[str], sort: str) -> list[dict]:
    """The top units first, by code; then the other units worst first (most not met,
    then most at risk), or by the indicator ``sort`` names when it is a column (worst
    status first, then the lowest value)."""
    tops = sorted((r for r in rows if r["top"]), key=lambda r: r["unit"].code)
    others = [r for r in rows if not r["top"]]
    if sort in codes:
        index = codes.index(sort)
        others.sort(
            key=lambda r: (
                insights.SEVERITY.get(r["cells"][index]["status"], 3),
                r["cells"][index]["value"] is None,
                r["cells"][index]["value"] or 0,
                r["unit"].code,
            )
        )
    else:
        others.sort(key=lambda r: (-r["not_met"], -r["at_risk"], r["unit"].code))
    return tops + others
