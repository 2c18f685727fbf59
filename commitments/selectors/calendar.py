"""The working-day calendar (lịch ngày làm việc) that report deadlines and reminders
count: Vietnam's public holidays, Tết included, from the ``holidays`` package (it
follows the lunar calendar and the Government's announced swaps of days), with the days
an admin adds (``CalendarDay``: compensatory days off, make-up Saturdays), which win."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays
from django.utils.translation import get_language

from commitments import engine
from commitments.models import CalendarDay

COUNTRY = "VN"


@lru_cache(maxsize=32)
def _public_calendar(years: tuple[int, ...]) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """The public holidays of the years and the weekend days worked in exchange for a
    bridge day off, as the holiday calendar knows them (no query)."""
    calendar = holidays.country_holidays(COUNTRY, years=years)
    off = frozenset(calendar.keys())
    worked = frozenset(day for day in calendar.weekend_workdays if day.year in years)
    return off, worked


def public_holidays(*, year: int) -> list[tuple[dt.date, str]]:
    """The public holidays of a year, by date, named in the active language (for the
    admin's list of days)."""
    language = "en_US" if (get_language() or "vi").startswith("en") else "vi"
    calendar = holidays.country_holidays(COUNTRY, years=year, language=language)
    return sorted(calendar.items())


def make_up_days(*, year: int) -> list[dt.date]:
    """The weekend days of a year worked in exchange for a bridge day off, as the
    Government announced them (for the admin's list of days)."""
    return sorted(_public_calendar((year,))[1])


def work_calendar(*, years: Iterable[int]) -> engine.WorkCalendar:
    """The working days of ``years``: Monday to Friday, less the public holidays and
    the admin's days off, plus the make-up days worked. A day the admin set wins over
    the public calendar. One query."""
    years = tuple(sorted(set(years)))
    if not years:
        return engine.WEEKENDS_ONLY
    off, worked = _public_calendar(years)
    added = dict(
        CalendarDay.objects.filter(
            date__range=(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
        ).values_list("date", "kind")
    )
    added_off = {day for day, kind in added.items() if kind == CalendarDay.Kind.DAY_OFF}
    added_worked = set(added) - added_off
    return engine.WorkCalendar(
        off=frozenset((off - added_worked) | added_off),
        worked=frozenset((worked - added_off) | added_worked),
    )
