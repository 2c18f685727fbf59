"""Aggregation up the tree (``engine.tree``): Σ/Σ over the units below, the quarters so
far and the year to date, and only over the units in an indicator's scope."""

from __future__ import annotations

from fractions import Fraction

from commitments.engine import AT_RISK, MET, NO_DATA, NOT_APPLICABLE, NOT_MET, YEAR
from tests.commitments.engine.inputs import (
    DEPT,
    D,
    dataset,
    department,
    desk,
    eligible_procedures_4_3,
    epayment_4_4,
    ev,
    fig,
    one,
    periodic_inspections_3_1,
    run,
    satisfaction_4_1,
    status_of,
    survey,
    unit,
)

# ---------------------------------------------------------------------------
# Ratios: Σ/Σ over units, quarters and the year to date
# ---------------------------------------------------------------------------


def test_department_ratio_is_sum_over_sum_not_the_average_of_unit_percentages():
    """Desk A: 10 of 10 (100%); desk B: 82 of 100 (82%). The average of the two
    percentages is 91 (would meet); Σ/Σ is 92 of 110 = 83.6% (does not)."""
    data = dataset([department(), desk(2), desk(3)], [*survey(2, 10, 10), *survey(3, 82, 100)])
    rows = run(satisfaction_4_1(), data)
    assert one(rows, unit_id=2).value == 100
    assert one(rows, unit_id=3).value == 82
    dept = one(rows)
    assert dept.value == Fraction(9200, 110)
    assert dept.detail == {"numerator": 92, "denominator": 110}
    assert dept.status == NOT_MET


def test_ratio_over_a_deeper_tree_adds_every_unit_below():
    data = dataset(
        [department(), unit(2, receives=True), desk(3, parent=2), desk(4, parent=3)],
        [*survey(2, 50, 50), *survey(3, 30, 50), *survey(4, 40, 50)],
    )
    rows = run(satisfaction_4_1(), data)
    assert one(rows, unit_id=3).value == Fraction(7000, 100)  # 3 and 4: 70 of 100
    assert one(rows, unit_id=2).value == 80  # 2, 3 and 4: 120 of 150
    assert one(rows).value == 80


def test_year_row_adds_the_quarters_so_far_and_a_quarter_row_is_that_quarter_alone():
    data = dataset(
        [department(), desk(2)],
        [*survey(2, 95, 100, quarter=1), *survey(2, 170, 200, quarter=2)],
    )
    rows = run(satisfaction_4_1(), data, as_of=D(2021, 7, 10))
    assert (one(rows, quarter=1).value, one(rows, quarter=1).status) == (95, MET)
    assert (one(rows, quarter=2).value, one(rows, quarter=2).status) == (85, NOT_MET)
    year = one(rows, quarter=YEAR)
    assert year.value == Fraction(26500, 300)  # 265 of 300, not the mean of 95 and 85
    assert year.status == AT_RISK  # the year is still open
    assert one(rows, quarter=3).status == NO_DATA  # started, nothing entered yet
    assert one(rows, quarter=4).status == NO_DATA  # not started


def test_year_to_date_leaves_out_figures_of_a_quarter_that_has_not_started():
    """ "The quarters so far": as of May, third-quarter figures already keyed in count
    neither in the Q3 row (not started: no data) nor in the year to date."""
    data = dataset(
        [department(), desk(2)],
        [*survey(2, 95, 100, quarter=1), *survey(2, 0, 900, quarter=3)],
    )
    rows = run(satisfaction_4_1(), data, as_of=D(2021, 5, 15))
    assert one(rows, quarter=3).status == NO_DATA
    year = one(rows, quarter=YEAR)
    assert (year.value, year.status) == (95, MET)
    # Once the third quarter has begun its figures count.
    later = one(run(satisfaction_4_1(), data, as_of=D(2021, 7, 1)), quarter=YEAR)
    assert later.value == Fraction(9500, 1000)


def test_year_to_date_of_a_last_element_ignores_a_quarter_that_has_not_started():
    data = dataset(
        [department(), unit(2)],
        [
            fig(2, "procedures_online_eligible", 100, quarter=4, year=2020),
            fig(2, "procedures_online_eligible", 105, quarter=1),
            fig(2, "procedures_online_eligible", 90, quarter=4),
        ],
    )
    row = one(run(eligible_procedures_4_3(), data, as_of=D(2021, 6, 30)))
    assert (row.detail["current"], row.status) == (105, MET)


def test_ratio_whose_denominator_has_no_figures_is_no_data():
    data = dataset([department(), desk(2)], [fig(2, "survey_satisfied", 40)])
    row = one(run(satisfaction_4_1(), data))
    assert row.value is None
    assert row.status == NO_DATA


def test_ratio_with_a_denominator_but_no_numerator_figure_is_zero_percent():
    data = dataset([department(), desk(2)], [fig(2, "survey_responses", 40)])
    row = one(run(satisfaction_4_1(), data))
    assert row.value == 0
    assert row.status == NOT_MET


# ---------------------------------------------------------------------------
# Scope
# ---------------------------------------------------------------------------


def test_unit_out_of_a_unit_level_indicators_scope_is_not_applicable():
    data = dataset(
        [department(), desk(2), unit(3)],
        [*survey(2, 95, 100), *survey(3, 10, 100)],
    )
    rows = run(satisfaction_4_1(), data)
    for quarter in (1, 2, 3, 4, YEAR):
        row = one(rows, unit_id=3, quarter=quarter)
        assert (row.status, row.value) == (NOT_APPLICABLE, None)
    assert one(rows, unit_id=2).status == MET


def test_department_row_sums_only_the_units_in_scope():
    data = dataset(
        [department(), desk(2), unit(3)],
        [*survey(2, 95, 100), *survey(3, 10, 100)],  # unit 3 does not receive dossiers
    )
    row = one(run(satisfaction_4_1(), data))
    assert row.value == 95
    assert row.status == MET


def test_epayment_counts_only_public_service_units_of_education_and_health():
    units = [
        department(),
        unit(2, sector="education", public_service=True),
        unit(3, sector="health", public_service=True),
        unit(4, sector="agriculture", public_service=True),  # other sector
        unit(5, sector="education", public_service=False),  # not a public-service unit
    ]
    figures = [
        fig(2, "epayment_applied", 1),
        fig(3, "epayment_applied", 1),
        fig(4, "epayment_applied", 0),
        fig(5, "epayment_applied", 0),
    ]
    row = one(run(epayment_4_4(), dataset(units, figures)))
    assert row.value == 100
    assert row.detail["units"] == 2
    assert row.status == MET


def test_coverage_of_an_empty_population_is_not_applicable():
    data = dataset([department()], evidence=[ev(DEPT, "inspection_periodic", D(2021, 3, 1), 1)])
    assert status_of(periodic_inspections_3_1(), data) == NOT_APPLICABLE


def test_indicator_reports_each_department_of_the_dataset_on_its_own_units():
    data = dataset(
        [department(1, "A"), desk(2, parent=1), department(5, "B"), desk(6, parent=5)],
        [*survey(2, 95, 100), *survey(6, 50, 100)],
    )
    rows = run(satisfaction_4_1(level="department"), data)
    assert {r.unit_id for r in rows} == {1, 5}
    assert one(rows, unit_id=1).status == MET
    assert one(rows, unit_id=5).status == NOT_MET


def test_two_sheets_numbering_an_indicator_alike_judge_each_department_on_its_own_target():
    """Sheets number their indicators alike: the 4.1 of department A (91%) and of B
    (60%) are two indicators, each judging its own department's units, whole or in
    parts of the tree (``rows_for``)."""
    from dataclasses import replace

    data = dataset(
        [department(1, "A"), desk(2, parent=1), department(5, "B"), desk(6, parent=5)],
        [*survey(2, 70, 100), *survey(6, 70, 100)],
    )
    sheets = [
        replace(satisfaction_4_1("91"), departments=frozenset({1})),
        replace(satisfaction_4_1("60"), departments=frozenset({5})),
    ]
    for rows_for in (None, frozenset({2}), frozenset({6}), frozenset({1, 2, 5, 6})):
        rows = run(sheets, replace(data, rows_for=rows_for))
        judged = {(r.unit_id, r.target, r.status) for r in rows if r.quarter == YEAR}
        expected = {(1, 91, NOT_MET), (2, 91, NOT_MET), (5, 60, MET), (6, 60, MET)}
        assert judged == {row for row in expected if rows_for is None or row[0] in rows_for}
