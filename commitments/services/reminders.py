"""Reminders to report (nhắc nộp báo cáo): emails to the staff of units whose
quarterly report is due soon or late."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from commitments import access, engine, selectors
from commitments.models import ReminderSent, Unit


def report_reminders_send(*, today: dt.date) -> int:
    """Remind the staff of every unit whose quarterly report is not yet submitted (nhắc
    nộp báo cáo), on each day ``REPORT_REMINDER_OFFSETS`` working days from the
    quarter's deadline (negative: before it); returns how many emails were sent.

    Nothing is sent on a day that is not a working day (a weekend, a public holiday,
    Tết, a day off an admin added): offsets count working days, so every reminder
    falls on one. Each person gets an email of their own, so that no one sees another's
    address. Reminded are the active staff with an email of each division and
    affiliated unit whose report is not started, a draft or returned.

    Once per unit, quarter and offset: a ``ReminderSent`` row is inserted first, in a
    savepoint, and the unique constraint decides. A second run the same day, or a second
    worker running at the same time, finds the row (or waits for the first to commit
    and then finds it) and sends nothing. The emails go once the rows are committed
    (``transaction.on_commit``), so a rolled back run sends nothing. At most once: if
    the mail server fails after the commit, the row stays and that reminder is not sent
    again; the next offset's reminder still goes.
    """
    work = selectors.calendar.work_calendar(years={today.year - 1, today.year, today.year + 1})
    if not work.is_working_day(today):
        return 0
    messages: list[EmailMultiAlternatives] = []
    with transaction.atomic():
        for year, quarter, offset in _reminders_due(today, work):
            completeness = selectors.completeness.report_completeness(
                scope=access.ALL_UNITS, year=year, quarter=quarter, today=today
            )
            owing = [row for row in completeness.units if not row.submitted]
            recipients = selectors.completeness.report_reminder_recipients(
                unit_ids={row.unit.pk for row in owing}
            )
            for row in owing:
                people = recipients.get(row.unit.pk, [])
                if not _reminder_claim(
                    unit=row.unit, year=year, quarter=quarter, offset=offset, recipients=len(people)
                ):
                    continue
                messages.extend(
                    _reminder_email(user=user, row=row, completeness=completeness)
                    for user in people
                )
        if messages:
            transaction.on_commit(lambda: get_connection().send_messages(messages))
    return len(messages)


def _reminders_due(today: dt.date, work: engine.WorkCalendar) -> list[tuple[int, int, int]]:
    """The reminders due today, as (year, quarter, offset): the quarters whose deadline
    is ``offset`` working days from today, for each of ``REPORT_REMINDER_OFFSETS``."""
    offsets = settings.REPORT_REMINDER_OFFSETS
    first = work.add_working_days(today, -max([*offsets, 0]))
    last = work.add_working_days(today, -min([*offsets, 0]))
    days = {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
    return [
        (year, quarter, offset)
        for year, quarter, deadline in selectors.completeness.report_quarters_due(
            days=days, work=work
        )
        for offset in offsets
        if work.add_working_days(deadline, offset) == today
    ]


def _reminder_claim(*, unit: Unit, year: int, quarter: int, offset: int, recipients: int) -> bool:
    """Record the reminder; False when it is already recorded (sent, or being sent by
    another run that has not committed yet)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                unit=unit, year=year, quarter=quarter, offset=offset, recipients=recipients
            )
    except IntegrityError:
        return False
    return True


def _reminder_email(
    *,
    user,
    row: selectors.completeness.UnitReporting,
    completeness: selectors.completeness.Completeness,
) -> EmailMultiAlternatives:
    """One person's reminder: a subject, a text body and the same in HTML, in the
    site's language (there is no per-user language yet); the days left or late are
    working days."""
    year, quarter = completeness.year, completeness.quarter
    path = reverse("commitments:quarterly_report", args=[row.unit.code, year, quarter])
    context = {
        "name": user.get_full_name() or user.get_username(),
        "unit": row.unit,
        "state": row.state,
        "year": year,
        "quarter": quarter,
        "deadline": completeness.deadline,
        "days_left": max(completeness.days_left, 0),
        "days_late": max(-completeness.days_left, 0),
        "url": f"{settings.SITE_URL.rstrip('/')}{path}",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/report_reminder_subject.txt", context)
        text = render_to_string("emails/report_reminder.txt", context)
        html = render_to_string("emails/report_reminder.html", context)
    email = EmailMultiAlternatives(" ".join(subject.split()), text, to=[user.email])
    email.attach_alternative(html, "text/html")
    return email
