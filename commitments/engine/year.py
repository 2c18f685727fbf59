"""The year of an indicator judged by quarter (DOMAIN.md).

Some commitments are signed per quarter ("at least 05 units per quarter", "a dialogue
every 3 months"). Their year is only as good as its worst quarter: a year row must
never read "met" while one of its ended quarters failed, so it is derived from the
quarter rows rather than computed over the year's figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from commitments.engine.periods import YEAR, period_bounds
from commitments.engine.types import (
    AT_RISK,
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    TRACKED,
    IndicatorSpec,
    StatusRow,
)


def judged_by_quarter(indicator: IndicatorSpec) -> bool:
    """An indicator signed per quarter: judged on its quarters, with no year-to-date
    figure of its own."""
    return indicator.quarterly and not indicator.yearly


def year_rows(
    indicator: IndicatorSpec, quarter_rows: Sequence[StatusRow], *, as_of: dt.date
) -> list[StatusRow]:
    """The year rows of one unit, from its quarter rows: the whole and, for a
    per-category indicator, each category that has a quarter row."""
    by_category: dict[str, list[StatusRow]] = {}
    for row in quarter_rows:
        by_category.setdefault(row.category, []).append(row)
    return [
        _year_row(indicator, rows, as_of=as_of)
        for rows in by_category.values()
        if rows[0].status != NOT_APPLICABLE
    ] or [replace(quarter_rows[0], quarter=YEAR, detail={})]


def _year_row(indicator: IndicatorSpec, rows: list[StatusRow], *, as_of: dt.date) -> StatusRow:
    begun = [r for r in rows if period_bounds(r.year, r.quarter)[0] <= as_of]
    valued = [r for r in begun if r.value is not None]
    failed = [r.quarter for r in begun if _ended(indicator, r, as_of) and r.status == NOT_MET]
    # The worst quarter so far: the lowest value, as every comparator asks for more.
    # Once a quarter failed it is the worst of those, not the open quarter just begun.
    candidates = [r for r in valued if r.quarter in failed] or valued
    worst = min(candidates, key=lambda r: (r.value, r.quarter)) if candidates else None
    if not valued:
        status = NO_DATA
    elif indicator.tracked or worst.target is None:
        status = TRACKED
    elif failed:
        status = NOT_MET
    elif any(r.status in (AT_RISK, NO_DATA) for r in begun):
        # The current quarter is short so far, or a begun quarter has nothing to
        # judge: the year cannot be called met.
        status = AT_RISK
    else:
        status = MET  # every ended quarter met, and the current one meets it already
    template = worst or rows[0]
    detail = dict(worst.detail) if worst else {}
    if "category_targets" in rows[0].detail:  # the whole's per-category targets, always
        detail["category_targets"] = rows[0].detail["category_targets"]
    if worst:
        detail["quarter"] = worst.quarter
    if failed:
        detail["failed_quarters"] = failed
    return replace(template, quarter=YEAR, status=status, detail=detail)


def _ended(indicator: IndicatorSpec, row: StatusRow, as_of: dt.date) -> bool:
    end = period_bounds(row.year, row.quarter)[1]
    deadline = indicator.target.deadline
    return as_of > (min(end, deadline) if deadline else end)
