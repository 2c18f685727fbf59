"""The computation of a year's rows (``engine.compute``): per category (5.1 "in each
field", 7.1 each channel) with the whole judged on its parts, which rows exist, and
what is dated after "as of", which has not happened yet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from commitments import engine
from commitments.engine import (
    AT_RISK,
    COUNT,
    EVIDENCE,
    GE,
    MET,
    MILESTONE,
    MILESTONES,
    NO_DATA,
    NOT_MET,
    YEAR,
    Dataset,
    EvidenceRow,
    IndicatorSpec,
    MilestoneRow,
    TargetSpec,
    UnitNode,
)
from tests.commitments.engine.inputs import (
    DEPT,
    dataset,
    department,
    desk,
    feedback_7_1,
    on_time,
    on_time_5_1,
    one,
    override,
    pair,
    run,
    satisfaction_4_1,
    survey,
    unit,
)

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
    assert one(rows).detail == {
        "numerator": 585,
        "denominator": 601,
        "behind": [],
        "category_targets": [["land", Decimal(96), GE], ["investment", Decimal(96), GE]],
    }
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


# The whole's target as signed: the categories whose own target differs from it.

LAND_96 = ["land", Decimal(96), GE]
INVESTMENT_96 = ["investment", Decimal(96), GE]


def test_the_whole_names_the_fields_with_a_target_of_their_own():
    data = dataset([department(), desk(2)], on_time(2, 99, 100, category="crop"))
    rows = run(on_time_5_1(), data)
    for quarter in (1, 2, YEAR):  # Q2 has no figures: its whole still says what was signed
        assert one(rows, quarter=quarter).detail["category_targets"] == [LAND_96, INVESTMENT_96]
    assert "category_targets" not in one(rows, category="crop").detail


def test_a_period_not_begun_names_the_fields_with_a_target_of_their_own():
    rows = run(on_time_5_1(), dataset([department(), desk(2)]), as_of=dt.date(2021, 2, 1))
    assert one(rows, quarter=3).status == NO_DATA
    assert one(rows, quarter=3).detail["category_targets"] == [LAND_96, INVESTMENT_96]


def test_channels_with_one_target_name_no_channel():
    data = dataset(
        [department(), unit(2)],
        pair(2, "feedback_on_time", 10, "feedback_due", 10, category="national_portal"),
    )
    assert one(run(feedback_7_1(), data)).detail["category_targets"] == []


def test_a_unit_kind_override_is_resolved_for_each_unit():
    # Affiliated units: 97 where no field has its own; land and investment keep 96.
    # Division desks: 96 in every field, so no field differs from their whole.
    overrides = (
        override("96", category="land"),
        override("96", category="investment"),
        override("97", unit_kind="affiliated_unit"),
        override("96", unit_kind="division", unit_sector="fisheries"),
    )
    data = dataset(
        [department(), desk(2, kind="affiliated_unit"), desk(3, sector="fisheries")],
        [*on_time(2, 99, 100, category="crop"), *on_time(3, 99, 100, category="crop")],
    )
    rows = run(on_time_5_1(overrides=overrides), data)
    affiliated, division = one(rows, unit_id=2), one(rows, unit_id=3)
    assert affiliated.target == 97
    assert affiliated.detail["category_targets"] == [LAND_96, INVESTMENT_96]
    assert division.target == 96
    assert division.detail["category_targets"] == []
    assert one(rows).target == 98  # the department: none of the unit overrides
    assert one(rows).detail["category_targets"] == [LAND_96, INVESTMENT_96]


def test_a_tracked_per_category_indicator_names_no_target():
    data = dataset([department(), desk(2)], on_time(2, 99, 100, category="crop"))
    whole = one(run(on_time_5_1(tracked=True), data))
    assert "category_targets" not in whole.detail


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


def test_two_sheets_numbered_alike_speak_each_of_its_own_department():
    # DARD's 4.1 is satisfaction; another department's sheet numbers its surprise
    # inspections 4.1. Each has rows for its own department's units only.
    other = department(10, code="SOYT")
    data = dataset(
        [department(), desk(2), other, desk(11, parent=10)],
        [*survey(2, 95, 100), *survey(11, 80, 100)],
    )
    dard = satisfaction_4_1(departments=frozenset({DEPT}))
    health = satisfaction_4_1(threshold="85", departments=frozenset({10}))
    rows = run([dard, health], data)
    assert {r.unit_id for r in rows if r.target == 91} == {DEPT, 2}
    assert {r.unit_id for r in rows if r.target == 85} == {10, 11}
    assert one(rows, unit_id=11, quarter=1).status == NOT_MET
    assert one(rows, unit_id=2, quarter=1).status == MET
    # A sheet with no department of its own in the tree has no rows at all.
    assert run(satisfaction_4_1(departments=frozenset()), data) == []


# ---------------------------------------------------------------------------
# What is dated after "as of" has not happened yet
# ---------------------------------------------------------------------------


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
