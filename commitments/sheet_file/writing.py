"""A stored sheet written out as the rows of its file: loading them gives the same
sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal

from commitments.models import Indicator, Target
from commitments.sheet_file.columns import COLUMNS, COMMITMENT, INDICATOR, OVERRIDE, PERIODS


def sheet_rows(contents: Iterable) -> list[dict[str, str]]:
    """A stored sheet as the rows of its file, from ``selectors.sheets.sheet_contents``:
    each commitment, then its indicators (by their definition's code) each followed by
    its overrides. Loading them gives the same sheet."""
    rows = []
    for part in contents:
        commitment = part.commitment
        rows.append(
            _row(
                COMMITMENT,
                code=commitment.code,
                name_vi=commitment.name_vi,
                name_en=commitment.name_en,
            )
        )
        for line in part.lines:
            rows += _indicator_rows(line.indicator, line.target)
    return rows


def _indicator_rows(indicator: Indicator, target: Target | None) -> list[dict[str, str]]:
    periods = {flags: name for name, flags in PERIODS.items()}
    row = _row(
        INDICATOR,
        code=indicator.code,
        commitment=indicator.commitment.code,
        name_vi=indicator.name_vi,
        name_en=indicator.name_en,
        short_name_vi=indicator.short_name_vi,
        short_name_en=indicator.short_name_en,
        definition=indicator.version.definition.code,
        periods=periods.get((indicator.quarterly, indicator.yearly), ""),
    )
    if target is None:
        return [row]
    row.update(
        threshold=_cell(target.threshold),
        comparator=target.comparator,
        deadline=_cell(target.deadline),
        baseline_year=_cell(target.baseline_year),
        baseline_value=_cell(target.baseline_value),
        wording=target.wording,
    )
    overrides = [
        _row(
            OVERRIDE,
            indicator=indicator.code,
            category=o.category.code if o.category else "",
            unit_kind=o.unit_kind,
            unit_sector=o.unit_sector,
            threshold=_cell(o.threshold),
            comparator=o.comparator,
        )
        for o in target.overrides.all()
    ]
    return [row, *overrides]


def _row(kind: str, **values: str) -> dict[str, str]:
    return {column: "" for column in COLUMNS} | {"type": kind} | values


def _cell(value: object) -> str:
    """A value as the file writes it: 96 rather than 96.0000, dates as 2021-12-31."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_text(rows: Iterable[Mapping[str, str]]) -> str:
    """The rows as a CSV file's text, the header first (the columns of ``COLUMNS``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
