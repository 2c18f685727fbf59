"""Working days (ngày làm việc): which days count when a deadline says "10 working days
after the quarter" and a reminder says "3 working days before the deadline".

A ``WorkCalendar`` is plain data: the days that are off although they fall on a weekday
(public holidays, Tết, compensatory days off) and the days that are worked although
they fall on a weekend (make-up Saturdays). Who fills it (the public holiday calendar
and the days an admin adds) is ``selectors.calendar``'s business.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)
SATURDAY = 5  # date.weekday(): Saturday and Sunday are off unless worked


@dataclass(frozen=True)
class WorkCalendar:
    """The working days of a country's civil service: Monday to Friday, except the
    days in ``off``, plus the days in ``worked``. A day in both is worked: the caller
    decides which list wins before it builds the calendar."""

    off: frozenset[dt.date] = frozenset()
    worked: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.worked:
            return True
        return day.weekday() < SATURDAY and day not in self.off

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (before it when ``count`` is
        negative); ``day`` itself when ``count`` is 0, working or not. ``day`` does not
        count: one working day after a Friday is the next Monday."""
        step = ONE_DAY if count >= 0 else -ONE_DAY
        left = abs(count)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie after ``start`` up to and including ``end``
        (negative, counted the other way, when ``end`` comes first): 0 on the same day,
        1 from a Friday to the next Monday."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


WEEKENDS_ONLY = WorkCalendar()
