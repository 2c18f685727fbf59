"""Periods (``engine.periods``): the bounds of a quarter and of the year, their labels,
and the quarter of a day."""

from __future__ import annotations

import datetime as dt

import pytest

from commitments import engine
from commitments.engine import NO_DATA, YEAR, StatusRow
from tests.commitments.engine.inputs import DEPT, D


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        (1, D(2021, 1, 1), D(2021, 3, 31)),
        (2, D(2021, 4, 1), D(2021, 6, 30)),
        (3, D(2021, 7, 1), D(2021, 9, 30)),
        (4, D(2021, 10, 1), D(2021, 12, 31)),
        (YEAR, D(2021, 1, 1), D(2021, 12, 31)),
    ],
)
def test_period_bounds_are_the_first_and_last_day_of_the_quarter_or_year(quarter, first, last):
    assert engine.period_bounds(2021, quarter) == (first, last)


def test_period_bounds_of_a_leap_year_first_quarter_end_on_31_march():
    assert engine.period_bounds(2024, 1) == (D(2024, 1, 1), D(2024, 3, 31))


def test_status_row_period_reads_2021_q1_for_a_quarter_and_2021_for_the_year():
    def row(quarter):
        return StatusRow("4.1", DEPT, "", 2021, quarter, None, None, None, NO_DATA)

    assert row(1).period == "2021-Q1"
    assert row(4).period == "2021-Q4"
    assert row(YEAR).period == "2021"


def test_quarter_of_a_day_and_the_quarter_before():
    assert [engine.quarter_of(dt.date(2021, m, 15)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        1, 1, 2, 2, 3, 3, 4, 4,
    ]  # fmt: skip
    assert engine.previous_quarter(2021, 3) == (2021, 2)
    assert engine.previous_quarter(2021, 1) == (2020, 4)
