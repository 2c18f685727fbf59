"""Reporting completeness (tình hình nộp báo cáo) as read by
``selectors.completeness``: the deadline, DHIS2's reporting rate and on-time rate, and
each unit's state and timeliness (the units are conftest.py's ``mix``)."""

from __future__ import annotations

import datetime as dt

import pytest

from commitments import access, selectors
from commitments.models import CalendarDay, ReportingDeadline
from tests import factories

# 31/03/2021 + REPORT_DEADLINE_DAYS (10) working days: 1-2, 5-9 and 12-14 April.
Q1_2021_DEADLINE = dt.date(2021, 4, 14)


# --- the deadline ------------------------------------------------------------------------


def test_deadline_is_ten_working_days_after_the_quarter_by_default(db):
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == Q1_2021_DEADLINE
    assert selectors.completeness.report_deadline(year=2021, quarter=2) == dt.date(2021, 7, 14)
    # 3 January 2022 is New Year's Day observed: 4-7, 10-14 and 17 January.
    assert selectors.completeness.report_deadline(year=2021, quarter=4) == dt.date(2022, 1, 17)


def test_deadline_days_follow_the_setting(db, settings):
    settings.REPORT_DEADLINE_DAYS = 15
    # 21 April 2021 is the Hùng Kings' Commemoration Day: the 15th working day is the 22nd.
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == dt.date(2021, 4, 22)


def test_a_fourth_quarter_deadline_does_not_land_in_tet(db, settings):
    settings.REPORT_DEADLINE_DAYS = 20
    # Twenty calendar days after 31/12/2022 is 20 January 2023, the eve of Tết; twenty
    # working days skip 2 January (New Year observed) and Tết (20-26 January).
    deadline = selectors.completeness.report_deadline(year=2022, quarter=4)
    assert deadline == dt.date(2023, 2, 6)


def test_an_admins_day_off_moves_the_default_deadline(db):
    CalendarDay.objects.create(date=dt.date(2021, 4, 9), kind=CalendarDay.Kind.DAY_OFF)
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == dt.date(2021, 4, 15)


def test_an_admins_make_up_saturday_brings_the_deadline_forward(db):
    CalendarDay.objects.create(date=dt.date(2021, 4, 10), kind=CalendarDay.Kind.WORKING_DAY)
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == dt.date(2021, 4, 13)


def test_deadline_set_by_an_admin_wins_for_its_quarter_only(db):
    ReportingDeadline.objects.create(year=2021, quarter=1, due_on=dt.date(2021, 4, 20))
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == dt.date(2021, 4, 20)
    assert selectors.completeness.report_deadline(year=2021, quarter=2) == dt.date(2021, 7, 14)
    # 2 April 2020 was the Hùng Kings' Commemoration Day.
    assert selectors.completeness.report_deadline(year=2020, quarter=1) == dt.date(2020, 4, 15)


def _due(*days: dt.date):
    work = selectors.calendar.work_calendar(years={2021, 2022})
    return selectors.completeness.report_quarters_due(days=set(days), work=work)


def test_quarters_due_on_a_day_by_default_and_by_admin(db):
    assert _due(Q1_2021_DEADLINE) == [(2021, 1, Q1_2021_DEADLINE)]
    assert _due(dt.date(2021, 4, 10)) == []
    assert _due(dt.date(2021, 4, 15)) == []
    ReportingDeadline.objects.create(year=2021, quarter=1, due_on=dt.date(2021, 4, 20))
    # The admin's day replaces the default one: nothing is due on the 14th any more.
    assert _due(Q1_2021_DEADLINE) == []
    assert _due(dt.date(2021, 4, 20), dt.date(2021, 7, 14)) == [
        (2021, 1, dt.date(2021, 4, 20)),
        (2021, 2, dt.date(2021, 7, 14)),
    ]


def test_a_quarter_due_in_the_next_year_is_found(db):
    assert _due(dt.date(2022, 1, 17)) == [(2021, 4, dt.date(2022, 1, 17))]


# --- rates -------------------------------------------------------------------------------


def _completeness(scope=access.ALL_UNITS, today=dt.date(2021, 4, 20)):
    return selectors.completeness.report_completeness(
        scope=scope, year=2021, quarter=1, today=today
    )


def test_rates_count_submitted_on_time_and_approved_of_the_expected_units(mix):
    c = _completeness()
    assert c.deadline == Q1_2021_DEADLINE
    assert c.expected == 7  # the department does not report
    assert c.submitted == 4  # on time, late, approved, resubmitted
    assert c.on_time == 3  # on time, approved, resubmitted (by its first submission)
    assert c.approved == 1
    assert c.submitted_percent == pytest.approx(400 / 7)
    assert c.on_time_percent == pytest.approx(300 / 7)
    assert c.approved_percent == pytest.approx(100 / 7)


def test_each_unit_has_its_state_and_timeliness_late_units_first(mix):
    rows = {row.unit.code: row for row in _completeness().units}
    assert {code: (row.state, row.timeliness) for code, row in rows.items()} == {
        "u1-chua": ("not_started", "late"),
        "u2-nhap": ("draft", "late"),
        "u3-tralai": ("returned", "late"),
        "a1-dunghan": ("submitted", "on_time"),
        "a2-muon": ("submitted", "submitted_late"),
        "a3-duyet": ("approved", "on_time"),
        "a4-guilai": ("submitted", "on_time"),
    }
    assert [row.unit.code for row in _completeness().units] == [
        "u1-chua",
        "u2-nhap",
        "u3-tralai",
        "a2-muon",
        "a1-dunghan",
        "a3-duyet",
        "a4-guilai",
    ]
    assert rows["a4-guilai"].first_submitted_at == factories.utc(2021, 4, 9, 2)
    assert rows["u1-chua"].first_submitted_at is None


def test_before_the_deadline_nothing_is_late(mix):
    c = _completeness(today=Q1_2021_DEADLINE)
    assert not c.deadline_passed
    assert not any(row.late for row in c.units)
    assert {row.unit.code for row in c.units if row.timeliness == "pending"} == {
        "u1-chua",
        "u2-nhap",
        "u3-tralai",
    }


def test_a_later_deadline_set_by_an_admin_makes_the_late_submission_on_time(mix):
    ReportingDeadline.objects.create(year=2021, quarter=1, due_on=dt.date(2021, 4, 15))
    c = _completeness()
    assert c.on_time == 4
    assert {row.unit.code for row in c.units if row.late} == {"u1-chua", "u2-nhap", "u3-tralai"}


def test_staff_with_email_counts_active_staff_with_an_address(mix):
    unit = mix["not_started"]
    factories.staff("a", unit, email="a@so.gov.vn")
    factories.staff("b", unit)
    factories.staff("c", unit, email="c@so.gov.vn", is_active=False)
    factories.director("d", unit, email="d@so.gov.vn")
    rows = {row.unit.code: row for row in _completeness().units}
    assert rows["u1-chua"].staff_with_email == 1
    assert rows["u2-nhap"].staff_with_email == 0


def test_no_expected_units_gives_no_rate(db):
    factories.department()
    c = _completeness()
    assert c.expected == 0
    assert c.submitted_percent is None
