"""The dossier rules at their boundaries, without a database."""

import datetime as dt
from zoneinfo import ZoneInfo

from dossiers import rules

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def counted(**kwargs) -> rules.Counted:
    values = {
        "channel": "direct",
        "status": "resolved",
        "received_at": at(2021, 3, 1, 9),
        "due_at": at(2021, 3, 10, 17),
        "paused_days": 0,
        "resolved_at": at(2021, 3, 10, 17),
        "zone": VN,
    }
    return rules.dossier_counted(**{**values, **kwargs})


def test_received_in_the_quarter_of_its_local_date():
    # 31 March 23:30 in Hồ Chí Minh City is 16:30 UTC: still the first quarter.
    utc = dt.datetime(2021, 3, 31, 16, 30, tzinfo=dt.UTC)
    assert rules.quarter_of(utc, VN) == (2021, 1)
    assert rules.quarter_of(utc + dt.timedelta(minutes=30), VN) == (2021, 2)


def test_resolved_exactly_at_the_due_date_is_on_time():
    assert counted().on_time is True
    assert counted(resolved_at=at(2021, 3, 10, 17, 0, 1)).on_time is False


def test_paused_days_move_the_due_date_that_counts():
    late_without_pause = counted(resolved_at=at(2021, 3, 13, 17))
    assert late_without_pause.on_time is False
    paused = counted(resolved_at=at(2021, 3, 13, 17), paused_days=3)
    assert paused.on_time is True
    assert paused.due_by == at(2021, 3, 13, 17)
    assert counted(resolved_at=at(2021, 3, 13, 17, 1), paused_days=3).on_time is False


def test_online_is_the_online_channel_only():
    assert counted(channel="online").online is True
    assert counted(channel="postal").online is False


def test_withdrawn_is_received_but_never_resolved():
    withdrawn = counted(status="withdrawn", resolved_at=at(2021, 3, 20))
    assert withdrawn.received == (2021, 1)
    assert withdrawn.resolved is None
    assert withdrawn.on_time is None


def test_refused_is_resolved_and_judged_on_time_by_its_date():
    assert counted(status="refused").resolved == (2021, 1)
    assert counted(status="refused").on_time is True
    assert counted(status="refused", resolved_at=at(2021, 4, 2)).on_time is False
    assert counted(status="refused", resolved_at=at(2021, 4, 2)).resolved == (2021, 2)


def test_open_dossier_counts_as_received_only():
    open_ = counted(status="in_progress", resolved_at=None)
    assert (open_.received, open_.resolved, open_.on_time) == ((2021, 1), None, None)


def test_resolved_in_the_quarter_of_its_resolution():
    assert counted(resolved_at=at(2021, 4, 1, 0, 0)).resolved == (2021, 2)
    assert counted(resolved_at=at(2021, 3, 31, 23, 59)).resolved == (2021, 1)


def test_quarter_end_is_the_last_moment_before_the_next():
    assert rules.quarter_end(2021, 4, VN) + dt.timedelta(microseconds=1) == at(2022, 1, 1)
    assert rules.quarter_of(rules.quarter_end(2021, 1, VN), VN) == (2021, 1)


def test_days_late_in_calendar_days():
    due = at(2021, 3, 10, 17)
    assert rules.days_late(due, due, VN) == 0
    assert rules.days_late(due, at(2021, 3, 10, 18), VN) == 1
    assert rules.days_late(due, at(2021, 3, 12, 8), VN) == 2


def test_overdue_open_at_the_end_of_the_quarter():
    end = rules.quarter_end(2021, 1, VN)
    base = {"status": "in_progress", "received_at": at(2021, 3, 1), "end": end}
    assert rules.overdue_open_at(**base, due_by=at(2021, 3, 20), resolved_at=None)
    assert rules.overdue_open_at(**base, due_by=at(2021, 3, 20), resolved_at=at(2021, 4, 3))
    assert not rules.overdue_open_at(**base, due_by=at(2021, 3, 20), resolved_at=at(2021, 3, 25))
    assert not rules.overdue_open_at(**base, due_by=at(2021, 4, 20), resolved_at=None)
    withdrawn = {**base, "status": "withdrawn"}
    assert not rules.overdue_open_at(**withdrawn, due_by=at(2021, 3, 20), resolved_at=None)
