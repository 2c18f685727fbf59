"""The units x indicators matrix (bảng đơn vị và chỉ tiêu) as its page reads it: an
indicator a column, a unit a row, one level of the unit tree at a time: the unit the
reader stands on (at first the top units they see: the department, for its director)
apart at the top with every status of its own, then the units directly below it worst
first or sorted by one indicator, each a step further down the tree.

Each cell says the unit's status in colour, icon and words, with its value in one
number format; a department's coverage indicator judges each of its units as the unit
page does (``insights.unit_condition``). Works on Status rows already read
(``selectors.statuses.matrix_statuses``): no query here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments import engine, insights
from commitments.models import Indicator, Status, Unit
from commitments.templatetags.statuses import (
    condition_label,
    fixed_value,
    status_label,
    status_target,
)

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
    units: Iterable[Unit],
    tops: Collection[int],
    roots: Collection[int],
) -> tuple[list[Indicator], list[dict]]:
    """The columns (indicators, in the sheet's order) and the rows: a row per unit of
    ``units`` (the level the page shows) that has something in some column, the units
    of ``tops`` (the level the reader stands on) marked ``top``. A top unit's cell of
    a coverage indicator is its own status; any other unit's is its standing against
    the condition of its department (one of ``roots``). The rows say enough to be
    sorted; ``dressed`` says the rest of the rows a page shows.

    Each unit's statuses are those of its own department's sheet; sheets number their
    indicators alike, so a column is a number (named as the first sheet read names it)
    and each unit's cell holds its own sheet's indicator of that number."""
    units = list(units)
    codes = [unit.code for unit in units]
    by_code = {unit.code: unit for unit in units}
    columns: dict[str, Indicator] = {}
    own: dict[tuple[int, str], Status] = {}
    conditions: dict[tuple[int, str], str] = {}
    for status in statuses:
        code = status.indicator.code
        columns.setdefault(code, status.indicator)
        own[(status.unit_id, code)] = status
        if status.indicator.kind == engine.COVERAGE and status.unit_id in roots:
            for unit_code, state in insights.unit_conditions(status, codes).items():
                conditions[(by_code[unit_code].pk, code)] = state
    rows = []
    for unit in units:
        top = unit.pk in tops
        cells = [_cell(unit, column, own, conditions, top=top) for column in columns.values()]
        if any(cell["status"] for cell in cells):
            rows.append(_row(unit, cells, top=top))
    return list(columns.values()), rows


def _cell(
    unit: Unit, indicator: Indicator, own: Mapping, conditions: Mapping, *, top: bool
) -> dict:
    """One cell: the unit's own row where it has one (a coverage indicator's only for
    a top unit), else its standing against the department's condition, else empty."""
    key = (unit.pk, indicator.code)
    row = own.get(key)
    coverage = (row.indicator if row is not None else indicator).kind == engine.COVERAGE
    if row is not None and (top or not coverage):
        return {
            "status": row.status,
            "value": row.value,
            "indicator": row.indicator,  # of the unit's own sheet
            "row": row,
            "differs": row.differs,
            "condition": False,
        }
    state = conditions.get(key, "")
    return {
        "status": state,
        "value": None,
        "indicator": indicator,
        "row": None,
        "differs": False,
        "condition": bool(state),
    }


def dressed(rows: list[dict], category_names: Mapping[str, str]) -> list[dict]:
    """The rows a page shows, each cell with what it says in words: its status
    (``label``), its value always to two decimals, side by side (``shown``), and its
    target, with the status, on hover (``title``). Done for a page's rows only: a
    level may have hundreds of units; each label is translated once."""
    conditions = {state: condition_label(state) for state, _ in LEGEND}
    statuses = {state: status_label(state) for state, _ in LEGEND}
    target_word = _("mục tiêu")
    for row in rows:
        for cell in row["cells"]:
            status, own = cell["status"], cell["row"]
            if own is None:
                label = conditions.get(status, status)
                cell.update(label=label, shown="", target="", title=label)
                continue
            kind = cell["indicator"].kind
            label = statuses.get(status, status)
            target = "" if own.target is None else status_target(own, category_names)
            cell.update(
                label=label,
                shown="" if own.value is None else fixed_value(own.value, kind),
                target=target,
                title=f"{label} · {target_word} {target}" if target else label,
            )
    return rows


def _row(unit: Unit, cells: list[dict], *, top: bool) -> dict:
    statuses = [cell["status"] for cell in cells]
    return {
        "unit": unit,
        "top": top,
        # How many units are directly below: the row leads a level further down.
        "below": getattr(unit, "child_count", 0),
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
                engine.SEVERITY.get(r["cells"][index]["status"], len(engine.SEVERITY)),
                r["cells"][index]["value"] is None,
                r["cells"][index]["value"] or 0,
                r["unit"].code,
            )
        )
    else:
        others.sort(key=lambda r: (-r["not_met"], -r["at_risk"], r["unit"].code))
    return tops + others
