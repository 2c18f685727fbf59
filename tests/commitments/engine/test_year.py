"""DOMAIN.md, "The year of an indicator judged by quarter": the worst quarter decides,
and a year never reads "met" while one of its ended quarters failed (pure engine)."""

from __future__ import annotations

from fractions import Fraction

from commitments.engine import (
    AT_RISK,
    COUNT,
    EVIDENCE,
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    TRACKED,
    YEAR,
)
from tests.commitments.engine.inputs import (
    DEPT,
    D,
    dataset,
    department,
    desk,
    dialogues_5_2,
    ev,
    on_time,
    on_time_5_1,
    one,
    run,
    spec,
    surprise_inspections_3_2,
    unit,
)


def _surprise(subject, date, by=DEPT):
    return ev(by, "inspection_surprise", date, subject)


def _five_units_in(quarter: int, count: int = 5) -> list:
    month = 3 * quarter - 1
    return [_surprise(2 + i, D(2021, month, 1 + i)) for i in range(count)]


UNITS = [department(), *(unit(i) for i in range(2, 9))]


def test_a_failed_quarter_makes_the_year_not_met_with_the_worst_quarter_named():
    # Q1 and Q3 meet 5 units; Q2 inspects 4 and Q4 none (the 2021 demo's story).
    evidence = _five_units_in(1) + _five_units_in(2, 4) + _five_units_in(3)
    rows = run(surprise_inspections_3_2(), dataset(UNITS, evidence=evidence))
    year = one(rows, quarter=YEAR)
    assert year.status == NOT_MET
    assert year.value == 0  # the worst quarter so far: Q4, no unit inspected
    assert year.detail["quarter"] == 4
    assert year.detail["failed_quarters"] == [2, 4]
    assert year.target == 5


def test_the_year_reads_the_worst_quarter_value_not_the_year_total():
    evidence = _five_units_in(1) + _five_units_in(2, 4) + _five_units_in(3) + _five_units_in(4)
    year = one(run(surprise_inspections_3_2(), dataset(UNITS, evidence=evidence)), quarter=YEAR)
    assert (year.value, year.detail["quarter"], year.status) == (4, 2, NOT_MET)
    assert year.detail["units"] == 4  # the numbers behind it are Q2's


def test_a_year_every_quarter_of_which_met_is_met_once_it_has_ended():
    evidence = [e for q in (1, 2, 3, 4) for e in _five_units_in(q)]
    year = one(run(surprise_inspections_3_2(), dataset(UNITS, evidence=evidence)), quarter=YEAR)
    assert (year.status, year.value) == (MET, 5)
    assert "failed_quarters" not in year.detail


def test_open_year_with_ended_quarters_met_and_the_current_one_short_is_at_risk():
    evidence = _five_units_in(1) + _five_units_in(2) + _five_units_in(3, 2)
    rows = run(surprise_inspections_3_2(), dataset(UNITS, evidence=evidence), as_of=D(2021, 8, 20))
    year = one(rows, quarter=YEAR)
    assert year.status == AT_RISK
    assert (year.value, year.detail["quarter"]) == (2, 3)


def test_open_year_is_met_so_far_when_the_current_quarter_already_meets():
    evidence = _five_units_in(1) + _five_units_in(2) + _five_units_in(3)
    rows = run(surprise_inspections_3_2(), dataset(UNITS, evidence=evidence), as_of=D(2021, 8, 20))
    assert one(rows, quarter=YEAR).status == MET


def test_open_year_is_not_met_as_soon_as_one_ended_quarter_failed():
    evidence = _five_units_in(1, 3) + _five_units_in(2) + _five_units_in(3)
    rows = run(surprise_inspections_3_2(), dataset(UNITS, evidence=evidence), as_of=D(2021, 8, 20))
    year = one(rows, quarter=YEAR)
    assert (year.status, year.detail["failed_quarters"]) == (NOT_MET, [1])


def test_the_open_quarter_short_so_far_does_not_fail_the_year():
    # Q2 is under way with 3 units: at risk, not a failed quarter.
    evidence = _five_units_in(1) + _five_units_in(2, 3)
    rows = run(surprise_inspections_3_2(), dataset(UNITS, evidence=evidence), as_of=D(2021, 5, 31))
    assert one(rows, quarter=2).status == AT_RISK
    assert one(rows, quarter=YEAR).status == AT_RISK


def test_no_data_only_when_no_quarter_has_anything_to_judge():
    indicator = spec(
        "x", COUNT, "10", source="figures", element="docs_issued", quarterly=True, yearly=False
    )
    rows = run(indicator, dataset([department()]))
    assert [one(rows, quarter=q).status for q in (1, 2, 3, 4, YEAR)] == [NO_DATA] * 5


def test_dialogue_every_quarter_has_a_year_row_naming_the_failed_quarters():
    evidence = [ev(DEPT, "dialogue", D(2021, 3, 15)), ev(2, "dialogue", D(2021, 7, 1))]
    rows = run(dialogues_5_2(), dataset([department(), unit(2)], evidence=evidence))
    year = one(rows, quarter=YEAR)
    assert (year.status, year.value, year.detail["failed_quarters"]) == (NOT_MET, 0, [2, 4])


def test_a_tracked_indicator_by_quarter_has_a_tracked_year():
    indicator = spec(
        "x", COUNT, None, source=EVIDENCE, evidence_kind="dialogue", quarterly=True, yearly=False
    )
    evidence = [ev(DEPT, "dialogue", D(2021, 3, 15))]
    year = one(run(indicator, dataset([department()], evidence=evidence)), quarter=YEAR)
    assert year.status == TRACKED


def test_a_unit_out_of_scope_has_a_not_applicable_year():
    from tests.commitments.engine.inputs import RECEIVING

    indicator = spec(
        "x",
        COUNT,
        "1",
        source=EVIDENCE,
        evidence_kind="dialogue",
        quarterly=True,
        yearly=False,
        scope=RECEIVING,
    )
    year = one(run(indicator, dataset([department(), unit(2)])), quarter=YEAR)
    assert year.status == NOT_APPLICABLE


def test_worst_quarter_ties_name_the_earliest_quarter():
    evidence = _five_units_in(1, 3) + _five_units_in(2, 3) + _five_units_in(3) + _five_units_in(4)
    year = one(run(surprise_inspections_3_2(), dataset(UNITS, evidence=evidence)), quarter=YEAR)
    assert year.value == Fraction(3)
    assert year.detail["quarter"] == 1


def test_an_open_quarter_just_begun_does_not_hide_the_quarter_that_failed():
    # Q3 closed with 4 units; Q4 has just begun with none: the year names Q3.
    evidence = _five_units_in(1) + _five_units_in(2) + _five_units_in(3, 4)
    rows = run(surprise_inspections_3_2(), dataset(UNITS, evidence=evidence), as_of=D(2021, 10, 5))
    year = one(rows, quarter=YEAR)
    assert (year.status, year.value, year.detail["quarter"]) == (NOT_MET, 4, 3)
    assert year.detail["failed_quarters"] == [3]


def test_the_year_of_a_per_field_indicator_by_quarter_says_what_was_signed():
    # 5.1 signed per quarter: the year row keeps the fields with a target of their own,
    # with figures (from its worst quarter) and without.
    per_quarter = on_time_5_1(yearly=False)
    with_figures = dataset([department(), desk(2)], on_time(2, 99, 100, category="crop"))
    for data in (with_figures, dataset([department(), desk(2)])):
        year = one(run(per_quarter, data), quarter=YEAR)
        assert [c for c, _, _ in year.detail["category_targets"]] == ["land", "investment"]
