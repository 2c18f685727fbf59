"""The rules of DOMAIN.md, one test each, against the pure engine (no database).

Every test builds small frozen inputs with the helpers below, runs
``engine.compute_statuses`` and reads the one row it cares about. Indicators are built
like the 2021 DARD catalogue's (same kinds, elements, scopes and targets) so a test's
name can say which commitment it speaks of.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from commitments import engine
from commitments.engine import (
    AT_RISK,
    COUNT,
    COVERAGE,
    ELEMENT_AT_LEAST,
    EVIDENCE,
    FIGURES,
    GE,
    GROWTH_POINTS,
    GROWTH_RELATIVE,
    GT,
    HAS_EVIDENCE,
    LEVEL_UNIT,
    MET,
    MILESTONE,
    MILESTONES,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    PLAN_TASKS,
    RATIO,
    SUBJECT_OF_EVIDENCE,
    TRACKED,
    YEAR,
    Dataset,
    EvidenceRow,
    FigureRow,
    IndicatorSpec,
    MilestoneRow,
    Override,
    PlanTaskRow,
    StatusRow,
    TargetSpec,
    UnitFilter,
    UnitNode,
)

D = dt.date
Y = 2021
CLOSED = D(2022, 1, 15)  # every period of 2021 is over
DEPT = 1

# The data elements of the 2021 catalogue and how they aggregate over time.
AGGREGATIONS = {
    "dossiers_received": "sum",
    "dossiers_online": "sum",
    "dossiers_resolved": "sum",
    "dossiers_on_time": "sum",
    "procedures_online_eligible": "last",
    "survey_responses": "sum",
    "survey_satisfied": "sum",
    "survey_published": "last",
    "feedback_due": "sum",
    "feedback_on_time": "sum",
    "feedback_handled": "sum",
    "feedback_published": "sum",
    "epayment_applied": "last",
    "website_reform_section": "last",
    "docs_issued": "sum",
    "docs_signed_digitally": "sum",
}

DIVISIONS_AND_AFFILIATED = frozenset({"division", "affiliated_unit"})
RECEIVING = UnitFilter(receives_dossiers=True)


# ---------------------------------------------------------------------------
# Helpers: units, figures, evidence, indicators, running the engine
# ---------------------------------------------------------------------------


def department(id: int = DEPT, code: str = "DARD", **attrs) -> UnitNode:
    return UnitNode(id=id, code=code, parent_id=None, kind="department", **attrs)


def unit(
    id: int,
    kind: str = "division",
    *,
    parent: int = DEPT,
    sector: str = "agriculture",
    public_service: bool = False,
    receives: bool = False,
    code: str | None = None,
) -> UnitNode:
    return UnitNode(
        id=id,
        code=code or f"U{id:02d}",
        parent_id=parent,
        kind=kind,
        sector=sector,
        public_service=public_service,
        receives_dossiers=receives,
    )


def desk(id: int, **attrs) -> UnitNode:
    """A receiving unit (bộ phận tiếp nhận)."""
    return unit(id, receives=True, **attrs)


def fig(unit_id, element, value, *, quarter=1, year=Y, category=None) -> FigureRow:
    return FigureRow(
        year=year,
        quarter=quarter,
        unit_id=unit_id,
        element=element,
        category=category,
        value=value,
    )


def pair(unit_id, num_element, num, den_element, den, **where) -> list[FigureRow]:
    """A numerator and its denominator for one unit, quarter and category."""
    return [fig(unit_id, num_element, num, **where), fig(unit_id, den_element, den, **where)]


def on_time(unit_id, on_time_count, resolved, **where) -> list[FigureRow]:
    return pair(unit_id, "dossiers_on_time", on_time_count, "dossiers_resolved", resolved, **where)


def survey(unit_id, satisfied, responses, **where) -> list[FigureRow]:
    return pair(unit_id, "survey_satisfied", satisfied, "survey_responses", responses, **where)


def online(unit_id, online_count, received, **where) -> list[FigureRow]:
    return pair(unit_id, "dossiers_online", online_count, "dossiers_received", received, **where)


def ev(unit_id, kind, date, subject=None) -> EvidenceRow:
    return EvidenceRow(unit_id=unit_id, kind=kind, date=date, subject_unit_id=subject)


def dataset(units, figures=(), evidence=(), plan_tasks=(), milestones=()) -> Dataset:
    return Dataset(
        units=list(units),
        aggregations=AGGREGATIONS,
        figures=list(figures),
        evidence=list(evidence),
        plan_tasks=list(plan_tasks),
        milestones=list(milestones),
    )


def spec(
    code: str,
    kind: str,
    threshold: str | None = "100",
    comparator: str | None = GE,
    *,
    year: int = Y,
    deadline: dt.date | None = None,
    baseline_year: int | None = None,
    baseline_value: str | None = None,
    overrides: tuple[Override, ...] = (),
    **fields,
) -> IndicatorSpec:
    target = TargetSpec(
        year=year,
        threshold=None if threshold is None else Decimal(threshold),
        comparator=None if threshold is None else comparator,
        deadline=deadline,
        baseline_year=baseline_year,
        baseline_value=None if baseline_value is None else Decimal(baseline_value),
        overrides=overrides,
    )
    return IndicatorSpec(code=code, kind=kind, target=target, **fields)


def override(threshold: str, comparator: str = GE, **where) -> Override:
    return Override(threshold=Decimal(threshold), comparator=comparator, **where)


# Indicators shaped like the 2021 DARD catalogue's.


def plan_tasks_1_1(**kw) -> IndicatorSpec:
    return spec("1.1", RATIO, "100", source=PLAN_TASKS, deadline=D(2021, 10, 31), **kw)


def periodic_inspections_3_1(**kw) -> IndicatorSpec:
    return spec(
        "3.1",
        COVERAGE,
        "30",
        source=EVIDENCE,
        coverage_rule=SUBJECT_OF_EVIDENCE,
        evidence_kind="inspection_periodic",
        scope=UnitFilter(kinds=DIVISIONS_AND_AFFILIATED),
        **kw,
    )


def surprise_inspections_3_2(**kw) -> IndicatorSpec:
    return spec(
        "3.2",
        COUNT,
        "5",
        source=EVIDENCE,
        evidence_kind="inspection_surprise",
        distinct_subjects=True,
        quarterly=True,
        yearly=False,
        **kw,
    )


def satisfaction_4_1(threshold="91", **kw) -> IndicatorSpec:
    kw.setdefault("scope", RECEIVING)
    kw.setdefault("level", LEVEL_UNIT)
    return spec(
        "4.1",
        RATIO,
        threshold,
        numerator="survey_satisfied",
        denominator="survey_responses",
        quarterly=True,
        **kw,
    )


def online_share_4_2(**kw) -> IndicatorSpec:
    kw.setdefault("baseline_year", 2020)
    return spec(
        "4.2",
        GROWTH_POINTS,
        "3",
        numerator="dossiers_online",
        denominator="dossiers_received",
        **kw,
    )


def eligible_procedures_4_3(**kw) -> IndicatorSpec:
    kw.setdefault("baseline_year", 2020)
    return spec("4.3", GROWTH_RELATIVE, "5", element="procedures_online_eligible", **kw)


def epayment_4_4(**kw) -> IndicatorSpec:
    return spec(
        "4.4",
        COVERAGE,
        "95",
        GT,  # "trên 95%": strictly more than 95
        coverage_rule=ELEMENT_AT_LEAST,
        element="epayment_applied",
        scope=UnitFilter(sectors=frozenset({"education", "health"}), public_service=True),
        **kw,
    )


def epayment_desks_4_5(**kw) -> IndicatorSpec:
    return spec(
        "4.5",
        COVERAGE,
        None,
        tracked=True,
        coverage_rule=ELEMENT_AT_LEAST,
        element="epayment_applied",
        scope=RECEIVING,
        **kw,
    )


def initiatives_4_6(**kw) -> IndicatorSpec:
    return spec(
        "4.6",
        COVERAGE,
        "100",
        source=EVIDENCE,
        coverage_rule=HAS_EVIDENCE,
        evidence_kind="initiative",
        scope=UnitFilter(kinds=DIVISIONS_AND_AFFILIATED),
        **kw,
    )


FIELD_OVERRIDES = (
    override("96", category="land"),
    override("96", category="investment"),
)


def on_time_5_1(**kw) -> IndicatorSpec:
    kw.setdefault("overrides", FIELD_OVERRIDES)
    kw.setdefault("scope", RECEIVING)
    kw.setdefault("level", LEVEL_UNIT)
    return spec(
        "5.1",
        RATIO,
        "98",
        numerator="dossiers_on_time",
        denominator="dossiers_resolved",
        per_category=True,
        quarterly=True,
        **kw,
    )


def dialogues_5_2(**kw) -> IndicatorSpec:
    return spec(
        "5.2",
        COUNT,
        "1",
        source=EVIDENCE,
        evidence_kind="dialogue",
        quarterly=True,
        yearly=False,
        **kw,
    )


def surveyed_6_1(**kw) -> IndicatorSpec:
    return spec(
        "6.1",
        COVERAGE,
        "100",
        coverage_rule=ELEMENT_AT_LEAST,
        element="survey_responses",
        quarterly=True,
        yearly=False,
        scope=RECEIVING,
        **kw,
    )


def published_6_2(**kw) -> IndicatorSpec:
    return spec(
        "6.2",
        COVERAGE,
        "100",
        coverage_rule=ELEMENT_AT_LEAST,
        element="survey_published",
        quarterly=True,
        yearly=False,
        scope=RECEIVING,
        **kw,
    )


def feedback_7_1(**kw) -> IndicatorSpec:
    return spec(
        "7.1",
        RATIO,
        "100",
        numerator="feedback_on_time",
        denominator="feedback_due",
        per_category=True,
        quarterly=True,
        **kw,
    )


def signed_digitally_8_1(threshold=None, **kw) -> IndicatorSpec:
    return spec(
        "8.1",
        RATIO,
        threshold,
        numerator="docs_signed_digitally",
        denominator="docs_issued",
        tracked=True,
        quarterly=True,
        level=LEVEL_UNIT,
        **kw,
    )


def iso_8_2(**kw) -> IndicatorSpec:
    kw.setdefault("deadline", D(2021, 12, 31))
    return spec("8.2", MILESTONE, "100", source=MILESTONES, **kw)


def communication_9_2(**kw) -> IndicatorSpec:
    return spec(
        "9.2",
        COVERAGE,
        "100",
        source=EVIDENCE,
        coverage_rule=HAS_EVIDENCE,
        evidence_kind="communication_product",
        **kw,
    )


def run(indicators, data: Dataset, *, as_of: dt.date = CLOSED, year: int = Y):
    if isinstance(indicators, IndicatorSpec):
        indicators = [indicators]
    return engine.compute_statuses(indicators, data, year=year, as_of=as_of)


def one(rows, *, unit_id=DEPT, quarter=YEAR, category="", indicator=None) -> StatusRow:
    """The single row of a unit, period and category (and indicator, if given)."""
    found = [
        r
        for r in rows
        if r.unit_id == unit_id
        and r.quarter == quarter
        and r.category == category
        and (indicator is None or r.indicator == indicator)
    ]
    assert len(found) == 1, f"expected one row, found {found}"
    return found[0]


def status_of(indicator, data, *, as_of=CLOSED, **where) -> str:
    return one(run(indicator, data, as_of=as_of), **where).status


# ---------------------------------------------------------------------------
# Periods, labels, combine
# ---------------------------------------------------------------------------


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


def test_combine_is_met_only_when_every_judged_part_is_met():
    assert engine.combine([MET, MET]) == MET
    assert engine.combine([MET, NOT_MET, MET]) == NOT_MET


def test_combine_not_met_outweighs_at_risk_and_at_risk_outweighs_met():
    assert engine.combine([AT_RISK, NOT_MET]) == NOT_MET
    assert engine.combine([MET, AT_RISK]) == AT_RISK


def test_combine_ignores_parts_without_data_and_is_no_data_when_none_has_any():
    assert engine.combine([MET, NO_DATA]) == MET
    assert engine.combine([NO_DATA, NOT_APPLICABLE]) == NO_DATA
    assert engine.combine([]) == NO_DATA


def test_judge_without_a_value_is_no_data_and_a_tracked_value_is_never_judged():
    assert engine.judge(None, Decimal(91), GE, is_open=False) == NO_DATA
    assert engine.judge(Fraction(1), Decimal(91), GE, is_open=False, tracked=True) == TRACKED
    assert engine.judge(Fraction(1), None, None, is_open=False) == TRACKED
    assert engine.judge(Fraction(90), Decimal(91), GE, is_open=True) == AT_RISK
    assert engine.judge(Fraction(90), Decimal(91), GE, is_open=False) == NOT_MET


# ---------------------------------------------------------------------------
# Comparators and exact arithmetic
# ---------------------------------------------------------------------------


def test_compare_ge_meets_at_exactly_the_threshold_and_gt_does_not():
    assert engine.compare(Fraction(95), Decimal("95"), GE)
    assert not engine.compare(Fraction(95), Decimal("95"), GT)
    assert engine.compare(Fraction(9501, 100), Decimal("95"), GT)


def test_compare_refuses_an_unknown_comparator():
    with pytest.raises(ValueError, match="comparator"):
        engine.compare(Fraction(1), Decimal(1), "=>")


def test_satisfaction_at_exactly_91_percent_meets_91_or_more():
    data = dataset([department(), desk(2)], survey(2, 91, 100))
    row = one(run(satisfaction_4_1(), data))
    assert row.value == 91
    assert row.status == MET


def test_satisfaction_at_90_9_percent_does_not_meet_91():
    data = dataset([department(), desk(2)], survey(2, 909, 1000))
    assert status_of(satisfaction_4_1(), data) == NOT_MET


def test_epayment_at_exactly_95_percent_does_not_meet_more_than_95():
    """4.4 "trên 95%": 19 of 20 units is 95% exactly, which is not *more than* 95%."""
    schools = [unit(10 + i, sector="education", public_service=True) for i in range(20)]
    figures = [fig(u.id, "epayment_applied", 0 if i == 0 else 1) for i, u in enumerate(schools)]
    row = one(run(epayment_4_4(), dataset([department(), *schools], figures)))
    assert row.value == 95
    assert row.comparator == GT
    assert row.status == NOT_MET


def test_epayment_just_above_95_percent_meets_more_than_95():
    schools = [unit(10 + i, sector="health", public_service=True) for i in range(21)]
    figures = [fig(u.id, "epayment_applied", 0 if i == 0 else 1) for i, u in enumerate(schools)]
    row = one(run(epayment_4_4(), dataset([department(), *schools], figures)))
    assert row.value == Fraction(2000, 21)  # 95.238...
    assert row.status == MET


def test_online_share_up_exactly_3_points_meets_plus_3_without_float_error():
    """6,270 of 11,000 (57%) in 2021 against 5,400 of 10,000 (54%) in 2020: +3.00."""
    # Floats would get this wrong: the difference comes out just below 3.
    assert (6270 / 11000 - 5400 / 10000) * 100 < 3
    data = dataset(
        [department(), unit(2), unit(3)],
        [
            *online(2, 2700, 5000, quarter=1, year=2020),
            *online(3, 2700, 5000, quarter=3, year=2020),
            *online(2, 3000, 5000, quarter=1),
            *online(3, 3270, 6000, quarter=2),
        ],
    )
    row = one(run(online_share_4_2(), data))
    assert row.value == Fraction(3)
    assert row.detail["baseline"] == Fraction(54)
    assert row.detail["baseline_source"] == "figures"
    assert row.status == MET


def test_online_share_up_2_99_points_does_not_meet_plus_3():
    data = dataset(
        [department(), unit(2)],
        [*online(2, 5400, 10000, year=2020), *online(2, 6269, 11000)],
    )
    row = one(run(online_share_4_2(), data))
    assert row.value < 3
    assert row.status == NOT_MET


def test_on_time_rate_of_97_99999_percent_does_not_meet_98():
    data = dataset([department(), desk(2)], on_time(2, 9_799_999, 10_000_000, category="crop"))
    row = one(run(on_time_5_1(), data), category="crop")
    assert row.value == Fraction(9_799_999, 100_000)
    assert row.status == NOT_MET


def test_on_time_rate_a_float_would_round_up_to_98_still_does_not_meet_98():
    num, den = 98 * 10**18 - 1, 10**20
    assert 100 * num / den == 98.0  # a float comparison would say "met"
    data = dataset([department(), desk(2)], on_time(2, num, den, category="crop"))
    assert status_of(on_time_5_1(), data, category="crop") == NOT_MET


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
# Per category (5.1 "in each field", 7.1 each channel)
# ---------------------------------------------------------------------------


def test_land_meets_96_but_not_98():
    data = dataset([department(), desk(2)], on_time(2, 965, 1000, category="land"))
    row = one(run(on_time_5_1(), data), category="land")
    assert row.value == Fraction(965, 10)
    assert row.target == Decimal(96)
    assert row.status == MET


def test_investment_below_96_does_not_meet_its_override():
    data = dataset([department(), desk(2)], on_time(2, 959, 1000, category="investment"))
    row = one(run(on_time_5_1(), data), category="investment")
    assert row.target == Decimal(96)
    assert row.status == NOT_MET


def test_crop_at_97_fails_98():
    data = dataset([department(), desk(2)], on_time(2, 97, 100, category="crop"))
    row = one(run(on_time_5_1(), data), category="crop")
    assert row.target == Decimal(98)
    assert row.status == NOT_MET


def test_whole_indicator_is_not_met_when_one_field_fails_though_sum_over_sum_reaches_98():
    data = dataset(
        [department(), desk(2)],
        [*on_time(2, 97, 100, category="crop"), *on_time(2, 990, 1000, category="fisheries")],
    )
    rows = run(on_time_5_1(), data)
    whole = one(rows)
    assert whole.value == Fraction(108700, 1100)  # 98.8%: Σ/Σ, shown for context
    assert whole.status == NOT_MET
    assert one(rows, category="fisheries").status == MET
    assert whole.detail["behind"] == ["crop"]  # the field that holds the whole back


def test_whole_indicator_is_met_when_every_field_meets_its_own_target_though_sum_is_below_98():
    data = dataset(
        [department(), desk(2)],
        [*on_time(2, 965, 1000, category="land"), *on_time(2, 99, 100, category="crop")],
    )
    whole = one(run(on_time_5_1(), data))
    assert whole.value == Fraction(106400, 1100)  # 96.7%, below the default 98
    assert whole.target == Decimal(98)
    assert whole.status == MET


def test_whole_value_is_sum_over_sum_over_all_fields_and_desks():
    data = dataset(
        [department(), desk(2), desk(3)],
        [
            *on_time(2, 99, 100, category="crop"),
            *on_time(3, 1, 1, category="crop"),
            *on_time(3, 485, 500, category="land"),
        ],
    )
    rows = run(on_time_5_1(), data)
    assert one(rows).value == Fraction(100 * 585, 601)
    assert one(rows).detail == {"numerator": 585, "denominator": 601, "behind": []}
    assert one(rows, category="crop").value == Fraction(100 * 100, 101)


def test_fields_without_data_create_no_rows():
    data = dataset(
        [department(), desk(2)],
        [
            *on_time(2, 99, 100, category="crop", quarter=1),
            *on_time(2, 97, 100, category="land", quarter=2),
        ],
    )
    rows = [r for r in run(on_time_5_1(), data) if r.unit_id == DEPT]
    categories = {(r.quarter, r.category) for r in rows}
    assert categories == {
        (1, ""),
        (1, "crop"),
        (2, ""),
        (2, "land"),
        (3, ""),
        (4, ""),
        (YEAR, ""),
        (YEAR, "crop"),
        (YEAR, "land"),
    }
    assert one(rows, quarter=3).status == NO_DATA


def test_field_with_zero_dossiers_is_no_data_and_does_not_decide_the_whole():
    data = dataset(
        [department(), desk(2)],
        [*on_time(2, 99, 100, category="crop"), *on_time(2, 0, 0, category="forestry")],
    )
    rows = run(on_time_5_1(), data)
    assert one(rows, category="forestry").status == NO_DATA
    assert one(rows).status == MET


def test_each_desk_has_its_own_field_rows_judged_on_its_own_dossiers():
    data = dataset(
        [department(), desk(2), desk(3)],
        [*on_time(2, 90, 100, category="land"), *on_time(3, 100, 100, category="land")],
    )
    rows = run(on_time_5_1(), data)
    assert one(rows, unit_id=2, category="land").status == NOT_MET
    assert one(rows, unit_id=3, category="land").status == MET
    assert one(rows, category="land").value == 95
    assert one(rows, category="land").status == NOT_MET


def test_feedback_each_channel_must_be_handled_on_time():
    data = dataset(
        [department(), unit(2)],
        [
            *pair(2, "feedback_on_time", 10, "feedback_due", 10, category="national_portal"),
            *pair(2, "feedback_on_time", 9, "feedback_due", 10, category="portal_1022"),
        ],
    )
    rows = run(feedback_7_1(), data)
    assert one(rows, category="national_portal").status == MET
    assert one(rows, category="portal_1022").status == NOT_MET
    assert one(rows).status == NOT_MET
    assert one(rows, quarter=1).status == NOT_MET


# ---------------------------------------------------------------------------
# Scoped overrides
# ---------------------------------------------------------------------------


def test_category_override_beats_the_default_threshold():
    target = TargetSpec(Y, Decimal(98), GE, overrides=FIELD_OVERRIDES)
    assert target.resolve(desk(2), "land") == (Decimal(96), GE)
    assert target.resolve(desk(2), "crop") == (Decimal(98), GE)
    assert target.resolve(desk(2), None) == (Decimal(98), GE)


def test_sector_override_applies_to_the_units_of_that_sector_only():
    indicator = satisfaction_4_1(overrides=(override("80", unit_sector="health"),))
    data = dataset(
        [department(), desk(2, sector="health"), desk(3, sector="agriculture")],
        [*survey(2, 85, 100), *survey(3, 85, 100)],
    )
    rows = run(indicator, data)
    assert (one(rows, unit_id=2).target, one(rows, unit_id=2).status) == (Decimal(80), MET)
    assert (one(rows, unit_id=3).target, one(rows, unit_id=3).status) == (Decimal(91), NOT_MET)
    assert one(rows).target == Decimal(91)


def test_kind_override_applies_to_the_units_of_that_kind_only():
    indicator = satisfaction_4_1(overrides=(override("85", unit_kind="affiliated_unit"),))
    data = dataset(
        [department(), desk(2, kind="affiliated_unit"), desk(3, kind="division")],
        [*survey(2, 88, 100), *survey(3, 88, 100)],
    )
    rows = run(indicator, data)
    assert one(rows, unit_id=2).status == MET
    assert one(rows, unit_id=3).status == NOT_MET


def test_override_comparator_replaces_the_default_comparator():
    indicator = satisfaction_4_1(overrides=(override("90", GT, unit_sector="health"),))
    data = dataset([department(), desk(2, sector="health")], survey(2, 90, 100))
    row = one(run(indicator, data), unit_id=2)
    assert (row.target, row.comparator, row.status) == (Decimal(90), GT, NOT_MET)


@pytest.mark.parametrize("specific_first", [True, False])
def test_more_specific_override_beats_a_less_specific_one_whatever_the_order(specific_first):
    land = override("96", category="land")
    land_affiliated = override("94", category="land", unit_kind="affiliated_unit")
    overrides = (land_affiliated, land) if specific_first else (land, land_affiliated)
    data = dataset(
        [department(), desk(2, kind="affiliated_unit"), desk(3, kind="division")],
        [*on_time(2, 95, 100, category="land"), *on_time(3, 95, 100, category="land")],
    )
    rows = run(on_time_5_1(overrides=overrides), data)
    affiliated = one(rows, unit_id=2, category="land")
    division = one(rows, unit_id=3, category="land")
    assert (affiliated.target, affiliated.status) == (Decimal(94), MET)
    assert (division.target, division.status) == (Decimal(96), NOT_MET)


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
    assert [r.quarter for r in rows] == [1, 2, 3, 4]  # quarterly only: no year row


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
# at_risk, as_of and deadlines
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (D(2021, 2, 15), AT_RISK),
        (D(2021, 3, 31), AT_RISK),  # the last day of the quarter is still open
        (D(2021, 4, 1), NOT_MET),
        (D(2022, 1, 15), NOT_MET),
    ],
)
def test_same_shortfall_is_at_risk_while_the_quarter_is_open_and_not_met_after(as_of, status):
    data = dataset([department(), desk(2)], survey(2, 80, 100))
    assert status_of(satisfaction_4_1(), data, as_of=as_of, quarter=1) == status


def test_value_that_already_meets_an_open_period_is_met():
    data = dataset([department(), desk(2)], survey(2, 95, 100))
    assert status_of(satisfaction_4_1(), data, as_of=D(2021, 2, 15), quarter=1) == MET


def test_target_deadline_closes_the_judgement_before_the_year_ends():
    """1.1: tasks must be done on or before 31 October; on 1 November it is decided."""
    tasks = [PlanTaskRow(DEPT, Y, D(2021, 10, 15)), PlanTaskRow(2, Y, None)]
    data = dataset([department(), unit(2)], plan_tasks=tasks)
    assert status_of(plan_tasks_1_1(), data, as_of=D(2021, 10, 31)) == AT_RISK
    assert status_of(plan_tasks_1_1(), data, as_of=D(2021, 11, 1)) == NOT_MET


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


# ---------------------------------------------------------------------------
# Tracked indicators
# ---------------------------------------------------------------------------


def test_tracked_ratio_shows_its_value_without_target_or_judgement():
    data = dataset(
        [department(), unit(2)],
        pair(2, "docs_signed_digitally", 30, "docs_issued", 40),
    )
    rows = run(signed_digitally_8_1(), data)
    for row in (one(rows), one(rows, unit_id=2), one(rows, unit_id=2, quarter=1)):
        assert (row.value, row.target, row.comparator, row.status) == (75, None, None, TRACKED)


def test_tracked_flag_wins_over_a_threshold():
    data = dataset([department(), unit(2)], pair(2, "docs_signed_digitally", 1, "docs_issued", 40))
    row = one(run(signed_digitally_8_1(threshold="90"), data))
    assert (row.target, row.status) == (None, TRACKED)


def test_target_without_threshold_is_tracked():
    indicator = spec("x", RATIO, None, numerator="survey_satisfied", denominator="survey_responses")
    row = one(run(indicator, dataset([department(), desk(2)], survey(2, 1, 100))))
    assert (row.value, row.target, row.status) == (1, None, TRACKED)


def test_tracked_coverage_of_desks_applying_epayment_4_5():
    units = [department(), desk(2), desk(3), unit(4)]
    figures = [fig(2, "epayment_applied", 1), fig(3, "epayment_applied", 0)]
    row = one(run(epayment_desks_4_5(), dataset(units, figures)))
    assert (row.value, row.target, row.status) == (50, None, TRACKED)


def test_tracked_indicator_without_a_value_is_no_data():
    rows = run(signed_digitally_8_1(), dataset([department(), unit(2)]))
    assert one(rows).status == NO_DATA
    assert one(rows, unit_id=2, quarter=2).status == NO_DATA


# ---------------------------------------------------------------------------
# Which rows exist
# ---------------------------------------------------------------------------


def test_indicator_without_a_target_for_the_year_has_no_rows():
    data = dataset([department(), desk(2)], survey(2, 95, 100))
    assert run(satisfaction_4_1(year=2022), data) == []


def test_unit_level_indicator_has_a_row_per_unit_and_period():
    data = dataset([department(), desk(2), unit(3)], survey(2, 95, 100))
    rows = run(satisfaction_4_1(), data)
    assert sorted((r.unit_id, r.quarter) for r in rows) == sorted(
        (u, q) for u in (1, 2, 3) for q in (1, 2, 3, 4, YEAR)
    )
    assert {r.period for r in rows if r.unit_id == 2} == {
        "2021-Q1",
        "2021-Q2",
        "2021-Q3",
        "2021-Q4",
        "2021",
    }


def test_department_level_indicator_has_rows_for_the_department_only():
    data = dataset([department(), desk(2)], survey(2, 95, 100))
    rows = run(satisfaction_4_1(level="department"), data)
    assert {r.unit_id for r in rows} == {DEPT}


# --- year-end projection -----------------------------------------------------


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


# --- what is dated after "as of" has not happened yet -----------------------


def test_a_dialogue_dated_later_in_the_quarter_does_not_count_yet():
    spec = IndicatorSpec(
        code="5.2",
        kind=COUNT,
        source=EVIDENCE,
        evidence_kind="dialogue",
        quarterly=True,
        yearly=False,
        target=TargetSpec(year=2021, threshold=Decimal(1), comparator=GE),
    )
    data = Dataset(
        units=[UnitNode(1, "sonn", None, "department")],
        aggregations={},
        evidence=[EvidenceRow(1, "dialogue", dt.date(2021, 3, 20))],
    )
    early = engine.compute_statuses([spec], data, year=2021, as_of=dt.date(2021, 3, 1))
    late = engine.compute_statuses([spec], data, year=2021, as_of=dt.date(2021, 3, 25))
    q1 = next(r for r in early if r.quarter == 1)
    assert (q1.value, q1.status) == (0, AT_RISK)
    assert next(r for r in late if r.quarter == 1).status == MET


def test_a_milestone_done_after_the_as_of_date_is_not_done_yet():
    spec = IndicatorSpec(
        code="8.2",
        kind=MILESTONE,
        source=MILESTONES,
        target=TargetSpec(
            year=2021, threshold=Decimal(100), comparator=GE, deadline=dt.date(2021, 12, 31)
        ),
    )
    data = Dataset(
        units=[UnitNode(1, "sonn", None, "department")],
        aggregations={},
        milestones=[MilestoneRow("8.2", 1, 2021, dt.date(2021, 11, 1), True)],
    )
    (before,) = engine.compute_statuses([spec], data, year=2021, as_of=dt.date(2021, 10, 1))
    (after,) = engine.compute_statuses([spec], data, year=2021, as_of=dt.date(2021, 11, 2))
    assert (before.value, before.status) == (0, AT_RISK)
    assert (after.value, after.status) == (100, MET)


def test_quarter_of_a_day_and_the_quarter_before():
    assert [engine.quarter_of(dt.date(2021, m, 15)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        1, 1, 2, 2, 3, 3, 4, 4,
    ]  # fmt: skip
    assert engine.previous_quarter(2021, 3) == (2021, 2)
    assert engine.previous_quarter(2021, 1) == (2020, 4)
