"""Periods: the quarters of a year and the year to date (quarter ``YEAR``)."""

from __future__ import annotations

import datetime as dt

YEAR = 0  # the quarter number of a year-to-date row


def period_label(year: int, quarter: int) -> str:
    return str(year) if quarter == YEAR else f"{year}-Q{quarter}"


def quarter_of(day: dt.date) -> int:
    """The quarter (1-4) a day falls in."""
    return (day.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The (year, quarter) before this one."""
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def period_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter, or of the year when ``quarter`` is YEAR."""
    if quarter == YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = dt.date(year, 3 * quarter - 2, 1)
    last = (
        dt.date(year, 12, 31)
        if quarter == 4
        else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    )
    return first, last


def quarters_of(quarter: int) -> range:
    """The quarters a row adds up: the quarter alone, or all four for the year to date."""
    return range(1, 5) if quarter == YEAR else range(quarter, quarter + 1)
