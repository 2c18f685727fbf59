"""Emails that follow a quarterly report on its way (thông báo): to the directors who
review the unit when it is submitted, to its staff when it is returned or approved.
Each is a subject, a text body and the same in HTML (``templates/emails/report_*``),
sent once the move commits; a mail server that fails then is logged, and the move
stands."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from commitments import selectors
from commitments.models import QuarterlyReport

logger = logging.getLogger(__name__)

SUBMITTED = "submitted"
RETURNED = "returned"
APPROVED = "approved"
EVENTS = (SUBMITTED, RETURNED, APPROVED)


def report_notify(*, report: QuarterlyReport, event: str, user) -> int:
    """Queue the emails of a report's move (``SUBMITTED``, ``RETURNED`` or
    ``APPROVED``), to be sent once the transaction commits; returns how many. Call
    inside the move's transaction, after it: a move refused or rolled back sends
    nothing. The person who moved it is not told of their own act."""
    if event not in EVENTS:
        raise ValueError(f"unknown report event {event!r}")
    if event == SUBMITTED:
        people = selectors.reviews.report_reviewers(unit=report.unit)
    else:
        people = selectors.reviews.report_writers(report=report)
    people = [person for person in people if person.pk != getattr(user, "pk", None)]
    if not people:
        return 0
    context = _context(report, event, user)
    messages = [_email(event, person, context) for person in people]
    transaction.on_commit(lambda: _send(messages, report, event))
    return len(messages)


def _context(report: QuarterlyReport, event: str, user) -> dict:
    """What the emails of one move say, whoever reads them."""
    site = settings.SITE_URL.rstrip("/")
    path = reverse(
        "commitments:quarterly_report", args=[report.unit.code, report.year, report.quarter]
    )
    context = {
        "unit": report.unit,
        "year": report.year,
        "quarter": report.quarter,
        "actor": (user.get_full_name() or user.get_username()) if user else "",
        "at": timezone.localtime(timezone.now()),
        "comment": report.comment,
        "url": f"{site}{path}",
        "inbox_url": f"{site}{reverse('commitments:review')}",
    }
    if event == SUBMITTED:
        work = selectors.completeness.deadline_calendar([(report.year, report.quarter)])
        deadline = selectors.completeness.report_deadlines(
            periods=[(report.year, report.quarter)], work=work
        )[(report.year, report.quarter)]
        # Late or not by the first submission, as the completeness page counts it.
        first = timezone.localtime(report.first_submitted_at or timezone.now())
        context["deadline"] = deadline
        context["days_late"] = max(work.working_days_between(deadline, first.date()), 0)
    return context


def _email(event: str, person, context: dict) -> EmailMultiAlternatives:
    """One person's email, in the site's language (there is no per-user language yet)."""
    context = {**context, "name": person.get_full_name() or person.get_username()}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/report_{event}_subject.txt", context)
        text = render_to_string(f"emails/report_{event}.txt", context)
        html = render_to_string(f"emails/report_{event}.html", context)
    email = EmailMultiAlternatives(" ".join(subject.split()), text, to=[person.email])
    email.attach_alternative(html, "text/html")
    return email


def _send(messages: list[EmailMultiAlternatives], report: QuarterlyReport, event: str) -> None:
    try:
        get_connection().send_messages(messages)
    except Exception:
        logger.warning(
            "The %s emails of the report %s-Q%s of %s were not sent.",
            event,
            report.year,
            report.quarter,
            report.unit.code,
            exc_info=True,
        )
