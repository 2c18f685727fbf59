"""A burst (one sender answering a desk again and again within minutes) is flagged
whatever the quarter: the check reads only the quarters its window lies in."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.surveys.conftest import answer

# 31 March 2021, 23:56 in Ho Chi Minh City (UTC+7), then every two minutes: the last
# answers fall on 1 April, in the second quarter.
EVE = dt.datetime(2021, 3, 31, 16, 56, tzinfo=dt.UTC)
SENDER = "203.0.113.7"


def test_a_burst_across_the_turn_of_a_quarter_is_flagged(desks):
    sent = [
        answer(desks["desk"], client_address=SENDER, when=EVE + dt.timedelta(minutes=2 * n))
        for n in range(4)
    ]
    assert [(r.quarter, r.flagged) for r in sent] == [
        (1, False),
        (1, False),
        (2, True),
        (2, True),
    ]


def test_answers_older_than_the_window_do_not_make_a_burst(desks):
    for days in (120, 60, 1):  # two earlier quarters and yesterday
        answer(desks["desk"], client_address=SENDER, when=EVE - dt.timedelta(days=days))
    assert not answer(desks["desk"], client_address=SENDER, when=EVE).flagged


def test_the_check_reads_the_window_s_quarters_only(desks):
    with CaptureQueriesContext(connection) as queries:
        answer(desks["desk"], client_address=SENDER, when=EVE + dt.timedelta(minutes=10))
    count = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"])
    # 1 April 00:06 local: the window reaches back into the first quarter.
    assert '"quarter" = 1' in count and '"quarter" = 2' in count
