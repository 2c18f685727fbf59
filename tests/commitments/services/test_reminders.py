"""The reminder emails (``services.reminders``): sent once to the reachable staff of the
units that have not submitted, on the days around the deadline, in Vietnamese with the
link, and only once the transaction commits (the units are conftest.py's
``reminder_units``)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from commitments import selectors, services
from commitments.models import CalendarDay, ReminderSent, ReportingDeadline
from tests import factories
from tests.commitments.shortcuts import mail_recipients


def _send(django_capture_on_commit_callbacks, day: dt.date) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return services.reminders.report_reminders_send(today=day)


def test_reminder_goes_to_reachable_staff_of_units_not_submitted(
    reminder_units, django_capture_on_commit_callbacks
):
    sent = _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9))  # 3 working days before
    assert sent == 3
    assert mail_recipients() == ["hoa@so.gov.vn", "lan@so.gov.vn", "minh@so.gov.vn"]
    for email in mail.outbox:  # one person each: nobody sees another's address
        assert len(email.to) == 1
        assert not email.cc and not email.bcc
    rows = {r.unit.code: (r.offset, r.recipients) for r in ReminderSent.objects.all()}
    assert rows == {"pvp": (-3, 2), "ttkn": (-3, 1)}


def test_reminder_is_sent_once_however_often_the_day_is_run(
    reminder_units, django_capture_on_commit_callbacks
):
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9)) == 3
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9)) == 0
    assert len(mail.outbox) == 3
    assert ReminderSent.objects.count() == 2


def test_a_reminder_claimed_by_another_run_is_not_sent_again(
    reminder_units, django_capture_on_commit_callbacks
):
    ReminderSent.objects.create(unit=reminder_units["owing"], year=2021, quarter=1, offset=1)
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 15)) == 1
    assert mail_recipients() == ["hoa@so.gov.vn"]


@pytest.mark.parametrize("day", [dt.date(2021, 4, 8), dt.date(2021, 4, 12), dt.date(2021, 4, 14)])
def test_no_reminder_on_working_days_that_are_not_an_offset(
    reminder_units, django_capture_on_commit_callbacks, day
):
    assert _send(django_capture_on_commit_callbacks, day) == 0
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_each_offset_day_sends_its_own_reminder(reminder_units, django_capture_on_commit_callbacks):
    days = [dt.date(2021, 4, d) for d in range(1, 20)]
    sent = {day.day: _send(django_capture_on_commit_callbacks, day) for day in days}
    # Working days from Wednesday 14 April: -3 the Friday, -1 the Tuesday, +1 the
    # Thursday, +3 the Monday after.
    assert {d: n for d, n in sent.items() if n} == {9: 3, 13: 3, 15: 3, 19: 3}
    assert set(ReminderSent.objects.values_list("offset", flat=True)) == {-3, -1, 1, 3}


def test_an_admins_day_off_moves_the_deadline_and_the_reminders(
    reminder_units, django_capture_on_commit_callbacks
):
    # Friday 9 April off: the deadline is Thursday 15 April, and nothing goes on the 9th.
    CalendarDay.objects.create(date=dt.date(2021, 4, 9), kind=CalendarDay.Kind.DAY_OFF)
    days = [dt.date(2021, 4, d) for d in range(1, 23)]
    sent = {day.day: _send(django_capture_on_commit_callbacks, day) for day in days}
    assert {d: n for d, n in sent.items() if n} == {12: 3, 14: 3, 16: 3, 20: 3}


def test_no_reminder_on_a_weekend_or_a_public_holiday(
    reminder_units, django_capture_on_commit_callbacks, settings
):
    # Every day of the year is a reminder day for some quarter (a deadline on each
    # side, every working day in between): none is sent on a day off.
    settings.REPORT_REMINDER_OFFSETS = list(range(-70, 71))
    work = selectors.calendar.work_calendar(years={2021})
    sent_on = set()
    for n in range(0, 120):
        day = dt.date(2021, 3, 1) + dt.timedelta(days=n)
        if _send(django_capture_on_commit_callbacks, day):
            sent_on.add(day)
    assert sent_on
    assert all(work.is_working_day(day) for day in sent_on)
    assert dt.date(2021, 4, 21) not in sent_on  # the Hùng Kings' Commemoration Day
    assert dt.date(2021, 4, 30) not in sent_on  # Reunification Day
    assert dt.date(2021, 4, 20) in sent_on and dt.date(2021, 4, 22) in sent_on


def test_a_fourth_quarter_is_reminded_around_tet_not_during_it(
    db, django_capture_on_commit_callbacks, settings
):
    settings.REPORT_DEADLINE_DAYS = 20  # Q4 2022: due Monday 6 February 2023
    department = factories.department()
    unit = factories.unit("pvp", parent=department)
    factories.staff("lan", unit, email="lan@so.gov.vn")
    days = [dt.date(2023, 1, 10) + dt.timedelta(days=n) for n in range(40)]
    sent = {day for day in days if _send(django_capture_on_commit_callbacks, day)}
    # -3 and -1 working days: 1 and 3 February; +1 and +3: 7 and 9 February. Tết (20-26
    # January) has none.
    assert sent == {dt.date(2023, 2, d) for d in (1, 3, 7, 9)}


def test_reminders_stop_once_the_report_is_submitted(
    reminder_units, django_capture_on_commit_callbacks, django_user_model
):
    factories.report_submitted(
        factories.report(reminder_units["owing"]),
        django_user_model.objects.get(username="lan"),
        at=factories.utc(2021, 4, 8, 2),
    )
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9)) == 1
    assert mail_recipients() == ["hoa@so.gov.vn"]


def test_a_returned_report_is_reminded(
    reminder_units, django_capture_on_commit_callbacks, django_user_model
):
    done = factories.report(reminder_units["done"])
    factories.report_returned(
        done, django_user_model.objects.get(username="truong"), at=factories.utc(2021, 4, 8, 2)
    )
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9)) == 4
    assert "binh@so.gov.vn" in mail_recipients()


def test_reminders_follow_a_deadline_set_by_an_admin(
    reminder_units, django_capture_on_commit_callbacks
):
    ReportingDeadline.objects.create(year=2021, quarter=1, due_on=dt.date(2021, 4, 20))
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9)) == 0
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 15)) == 3  # Tue - 3


def test_reminder_before_the_deadline_in_vietnamese_with_the_link(
    reminder_units, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://cchc.example.gov.vn/"
    _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9))
    email = next(e for e in mail.outbox if e.to == ["lan@so.gov.vn"])
    link = "https://cchc.example.gov.vn/report/pvp/2021/1/"
    assert email.subject == "Nhắc nộp báo cáo quý 1/2021 của Phòng Văn phòng: còn 3 ngày làm việc"
    assert "Xin chào lan," in email.body
    assert "Hạn nộp là ngày 14/04/2021, còn 3 ngày làm việc." in email.body
    assert "Tình trạng hiện tại: Bản nháp." in email.body
    assert link in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{link}">' in html
    assert "còn 3 ngày làm việc" in html
    idle = next(e for e in mail.outbox if e.to == ["hoa@so.gov.vn"])
    assert "Tình trạng hiện tại: Chưa lập." in idle.body


def test_reminder_after_the_deadline_says_how_many_days_late(
    reminder_units, django_capture_on_commit_callbacks
):
    _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 19))
    email = next(e for e in mail.outbox if e.to == ["minh@so.gov.vn"])
    assert email.subject == "Báo cáo quý 1/2021 của Phòng Văn phòng đã quá hạn 3 ngày làm việc"
    assert "đã quá hạn 3 ngày làm việc (hạn nộp ngày 14/04/2021) mà chưa được gửi." in email.body
    assert "quá hạn 3 ngày làm việc" in email.alternatives[0][0]
    assert "còn" not in email.body


def test_reminders_are_sent_only_after_the_commit(
    reminder_units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.reminders.report_reminders_send(today=dt.date(2021, 4, 9)) == 3
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 3


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite writes one transaction at a time"
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(db):
    """Two runs of the same day in parallel: the second waits on the first's row of the
    unique constraint, then finds it taken."""
    department = factories.department()
    for n in range(5):
        unit = factories.unit(f"phong-{n}", parent=department)
        factories.staff(f"cv{n}", unit, email=f"cv{n}@so.gov.vn")
    start = threading.Barrier(2)
    counts: list[int] = []

    def run() -> None:
        try:
            start.wait()
            counts.append(services.reminders.report_reminders_send(today=dt.date(2021, 4, 9)))
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(counts) == 5  # however the work fell between the two
    assert len(mail.outbox) == 5
    assert len({address for email in mail.outbox for address in email.to}) == 5
    assert ReminderSent.objects.count() == 5
