"""The director's review inbox (báo cáo chờ duyệt): the submitted reports a user may
approve or return, oldest first, and how many there are for the navigation."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from commitments import access
from commitments.models import Membership, QuarterlyReport, Unit
from commitments.selectors import calendar, completeness


@dataclass(frozen=True)
class ReviewItem:
    """A report waiting for a decision, with its deadline and, in working days, how
    late it was first sent (0: on time) and how long it has waited since it was sent."""

    report: QuarterlyReport
    deadline: dt.date
    days_late: int
    days_waiting: int

    @property
    def submitter(self) -> str:
        user = self.report.submitted_by
        return (user.get_full_name() or user.get_username()) if user else ""


def review_inbox(*, scope: access.Scope, today: dt.date | None = None) -> list[ReviewItem]:
    """The submitted reports of the units a user directs (every unit for a superuser),
    the one waiting longest first. Three queries, whatever the number of units or
    reports: the reports with their units and senders, the deadlines set by an admin,
    the working-day calendar."""
    return review_items(review_reports(scope=scope), today=today)


def review_reports(*, scope: access.Scope) -> QuerySet[QuarterlyReport]:
    """The submitted reports of the units a user directs (every unit for a superuser),
    the one waiting longest first, with their units and senders: a query to page."""
    reports = (
        QuarterlyReport.objects.filter(state=QuarterlyReport.State.SUBMITTED)
        .select_related("unit", "submitted_by")
        .order_by("submitted_at", "unit__code", "pk")
    )
    if not scope.everything:
        reports = reports.filter(unit_id__in=scope.ids(directed=True))
    return reports


def review_items(
    reports: Iterable[QuarterlyReport], *, today: dt.date | None = None
) -> list[ReviewItem]:
    """Each report (of ``review_reports``, or a page of them) with its deadline, how
    late it was first sent and how long it has waited, in working days. Two queries
    (the deadlines set by an admin, the working-day calendar), none for no report."""
    today = today or timezone.localdate()
    reports = list(reports)
    if not reports:
        return []
    periods = {(r.year, r.quarter) for r in reports}
    years = {year for year, _ in periods}
    work = calendar.work_calendar(years=years | {year + 1 for year in years} | {today.year})
    deadlines = completeness.report_deadlines(periods=periods, work=work)
    local = timezone.get_default_timezone()
    # A page of reports sent on a few days: each span of days is counted once.
    between = functools.cache(work.working_days_between)
    items = []
    for report in reports:
        deadline = deadlines[(report.year, report.quarter)]
        first = report.first_submitted_at or report.submitted_at
        sent_on = timezone.localtime(first, local).date() if first else today
        waiting_since = timezone.localtime(report.submitted_at or first, local).date()
        items.append(
            ReviewItem(
                report=report,
                deadline=deadline,
                days_late=max(between(deadline, sent_on), 0),
                days_waiting=max(between(waiting_since, today), 0),
            )
        )
    return items


@dataclass(frozen=True)
class ReviewBadge:
    """What the navigation says of a user's reviews: whether they review reports at
    all (a director, or a superuser) and how many wait for them."""

    directs: bool
    waiting: int
    # Staff of a receiving desk: the frame links the satisfaction survey pages.
    desk_staff: bool = False


NO_REVIEWS = ReviewBadge(directs=False, waiting=0)


def review_badge(*, user) -> ReviewBadge:
    """Whether a user reviews reports and how many wait for them, as ``review_inbox``
    counts them. One query (none for an anonymous visitor).

    A director reviews the units of their director memberships and every unit below:
    the tree is walked in the database (a recursive query, which SQLite and PostgreSQL
    both run), so that every page's navigation costs one query, not three."""
    if not getattr(user, "is_authenticated", False):
        return NO_REVIEWS
    submitted = QuarterlyReport.State.SUBMITTED.value
    if user.is_superuser:
        return ReviewBadge(True, QuarterlyReport.objects.filter(state=submitted).count())
    quote = connection.ops.quote_name
    membership, unit, report = (
        quote(model._meta.db_table) for model in (Membership, Unit, QuarterlyReport)
    )
    sql = f"""
        WITH RECURSIVE directed(id) AS (
            SELECT unit_id FROM {membership} WHERE user_id = %s AND role = %s
            UNION
            SELECT child.id FROM {unit} child JOIN directed ON child.parent_id = directed.id
        )
        SELECT
            (SELECT COUNT(*) FROM {membership} WHERE user_id = %s AND role = %s),
            (SELECT COUNT(*) FROM {report} WHERE state = %s
                AND unit_id IN (SELECT id FROM directed)),
            (SELECT COUNT(*) FROM {membership} m JOIN {unit} u ON u.id = m.unit_id
                WHERE m.user_id = %s AND m.role = %s AND u.receives_dossiers)
    """
    params = [user.pk, access.ROLE_DIRECTOR, user.pk, access.ROLE_DIRECTOR, submitted]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, user.pk, access.ROLE_STAFF])
        heads, waiting, desks = cursor.fetchone()
    return ReviewBadge(directs=bool(heads), waiting=waiting, desk_staff=bool(desks))


# --- whom the emails of a report's way reach ---


def report_reviewers(*, unit: Unit) -> list:
    """Who is told that a unit's report was submitted: the active directors with an
    email of the nearest unit, from the unit itself up the tree, that has any, so that
    a division's head hears of the division's report and the department's director of
    a unit with no head of its own. Two queries: the tree, the directors above."""
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    chain, pk = [], unit.pk
    while pk is not None and pk not in chain:
        chain.append(pk)
        pk = parents.get(pk)
    by_unit: dict[int, list] = {}
    memberships = (
        Membership.objects.filter(
            unit_id__in=chain, role=access.ROLE_DIRECTOR, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    for membership in memberships:
        by_unit.setdefault(membership.unit_id, []).append(membership.user)
    for pk in chain:
        if pk in by_unit:
            return list({u.email.strip().lower(): u for u in by_unit[pk]}.values())
    return []


def report_writers(*, report: QuarterlyReport) -> list:
    """Who is told that a report was returned or approved: the unit's active staff with
    an email, and whoever submitted it when they are not among them (an admin who
    sent it for the unit). Each address once; one query, two with a sender."""
    people = completeness.report_reminder_recipients(unit_ids={report.unit_id}).get(
        report.unit_id, []
    )
    sender = report.submitted_by
    addresses = {u.email.strip().lower() for u in people}
    if sender and sender.is_active and sender.email and sender.email.lower() not in addresses:
        people = [*people, sender]
    return people
