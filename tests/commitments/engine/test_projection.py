"""The year-end projection of a ratio (``engine.projection``)."""

from __future__ import annotations

from fractions import Fraction

from commitments import engine


def test_projection_of_a_steady_rate_is_the_rate_so_far():
    # 97 of 100 each quarter: the year lands at 97% whatever is left.
    assert engine.project_ratio([(97, 100), (194, 200)], remaining=2) == 97


def test_projection_follows_the_trend_of_the_quarters():
    # 96%, 97% on 100 dossiers each: Q3 98%, Q4 99% -> (96+97+98+99)/400 = 97.5%.
    assert engine.project_ratio([(96, 100), (97, 100)], remaining=2) == Fraction(975, 10)


def test_projection_never_goes_past_100_percent():
    # 90%, 100%: the trend would give 110% and 120%; each is kept at 100%.
    assert engine.project_ratio([(90, 100), (100, 100)], remaining=2) == Fraction(390, 4)


def test_projection_with_nothing_left_is_the_year_to_date():
    assert engine.project_ratio([(1, 3), (1, 3), (1, 3), (1, 3)], remaining=0) == Fraction(100, 3)


def test_projection_without_data_is_none():
    assert engine.project_ratio([(0, 0)], remaining=3) is None
