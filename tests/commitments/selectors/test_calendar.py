"""The working-day calendar (``selectors.calendar``): Vietnam's public holidays and Tết
from the holiday calendar, the make-up days it knows, and the days an admin adds, which
win over it."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from commitments import selectors
from commitments.models import CalendarDay

D = dt.date


def _work(*years: int):
    return selectors.calendar.work_calendar(years=set(years))


def test_tet_and_the_public_holidays_are_days_off(db):
    work = _work(2022)
    # Tết Nhâm Dần: 31 January (the eve) to 4 February 2022, Monday to Friday.
    assert [work.is_working_day(D(2022, 1, 31) + dt.timedelta(days=n)) for n in range(5)] == [
        False
    ] * 5
    assert not work.is_working_day(D(2022, 9, 2))  # National Day
    assert not work.is_working_day(D(2022, 4, 11))  # Hùng Kings' day, observed on Monday
    assert work.is_working_day(D(2022, 2, 7))


def test_a_make_up_saturday_the_government_announced_is_worked(db):
    # 2 May 2025 was given off in exchange for Saturday 26 April 2025.
    work = _work(2025)
    assert work.is_working_day(D(2025, 4, 26))
    assert not work.is_working_day(D(2025, 5, 2))
    assert selectors.calendar.make_up_days(year=2025) == [D(2025, 4, 26)]


def test_an_admins_days_win_over_the_public_calendar(db):
    CalendarDay.objects.create(date=D(2022, 1, 7), kind=CalendarDay.Kind.DAY_OFF)
    CalendarDay.objects.create(date=D(2022, 1, 15), kind=CalendarDay.Kind.WORKING_DAY)
    CalendarDay.objects.create(date=D(2022, 9, 2), kind=CalendarDay.Kind.WORKING_DAY)
    CalendarDay.objects.create(date=D(2025, 4, 26), kind=CalendarDay.Kind.DAY_OFF)
    work = _work(2022, 2025)
    assert not work.is_working_day(D(2022, 1, 7))  # a Friday, given off
    assert work.is_working_day(D(2022, 1, 15))  # a Saturday, worked in exchange
    assert work.is_working_day(D(2022, 9, 2))  # the admin's word wins over the holiday
    assert not work.is_working_day(D(2025, 4, 26))  # and over the announced make-up day


def test_days_an_admin_added_in_other_years_are_not_read(db, django_assert_num_queries):
    CalendarDay.objects.create(date=D(2021, 1, 8), kind=CalendarDay.Kind.DAY_OFF)
    with django_assert_num_queries(1):
        work = _work(2022)
    assert D(2021, 1, 8) not in work.off


def test_public_holidays_are_named_in_the_readers_language():
    with translation.override("vi"):
        names = dict(selectors.calendar.public_holidays(year=2022))
    assert names[D(2022, 2, 1)] == "Tết Nguyên Đán"
    assert D(2022, 9, 2) in names
    with translation.override("en"):
        names = dict(selectors.calendar.public_holidays(year=2022))
    assert names[D(2022, 2, 1)] == "Lunar New Year"
