"""What approving a report would change (``engine.review``): the report's figures
counted as official, a unit's subtree as a tree of its own, the unit's own results,
and the figures far from the unit's history."""

from __future__ import annotations

from fractions import Fraction

from commitments import engine
from commitments.engine import MET, NOT_MET, YEAR
from tests.commitments.engine.inputs import (
    DEPT,
    dataset,
    department,
    desk,
    fig,
    on_time,
    on_time_5_1,
    one,
    online,
    online_share_4_2,
    run,
    surveyed_6_1,
    unit,
)

# --- the report's figures counted as official ------------------------------------------


def test_the_reports_figures_replace_the_official_ones_of_its_unit_and_quarter():
    official = [
        fig(2, "dossiers_resolved", 100, quarter=2),  # kept from its last approval
        fig(2, "dossiers_resolved", 80, quarter=1),
        fig(3, "dossiers_resolved", 50, quarter=2),
    ]
    typed = [
        fig(2, "dossiers_resolved", 120, quarter=2),
        fig(2, "dossiers_on_time", 118, quarter=2),
        fig(2, "dossiers_resolved", 81, quarter=1),  # another quarter's draft: not counted
        fig(3, "dossiers_resolved", 55, quarter=2),  # another unit's draft: not counted
    ]
    counted = engine.counted_as_official(official, typed, unit_id=2, year=2021, quarter=2)
    assert sorted(counted, key=lambda f: (f.unit_id, f.quarter, f.element)) == [
        fig(2, "dossiers_resolved", 80, quarter=1),
        fig(2, "dossiers_on_time", 118, quarter=2),
        fig(2, "dossiers_resolved", 120, quarter=2),
        fig(3, "dossiers_resolved", 50, quarter=2),
    ]


def test_a_figure_emptied_on_the_report_is_gone_once_approved():
    official = [fig(2, "survey_responses", 40, quarter=2)]
    assert engine.counted_as_official(official, [], unit_id=2, year=2021, quarter=2) == []


def test_approving_a_desk_that_surveyed_makes_the_department_meet_6_1():
    units = [department(), desk(2), desk(3)]
    official = [fig(2, "survey_responses", 40, quarter=2)]
    typed = [*official, fig(3, "survey_responses", 12, quarter=2)]
    before = one(run(surveyed_6_1(), dataset(units, official)), quarter=2)
    counted = engine.counted_as_official(official, typed, unit_id=3, year=2021, quarter=2)
    after = one(run(surveyed_6_1(), dataset(units, counted)), quarter=2)
    assert (before.status, after.status) == (NOT_MET, MET)


# --- a subtree as a tree of its own ---------------------------------------------------------


def test_a_subtree_is_reported_on_as_a_department():
    units = [department(), unit(2), desk(3, parent=2), desk(4)]
    figures = [*on_time(3, 90, 100), *on_time(4, 10, 100)]
    mine = engine.subtree(dataset(units, figures), 2)
    assert {u.id for u in mine.units} == {2, 3}
    assert next(u for u in mine.units if u.id == 2).parent_id is None
    row = one(run(engine.at_top(on_time_5_1()), mine), unit_id=2)
    assert row.value == Fraction(90)  # the division's desk only, not unit 4's


# --- a unit's own results -------------------------------------------------------------------


def test_a_units_own_online_share_grows_on_its_own_baseline_not_the_departments_value():
    units = [department(), desk(2)]
    figures = [*online(2, 30, 100, year=2020), *online(2, 40, 100, quarter=3)]
    indicator = engine.own_results(online_share_4_2(baseline_value="50"))
    rows = run(indicator, engine.subtree(dataset(units, figures), 2))
    third = one(rows, unit_id=2, quarter=3)
    assert third.value == Fraction(10)  # 40% in Q3 against the desk's 30% of 2020
    assert third.status == MET


def test_own_results_are_judged_each_quarter():
    rows = run(engine.own_results(online_share_4_2()), dataset([department()]))
    assert {r.quarter for r in rows} == {1, 2, 3, 4, YEAR}


def test_the_quarter_before_the_first_is_computed_in_the_year_before():
    units = [department(), desk(2)]
    data = dataset(units, on_time(2, 99, 100, quarter=4, year=2020))
    rows = run(engine.in_year(engine.at_top(on_time_5_1()), 2020), data, year=2020)
    assert one(rows, unit_id=DEPT, quarter=4).value == Fraction(99)


def test_only_indicators_of_figures_wait_for_an_approval():
    assert engine.reads_figures(on_time_5_1())
    assert not engine.reads_figures(
        engine.IndicatorSpec(
            code="5.2", kind="count", target=on_time_5_1().target, source="evidence"
        )
    )


# --- figures far from the unit's history ---------------------------------------------------


def test_more_than_three_times_the_median_is_flagged_high():
    flagged = engine.outlier(3700, [1201, 1180, 1250, 1190])
    assert flagged is not None and flagged.high
    assert flagged.median == Fraction(1195, 1) + Fraction(1, 2)
    assert flagged.quarters == 4


def test_three_times_exactly_is_not_flagged():
    assert engine.outlier(300, [100, 100, 100, 100]) is None
    assert engine.outlier(301, [100, 100, 100, 100]).high


def test_under_a_third_of_the_median_is_flagged_low():
    flagged = engine.outlier(33, [100, 100, None, 100])
    assert flagged is not None and not flagged.high
    assert flagged.times == Fraction(33, 100)
    assert engine.outlier(34, [100, 100, 100]) is None  # 34 · 3 = 102: not under


def test_a_zero_after_regular_figures_is_flagged_low():
    assert not engine.outlier(0, [40, 38, 45, 41]).high


def test_no_flag_without_two_quarters_of_history_or_with_a_median_of_zero():
    assert engine.outlier(5000, [100, None, None, None]) is None
    assert engine.outlier(5000, []) is None
    assert engine.outlier(50, [0, 0, 0, 1]) is None
    assert engine.outlier(None, [100, 100]) is None


def test_the_four_quarters_before_cross_the_year():
    assert engine.previous_quarters(2021, 2) == [(2021, 1), (2020, 4), (2020, 3), (2020, 2)]
