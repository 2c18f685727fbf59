"""How each indicator kind computes its value (``engine.kinds``): growth on `last`
elements and baselines, counts of evidence, coverage of units, plan tasks, milestones."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from commitments.engine import (
    AT_RISK,
    COUNT,
    FIGURES,
    MET,
    NO_DATA,
    NOT_MET,
    YEAR,
    MilestoneRow,
    PlanTaskRow,
)
from tests.commitments.engine.inputs import (
    DEPT,
    D,
    Y,
    communication_9_2,
    dataset,
    department,
    desk,
    dialogues_5_2,
    eligible_procedures_4_3,
    epayment_4_4,
    ev,
    fig,
    initiatives_4_6,
    iso_8_2,
    one,
    online,
    online_share_4_2,
    periodic_inspections_3_1,
    plan_tasks_1_1,
    published_6_2,
    run,
    spec,
    status_of,
    surprise_inspections_3_2,
    surveyed_6_1,
    unit,
)

# ---------------------------------------------------------------------------
# `last` elements, growth and baselines
# ---------------------------------------------------------------------------


def test_eligible_procedures_take_the_latest_quarter_and_plus_5_percent_exactly_meets():
    """4.3: 2020's latest quarter (Q4: 100) against 2021's latest (Q2: 105) is +5%."""
    data = dataset(
        [department(), unit(2)],
        [
            fig(2, "procedures_online_eligible", 80, quarter=1, year=2020),
            fig(2, "procedures_online_eligible", 90, quarter=2, year=2020),
            fig(2, "procedures_online_eligible", 100, quarter=4, year=2020),
            fig(2, "procedures_online_eligible", 101, quarter=1),
            fig(2, "procedures_online_eligible", 105, quarter=2),
        ],
    )
    row = one(run(eligible_procedures_4_3(), data))
    assert row.detail["current"] == 105
    assert row.detail["baseline"] == 100
    assert row.value == 5
    assert row.status == MET


def test_eligible_procedures_judge_the_latest_quarter_not_the_best_one():
    data = dataset(
        [department(), unit(2)],
        [
            fig(2, "procedures_online_eligible", 100, quarter=4, year=2020),
            fig(2, "procedures_online_eligible", 106, quarter=1),
            fig(2, "procedures_online_eligible", 104, quarter=3),
        ],
    )
    row = one(run(eligible_procedures_4_3(), data))
    assert row.value == 4
    assert row.status == NOT_MET


def test_last_element_of_a_department_adds_each_units_latest_quarter():
    data = dataset(
        [department(), unit(2), unit(3)],
        [
            fig(2, "procedures_online_eligible", 60, quarter=4, year=2020),
            fig(3, "procedures_online_eligible", 40, quarter=4, year=2020),
            fig(2, "procedures_online_eligible", 55, quarter=1),
            fig(2, "procedures_online_eligible", 63, quarter=2),
            fig(3, "procedures_online_eligible", 42, quarter=2),
        ],
    )
    row = one(run(eligible_procedures_4_3(), data))
    assert row.detail["current"] == 105
    assert row.status == MET


def test_baseline_comes_from_the_baseline_years_figures_before_the_targets_value():
    data = dataset(
        [department(), unit(2)],
        [
            fig(2, "procedures_online_eligible", 100, quarter=4, year=2020),
            fig(2, "procedures_online_eligible", 105, quarter=4),
        ],
    )
    row = one(run(eligible_procedures_4_3(baseline_value="50"), data))
    assert row.detail["baseline"] == 100
    assert row.detail["baseline_source"] == "figures"
    assert row.value == 5


def test_baseline_falls_back_to_the_targets_value_without_baseline_year_figures():
    data = dataset([department(), unit(2)], [fig(2, "procedures_online_eligible", 105)])
    row = one(run(eligible_procedures_4_3(baseline_value="100"), data))
    assert row.detail["baseline_source"] == "target"
    assert row.value == 5
    assert row.status == MET


def test_online_share_baseline_falls_back_to_the_targets_value():
    data = dataset([department(), unit(2)], online(2, 6270, 11000))
    row = one(run(online_share_4_2(baseline_value="54"), data))
    assert row.detail["baseline_source"] == "target"
    assert row.value == 3
    assert row.status == MET


@pytest.mark.parametrize("indicator", [eligible_procedures_4_3(), online_share_4_2()])
def test_growth_without_baseline_figures_or_value_is_no_data(indicator):
    data = dataset(
        [department(), unit(2)],
        [fig(2, "procedures_online_eligible", 105), *online(2, 6270, 11000)],
    )
    row = one(run(indicator, data))
    assert row.value is None
    assert row.status == NO_DATA


def test_growth_relative_against_a_zero_baseline_is_no_data():
    data = dataset([department(), unit(2)], [fig(2, "procedures_online_eligible", 10)])
    row = one(run(eligible_procedures_4_3(baseline_value="0"), data))
    assert row.status == NO_DATA


# ---------------------------------------------------------------------------
# Counts (3.2 surprise inspections, 5.2 dialogues)
# ---------------------------------------------------------------------------


def _surprise(subject, date, by=DEPT):
    return ev(by, "inspection_surprise", date, subject)


def test_surprise_inspections_count_distinct_units_inspected_in_the_quarter():
    units = [department(), *(unit(i) for i in range(2, 8))]
    evidence = [
        _surprise(2, D(2021, 4, 5)),
        _surprise(2, D(2021, 5, 20)),  # the same unit again: counts once
        _surprise(3, D(2021, 4, 6)),
        _surprise(4, D(2021, 4, 7)),
        _surprise(5, D(2021, 6, 30)),
        _surprise(6, D(2021, 4, 1), by=2),  # recorded by a division: still the department's
        _surprise(7, D(2021, 3, 31)),  # first quarter
    ]
    rows = run(surprise_inspections_3_2(), dataset(units, evidence=evidence))
    q2 = one(rows, quarter=2)
    assert q2.value == 5
    assert q2.detail == {"records": 6, "units": 5}
    assert q2.status == MET
    assert (one(rows, quarter=1).value, one(rows, quarter=1).status) == (1, NOT_MET)


def test_five_surprise_inspection_records_of_four_units_do_not_meet_five_units():
    units = [department(), *(unit(i) for i in range(2, 6))]
    evidence = [_surprise(s, D(2021, 2, d)) for s, d in [(2, 1), (3, 2), (4, 3), (5, 4), (5, 5)]]
    row = one(run(surprise_inspections_3_2(), dataset(units, evidence=evidence)), quarter=1)
    assert row.value == 4
    assert row.status == NOT_MET


def test_closed_quarter_without_records_counts_zero_and_is_not_met_not_no_data():
    row = one(run(surprise_inspections_3_2(), dataset([department(), unit(2)])), quarter=1)
    assert row.value == 0
    assert row.status == NOT_MET


def test_open_quarter_short_of_the_count_is_at_risk():
    units = [department(), *(unit(i) for i in range(2, 5))]
    evidence = [_surprise(s, D(2021, 4, 10)) for s in (2, 3, 4)]
    rows = run(surprise_inspections_3_2(), dataset(units, evidence=evidence), as_of=D(2021, 5, 15))
    assert one(rows, quarter=2).status == AT_RISK
    assert one(rows, quarter=1).status == NOT_MET


def test_quarter_that_has_not_started_is_no_data():
    rows = run(surprise_inspections_3_2(), dataset([department()]), as_of=D(2021, 5, 15))
    for quarter in (3, 4):
        row = one(rows, quarter=quarter)
        assert (row.value, row.status) == (None, NO_DATA)
        assert row.target == Decimal(5)


def test_dialogue_counts_records_of_the_quarter_alone():
    evidence = [ev(DEPT, "dialogue", D(2021, 3, 15)), ev(2, "dialogue", D(2021, 7, 1))]
    rows = run(dialogues_5_2(), dataset([department(), unit(2)], evidence=evidence))
    assert [one(rows, quarter=q).status for q in (1, 2, 3, 4)] == [MET, NOT_MET, MET, NOT_MET]
    # Judged by quarter: its year row is derived from the quarters (test_year.py).
    assert [r.quarter for r in rows] == [1, 2, 3, 4, YEAR]


def test_count_of_a_figure_sums_it_and_is_no_data_without_figures():
    indicator = spec("x", COUNT, "10", source=FIGURES, element="docs_issued", quarterly=True)
    data = dataset(
        [department(), unit(2), unit(3)],
        [fig(2, "docs_issued", 4), fig(3, "docs_issued", 6), fig(2, "docs_issued", 3, quarter=2)],
    )
    rows = run(indicator, data)
    assert (one(rows, quarter=1).value, one(rows, quarter=1).status) == (10, MET)
    assert (one(rows, quarter=2).value, one(rows, quarter=2).status) == (3, NOT_MET)
    assert one(rows, quarter=3).status == NO_DATA
    assert one(rows, quarter=YEAR).value == 13


# ---------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------


def _ten_divisions_and_affiliated():
    return [
        department(),
        *(unit(i, "division") for i in range(2, 8)),
        *(unit(i, "affiliated_unit") for i in range(8, 12)),
    ]


def test_periodic_inspections_of_3_of_10_divisions_and_affiliated_units_meet_30_percent():
    evidence = [
        ev(DEPT, "inspection_periodic", D(2021, 3, 1), 2),
        ev(DEPT, "inspection_periodic", D(2021, 3, 2), 2),  # same unit twice
        ev(DEPT, "inspection_periodic", D(2021, 8, 1), 8),  # later quarter: year to date
        ev(3, "inspection_periodic", D(2021, 11, 1), 9),  # recorded by a division
    ]
    row = one(
        run(periodic_inspections_3_1(), dataset(_ten_divisions_and_affiliated(), (), evidence))
    )
    assert row.value == 30
    assert row.detail["covered"] == 3
    assert row.detail["units"] == 10  # the department itself is not in scope
    assert row.status == MET


def test_periodic_inspections_of_the_department_itself_do_not_add_coverage():
    evidence = [
        ev(DEPT, "inspection_periodic", D(2021, 3, 1), 2),
        ev(DEPT, "inspection_periodic", D(2021, 3, 1), 3),
        ev(DEPT, "inspection_periodic", D(2021, 3, 1), DEPT),
        ev(DEPT, "inspection_surprise", D(2021, 3, 1), 4),  # a surprise one: other kind
    ]
    row = one(
        run(periodic_inspections_3_1(), dataset(_ten_divisions_and_affiliated(), (), evidence))
    )
    assert row.value == 20
    assert row.status == NOT_MET


def test_initiative_coverage_needs_one_initiative_in_every_division_and_affiliated_unit():
    units = [department(), unit(2), unit(3), unit(4, "affiliated_unit", code="AFF")]
    evidence = [
        ev(2, "initiative", D(2021, 2, 1)),
        ev(2, "initiative", D(2021, 9, 1)),
        ev(3, "initiative", D(2021, 12, 31)),
        ev(DEPT, "initiative", D(2021, 5, 1)),  # the department's own: out of scope
        ev(4, "initiative", D(2020, 12, 31)),  # last year's
    ]
    row = one(run(initiatives_4_6(), dataset(units, evidence=evidence)))
    assert row.value == Fraction(200, 3)
    assert row.detail["missing"] == ["AFF"]
    assert row.status == NOT_MET

    evidence.append(ev(4, "initiative", D(2021, 1, 1)))
    assert status_of(initiatives_4_6(), dataset(units, evidence=evidence)) == MET


def test_communication_product_coverage_counts_every_unit_including_the_department():
    units = [department(), unit(2), unit(3)]
    evidence = [ev(2, "communication_product", D(2021, 4, 1))]
    evidence.append(ev(3, "communication_product", D(2021, 4, 2)))
    row = one(run(communication_9_2(), dataset(units, evidence=evidence)))
    assert row.detail["missing"] == ["DARD"]
    assert row.status == NOT_MET

    evidence.append(ev(DEPT, "communication_product", D(2021, 6, 1)))
    assert status_of(communication_9_2(), dataset(units, evidence=evidence)) == MET


def test_epayment_coverage_reads_each_units_latest_quarter_flag():
    units = [
        department(),
        unit(2, sector="education", public_service=True),
        unit(3, sector="health", public_service=True),
    ]
    figures = [
        fig(2, "epayment_applied", 0, quarter=1),
        fig(2, "epayment_applied", 1, quarter=3),  # applied since Q3: covered
        fig(3, "epayment_applied", 1, quarter=1),
        fig(3, "epayment_applied", 0, quarter=3),  # stopped in Q3: not covered
    ]
    row = one(run(epayment_4_4(), dataset(units, figures)))
    assert row.value == 50
    assert row.detail["missing"] == ["U03"]
    assert row.status == NOT_MET


def test_survey_results_published_are_judged_quarter_by_quarter():
    units = [department(), desk(2), desk(3)]
    figures = [
        fig(2, "survey_published", 1, quarter=1),
        fig(3, "survey_published", 1, quarter=1),
        fig(2, "survey_published", 1, quarter=2),
        fig(3, "survey_published", 0, quarter=2),
    ]
    rows = run(published_6_2(), dataset(units, figures))
    assert one(rows, quarter=1).status == MET
    assert (one(rows, quarter=2).value, one(rows, quarter=2).status) == (50, NOT_MET)
    assert one(rows, quarter=3).status == NO_DATA  # nobody reported the flag


def test_desk_without_survey_figures_did_not_survey():
    units = [department(), desk(2), desk(3), unit(4)]
    figures = [fig(2, "survey_responses", 30), fig(4, "survey_responses", 12)]
    row = one(run(surveyed_6_1(), dataset(units, figures)), quarter=1)
    assert row.value == 50  # desk 3 missing; unit 4 is not a desk
    assert row.detail["missing"] == ["U03"]
    assert row.status == NOT_MET


def test_coverage_of_a_figure_nobody_reported_is_no_data_not_zero():
    units = [department(), unit(2, sector="education", public_service=True)]
    row = one(run(epayment_4_4(), dataset(units)))
    assert (row.value, row.status) == (None, NO_DATA)


def test_coverage_is_at_risk_while_the_year_is_open_and_not_met_after():
    units = [department(), unit(2), unit(3)]
    evidence = [ev(2, "initiative", D(2021, 2, 1))]
    data = dataset(units, evidence=evidence)
    assert status_of(initiatives_4_6(), data, as_of=D(2021, 6, 1)) == AT_RISK
    assert status_of(initiatives_4_6(), data, as_of=D(2022, 1, 1)) == NOT_MET


# ---------------------------------------------------------------------------
# Plan tasks (1.1)
# ---------------------------------------------------------------------------


def test_plan_task_ratio_counts_tasks_done_on_or_before_31_october():
    tasks = [
        PlanTaskRow(DEPT, Y, D(2021, 10, 31)),  # on the deadline: counts
        PlanTaskRow(2, Y, D(2021, 3, 1)),
        PlanTaskRow(2, Y, D(2021, 11, 1)),  # late: does not count
        PlanTaskRow(2, Y, None),  # not done
        PlanTaskRow(2, 2020, D(2020, 5, 1)),  # another year's plan
    ]
    row = one(run(plan_tasks_1_1(), dataset([department(), unit(2)], plan_tasks=tasks)))
    assert row.value == 50
    assert row.detail == {"numerator": 2, "denominator": 4}
    assert row.status == NOT_MET


def test_plan_tasks_all_done_before_1_november_meet_100_percent():
    tasks = [PlanTaskRow(DEPT, Y, D(2021, 6, 1)), PlanTaskRow(2, Y, D(2021, 10, 31))]
    row = one(run(plan_tasks_1_1(), dataset([department(), unit(2)], plan_tasks=tasks)))
    assert (row.value, row.status) == (100, MET)


def test_plan_task_ratio_without_tasks_is_no_data():
    tasks = [PlanTaskRow(DEPT, 2020, D(2020, 6, 1))]
    row = one(run(plan_tasks_1_1(), dataset([department()], plan_tasks=tasks)))
    assert (row.value, row.status) == (None, NO_DATA)


# ---------------------------------------------------------------------------
# Milestones (2.1, 2.2, 8.2)
# ---------------------------------------------------------------------------


def _iso(done_on, has_evidence=True, unit_id=DEPT, indicator="8.2"):
    return MilestoneRow(indicator, unit_id, Y, done_on, has_evidence)


@pytest.mark.parametrize("done_on", [D(2021, 6, 30), D(2021, 12, 31)])
def test_milestone_done_on_or_before_the_deadline_with_evidence_is_met_at_100(done_on):
    data = dataset([department()], milestones=[_iso(done_on)])
    row = one(run(iso_8_2(), data, as_of=D(2022, 1, 5)))
    assert (row.value, row.status) == (100, MET)


def test_milestone_done_without_evidence_is_not_met():
    data = dataset([department()], milestones=[_iso(D(2021, 6, 30), has_evidence=False)])
    row = one(run(iso_8_2(), data))
    assert (row.value, row.status) == (0, NOT_MET)
    assert row.detail["has_evidence"] is False
    # While the year is open the evidence can still be added: not met, only at risk.
    assert status_of(iso_8_2(), data, as_of=D(2021, 7, 1)) == AT_RISK


def test_milestone_done_after_the_deadline_is_not_met():
    indicator = iso_8_2(deadline=D(2021, 9, 30))
    data = dataset([department()], milestones=[_iso(D(2021, 10, 1))])
    row = one(run(indicator, data, as_of=D(2021, 10, 2)))
    assert (row.value, row.status) == (0, NOT_MET)


def test_milestone_not_done_is_at_risk_while_open_and_not_met_after_the_deadline():
    data = dataset([department()], milestones=[_iso(None)])
    assert status_of(iso_8_2(), data, as_of=D(2021, 12, 31)) == AT_RISK
    assert status_of(iso_8_2(), data, as_of=D(2022, 1, 1)) == NOT_MET


def test_milestone_of_another_indicator_does_not_count():
    data = dataset([department()], milestones=[_iso(D(2021, 6, 1), indicator="2.1")])
    assert status_of(iso_8_2(), data) == NOT_MET
