"""Which periods may be published (``selectors.publications``)."""

from __future__ import annotations

import datetime as dt

from commitments import selectors


def test_a_period_is_over_the_day_after_its_last_day():
    ended = selectors.publications.period_ended
    assert not ended(year=2021, quarter=1, today=dt.date(2021, 3, 31))
    assert ended(year=2021, quarter=1, today=dt.date(2021, 4, 1))
    assert not ended(year=2021, quarter=0, today=dt.date(2021, 12, 31))
    assert not ended(year=2021, quarter=0, today=dt.date(2021, 10, 1))  # Q3 is over
    assert ended(year=2021, quarter=0, today=dt.date(2022, 1, 1))
