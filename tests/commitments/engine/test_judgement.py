"""Judgement against targets (``engine.judgement``, ``TargetSpec.resolve``): a whole made
of parts, exact comparisons, scoped overrides, at risk while a period is open, and
tracked indicators that are never judged."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from commitments import engine
from commitments.engine import (
    AT_RISK,
    GE,
    GT,
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    RATIO,
    TRACKED,
    PlanTaskRow,
    TargetSpec,
)
from tests.commitments.engine.inputs import (
    DEPT,
    FIELD_OVERRIDES,
    D,
    Y,
    dataset,
    department,
    desk,
    epayment_4_4,
    epayment_desks_4_5,
    fig,
    on_time,
    on_time_5_1,
    one,
    online,
    online_share_4_2,
    override,
    pair,
    plan_tasks_1_1,
    run,
    satisfaction_4_1,
    signed_digitally_8_1,
    spec,
    status_of,
    survey,
    unit,
)

# ---------------------------------------------------------------------------
# Combine and judge
# ---------------------------------------------------------------------------


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
