"""Working days (``engine.workdays``): weekends and the calendar's days off are skipped,
make-up days are worked, and counting goes both ways."""

from __future__ import annotations

from datetime import date as D

from commitments import engine
from commitments.engine import WorkCalendar

# Tết 2021: 10 to 16 February (Wednesday to Tuesday); Saturday 6 March worked.
TET_2021 = frozenset(D(2021, 2, day) for day in range(10, 17))
CALENDAR = WorkCalendar(off=TET_2021, worked=frozenset({D(2021, 3, 6)}))


def test_weekdays_work_and_weekends_rest_by_default():
    assert engine.WEEKENDS_ONLY.is_working_day(D(2021, 4, 9))  # Friday
    assert not engine.WEEKENDS_ONLY.is_working_day(D(2021, 4, 10))  # Saturday
    assert not engine.WEEKENDS_ONLY.is_working_day(D(2021, 4, 11))  # Sunday


def test_a_day_off_is_not_worked_and_a_make_up_saturday_is():
    assert not CALENDAR.is_working_day(D(2021, 2, 12))  # Friday of Tết
    assert CALENDAR.is_working_day(D(2021, 3, 6))  # Saturday, worked
    assert not CALENDAR.is_working_day(D(2021, 3, 13))  # a Saturday like any other


def test_a_day_both_off_and_worked_is_worked():
    both = WorkCalendar(off=frozenset({D(2021, 3, 6)}), worked=frozenset({D(2021, 3, 6)}))
    assert both.is_working_day(D(2021, 3, 6))


def test_ten_working_days_after_the_first_quarter_skip_the_weekends():
    # 31 March 2021 is a Wednesday: 1, 2, 5-9 and 12-14 April.
    assert engine.WEEKENDS_ONLY.add_working_days(D(2021, 3, 31), 10) == D(2021, 4, 14)


def test_working_days_after_a_day_skip_tet():
    # From Tuesday 9 February 2021: the 10th is Tết, so the first working day is the 17th.
    assert CALENDAR.add_working_days(D(2021, 2, 9), 1) == D(2021, 2, 17)
    assert engine.WEEKENDS_ONLY.add_working_days(D(2021, 2, 9), 1) == D(2021, 2, 10)


def test_working_days_before_a_day_count_backwards():
    assert CALENDAR.add_working_days(D(2021, 2, 17), -1) == D(2021, 2, 9)
    assert CALENDAR.add_working_days(D(2021, 4, 14), -3) == D(2021, 4, 9)  # over a weekend
    assert CALENDAR.add_working_days(D(2021, 3, 8), -1) == D(2021, 3, 6)  # the make-up day


def test_zero_working_days_is_the_day_itself_even_a_day_off():
    assert CALENDAR.add_working_days(D(2021, 2, 13), 0) == D(2021, 2, 13)


def test_working_days_between_two_days_count_the_end_not_the_start():
    assert CALENDAR.working_days_between(D(2021, 4, 9), D(2021, 4, 9)) == 0
    assert CALENDAR.working_days_between(D(2021, 4, 9), D(2021, 4, 12)) == 1  # Fri → Mon
    assert CALENDAR.working_days_between(D(2021, 2, 9), D(2021, 2, 17)) == 1  # over Tết
    assert CALENDAR.working_days_between(D(2021, 4, 14), D(2021, 4, 9)) == -3


def test_between_undoes_add():
    for start in (D(2021, 2, 1), D(2021, 3, 5), D(2021, 12, 24)):
        for count in (-12, -3, -1, 1, 3, 10, 25):
            end = CALENDAR.add_working_days(start, count)
            if CALENDAR.is_working_day(start):
                assert CALENDAR.working_days_between(start, end) == count
            assert CALENDAR.is_working_day(end)
