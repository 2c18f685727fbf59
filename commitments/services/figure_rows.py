"""A row of a figures file (CONTRACT.md: figures CSV) read and checked, and the lines
that say what is wrong with it: the one set of checks and messages of both ways of
importing the file (``imports.figures_import``: held in memory on SQLite, streamed
through PostgreSQL by ``figure_stream``)."""

from __future__ import annotations

from collections.abc import Mapping

from commitments.models import Category, DataElement, Unit
from commitments.services import figures
from commitments.services.figures import FigureError, FigureInput, RuleViolation, whole
from commitments.tabular import Row

FIGURE_COLUMNS = ("year", "quarter", "unit", "element", "category", "value")

# The years a figure may belong to.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def figure_row_parse(
    row: Row,
    units: Mapping[str, Unit],
    elements: Mapping[str, DataElement],
    categories: Mapping[str, Category],
    errors: list[str],
) -> FigureInput | None:
    """A row of the figures file as a figure to save (its ``where``: the row's line);
    None when it has problems, which are added to ``errors``."""
    v = row.values
    problems = []
    year = whole(v["year"])
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(row.error("year", f"{v['year']!r} is not a year"))
    quarter = whole(v["quarter"])
    if quarter is None or not 1 <= quarter <= 4:
        problems.append(row.error("quarter", f"{v['quarter']!r} must be 1, 2, 3 or 4"))
    unit = units.get(v["unit"])
    if unit is None:
        problems.append(row.error("unit", f"unknown unit {v['unit']!r}"))
    value, refused = figures.figure_check(
        where=row.line,
        element_code=v["element"],
        category_code=v["category"],
        text=v["value"],
        elements=elements,
        categories=categories,
    )
    problems += [figure_error_line(e, elements.get(v["element"])) for e in refused]
    if problems:
        errors.extend(problems)
        return None
    element = elements[v["element"]]
    category = categories[v["category"]] if element.category_kind else None
    return FigureInput(row.line, year, quarter, unit, element, category, value)


def duplicate_line(line: int, first: int) -> str:
    """The line of a figure the file already gave on line ``first``."""
    return Row(line, {}).error("value", f"the same figure is already on line {first}")


def figure_error_line(error: FigureError, element: DataElement | None) -> str:
    """``line N: column: 'cell': reason`` for a figure refused on the row of line
    ``error.where``; the value of a flag says so."""
    cell = repr(error.text)
    if error.part == "value" and element is not None and element.is_flag:
        cell += f" ({DataElement._meta.get_field('is_flag').verbose_name})"
    return f"line {error.where}: {error.part}: {cell}: {error}"


def violation_line(violation: RuleViolation) -> str:
    """``line N: value: period unit [category]: reason`` for a broken validation rule,
    on the line of the figure it is reported on."""
    item = violation.item
    subject = f"{item.year}-Q{item.quarter} {item.unit.code}"
    if item.category:
        subject += f" {item.category.code}"
    error = violation.error()
    return f"line {error.where}: {error.part}: {subject}: {error}"
