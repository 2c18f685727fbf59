"""Reporting completeness (tình hình nộp báo cáo): when a quarter's reports are due,
which units must report, where each stands, and whom a reminder reaches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from commitments import access, engine
from commitments.models import Membership, QuarterlyReport, ReportingDeadline, Unit
from commitments.selectors import calendar

NOT_STARTED = "not_started"  # no report row: nobody has opened the quarter's form yet
# The states that count as reported (DHIS2's "complete" data set registrations).
SUBMITTED_STATES = frozenset(
    {QuarterlyReport.State.SUBMITTED.value, QuarterlyReport.State.APPROVED.value}
)


def default_report_deadline(year: int, quarter: int, work: engine.WorkCalendar) -> dt.date:
    """``REPORT_DEADLINE_DAYS`` working days after the quarter's last day: weekends,
    public holidays (Tết included) and the admin's days off do not count."""
    last_day = engine.period_bounds(year, quarter)[1]
    return work.add_working_days(last_day, settings.REPORT_DEADLINE_DAYS)


def deadline_calendar(periods: Iterable[tuple[int, int]]) -> engine.WorkCalendar:
    """The working days that the deadlines of ``periods`` count (a fourth quarter's
    run into the next year). One query."""
    years = {year for year, _ in periods}
    return calendar.work_calendar(years=years | {year + 1 for year in years})


def report_deadline(*, year: int, quarter: int) -> dt.date:
    """The day a quarter's reports are due (hạn nộp báo cáo): the day an admin set for
    the quarter (``ReportingDeadline``), else ``REPORT_DEADLINE_DAYS`` working days
    after the quarter's last day. At most two queries."""
    return report_deadlines(periods=[(year, quarter)])[(year, quarter)]


def report_deadlines(
    *, periods: Iterable[tuple[int, int]], work: engine.WorkCalendar | None = None
) -> dict[tuple[int, int], dt.date]:
    """``report_deadline`` of each (year, quarter): one query, and one more for the
    working days when some quarter has no day set and ``work`` is not given."""
    periods = set(periods)
    set_by_admin = {
        (d.year, d.quarter): d.due_on
        for d in ReportingDeadline.objects.filter(year__in={y for y, _ in periods})
    }
    if work is None and periods - set(set_by_admin):
        work = deadline_calendar(periods)
    return {
        period: set_by_admin.get(period) or default_report_deadline(*period, work)
        for period in periods
    }


def report_quarters_due(
    *, days: set[dt.date], work: engine.WorkCalendar
) -> list[tuple[int, int, dt.date]]:
    """The quarters whose reports are due on one of ``days``, as (year, quarter, due
    day): those an admin set on one of the days, and those with no day set whose
    default (counted on ``work``) falls on one. One query."""
    # A default deadline is at most REPORT_DEADLINE_DAYS working days after its
    # quarter's end: the quarters that end from that far before the first day.
    earliest = work.add_working_days(min(days), -settings.REPORT_DEADLINE_DAYS)
    year, quarter = earliest.year, engine.quarter_of(earliest)
    candidates = []
    while engine.period_bounds(year, quarter)[0] <= max(days):
        candidates.append((year, quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    # The rows set on one of the days, and the rows that move a default elsewhere.
    condition = Q(due_on__in=days)
    for year, quarter in candidates:
        condition |= Q(year=year, quarter=quarter)
    set_by_admin = {
        (year, quarter): due_on
        for year, quarter, due_on in ReportingDeadline.objects.filter(condition).values_list(
            "year", "quarter", "due_on"
        )
    }
    due = {
        period: default_report_deadline(*period, work)
        for period in candidates
        if period not in set_by_admin
    }
    due.update(set_by_admin)
    return sorted((year, quarter, day) for (year, quarter), day in due.items() if day in days)


def expected_units(*, scope: access.Scope) -> QuerySet[Unit]:
    """The units that must report each quarter (đơn vị phải báo cáo) among those the
    scope sees: every division and affiliated unit. The department (Sở) has no report
    of its own."""
    units = Unit.objects.exclude(kind=Unit.Kind.DEPARTMENT).order_by("code")
    return scope.filter(units, "pk")


def _reachable_staff() -> QuerySet[Membership]:
    """The staff memberships a reminder can reach: an active user with an email."""
    return Membership.objects.filter(role=access.ROLE_STAFF, user__is_active=True).exclude(
        user__email=""
    )


def report_reminder_recipients(*, unit_ids: set[int]) -> dict[int, list]:
    """Who a unit's reminder goes to, by unit id: its active staff with an email
    address, each address once. One query."""
    recipients: dict[int, list] = {}
    seen: set[tuple[int, str]] = set()
    memberships = (
        _reachable_staff()
        .filter(unit_id__in=unit_ids)
        .select_related("user")
        .order_by("unit_id", "user__username")
    )
    for membership in memberships:
        key = (membership.unit_id, membership.user.email.strip().lower())
        if key not in seen:
            seen.add(key)
            recipients.setdefault(membership.unit_id, []).append(membership.user)
    return recipients


@dataclass(frozen=True)
class UnitReporting:
    """Where one unit stands with a quarter's report."""

    unit: Unit
    state: str  # NOT_STARTED or a QuarterlyReport.State value
    first_submitted_at: dt.datetime | None
    submitted: bool  # submitted or approved: counts for the reporting rate
    on_time: bool  # submitted, and first sent on or before the deadline day (local time)
    late: bool  # the deadline has passed and the report is not submitted
    staff_with_email: int

    @property
    def timeliness(self) -> str:
        """``on_time``, ``submitted_late``, ``late`` (overdue, not submitted) or
        ``pending`` (not submitted, not yet due)."""
        if self.submitted:
            return "on_time" if self.on_time else "submitted_late"
        return "late" if self.late else "pending"


# The units that need someone's attention first: overdue, then not yet submitted.
_ATTENTION = {"late": 0, "pending": 1, "submitted_late": 2, "on_time": 3}
TIMELINESS = tuple(_ATTENTION)


@dataclass(frozen=True)
class Completeness:
    """How completely and how promptly the units reported a quarter, DHIS2's way:
    reporting rate = submitted / expected, reporting rate on time = submitted by the
    deadline / expected; and how many reports are approved. A resubmission after a
    return keeps the first submission's time."""

    year: int
    quarter: int
    deadline: dt.date
    today: dt.date
    days_left: int  # working days from today to the deadline, negative once it has passed
    units: tuple[UnitReporting, ...]  # late first, then pending, submitted late, on time
    expected: int
    submitted: int
    on_time: int
    approved: int
    # How many units are in each ``UnitReporting.timeliness``.
    timeliness: Mapping[str, int] = field(default_factory=dict)

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.deadline

    @property
    def submitted_percent(self) -> float | None:
        return _percent(self.submitted, self.expected)

    @property
    def on_time_percent(self) -> float | None:
        return _percent(self.on_time, self.expected)

    @property
    def approved_percent(self) -> float | None:
        return _percent(self.approved, self.expected)


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def report_completeness(
    *, scope: access.Scope, year: int, quarter: int, today: dt.date | None = None
) -> Completeness:
    """Where each expected unit of the scope stands with its report of the quarter,
    and the totals (tình hình nộp báo cáo). ``today`` (default: the local date) says
    whether the deadline has passed. Five queries, whatever the number of units."""
    summary = completeness_summary(scope=scope, year=year, quarter=quarter, today=today)
    return replace(summary, units=unit_reporting(unit_standing(scope=scope, summary=summary)))


def completeness_summary(
    *, scope: access.Scope, year: int, quarter: int, today: dt.date | None = None
) -> Completeness:
    """The deadline and the totals of ``report_completeness``, counted in the database,
    without the units (a page reads them a page at a time: ``unit_standing``). Three
    queries: the working days, the deadline set by an admin, the totals."""
    today = today or timezone.localdate()
    work = calendar.work_calendar(years={year, year + 1, today.year})
    deadline = report_deadlines(periods=[(year, quarter)], work=work)[(year, quarter)]
    summary = Completeness(
        year=year,
        quarter=quarter,
        deadline=deadline,
        today=today,
        days_left=work.working_days_between(today, deadline),
        units=(),
        expected=0,
        submitted=0,
        on_time=0,
        approved=0,
    )
    counts = {name: Count("pk", filter=Q(attention=rank)) for name, rank in _ATTENTION.items()}
    totals = unit_standing(scope=scope, summary=summary).aggregate(
        expected=Count("pk"),
        approved=Count("pk", filter=Q(report_state=QuarterlyReport.State.APPROVED)),
        **counts,
    )
    return replace(
        summary,
        expected=totals["expected"],
        submitted=totals["on_time"] + totals["submitted_late"],
        on_time=totals["on_time"],
        approved=totals["approved"],
        timeliness={name: totals[name] for name in _ATTENTION},
    )


def unit_standing(
    *, scope: access.Scope, summary: Completeness, timeliness: str = ""
) -> QuerySet[Unit]:
    """The expected units of the scope, the ones that need attention first (overdue,
    then not yet due, submitted late, on time; then by code), each with the state of
    its report of the quarter (``report_state``: ``NOT_STARTED`` without one), when it
    was first sent (``sent_at``; a report stored before first submissions were kept
    counts from its last one) and its place in that order (``attention``); only those
    of one ``timeliness`` when it names one. A query to page."""
    # The deadline is a day in Vietnam: a report sent at 23:30 local time on that day
    # (16:30 UTC) is on time, one sent at 00:30 the next day is not.
    day_after = summary.deadline + dt.timedelta(days=1)
    until = timezone.make_aware(
        dt.datetime.combine(day_after, dt.time.min), timezone.get_default_timezone()
    )
    submitted = Q(report_state__in=SUBMITTED_STATES)
    units = (
        expected_units(scope=scope)
        .annotate(
            report=FilteredRelation(
                "quarterly_reports",
                condition=Q(
                    quarterly_reports__year=summary.year,
                    quarterly_reports__quarter=summary.quarter,
                ),
            )
        )
        .annotate(
            report_state=Coalesce(F("report__state"), Value(NOT_STARTED)),
            sent_at=Coalesce(F("report__first_submitted_at"), F("report__submitted_at")),
        )
        .annotate(
            attention=Case(
                When(submitted & Q(sent_at__lt=until), then=Value(_ATTENTION["on_time"])),
                When(submitted, then=Value(_ATTENTION["submitted_late"])),
                default=Value(_ATTENTION["late" if summary.deadline_passed else "pending"]),
                output_field=IntegerField(),
            )
        )
        .order_by("attention", "code")
    )
    if timeliness in _ATTENTION:
        units = units.filter(attention=_ATTENTION[timeliness])
    return units


def unit_reporting(units: Iterable[Unit]) -> tuple[UnitReporting, ...]:
    """Each unit of ``unit_standing`` (a page of them, or all) where it stands, with
    its active staff who have an email (one query)."""
    units = list(units)
    staff = dict(
        _reachable_staff()
        .filter(unit__in=[unit.pk for unit in units])
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    timeliness = {rank: name for name, rank in _ATTENTION.items()}
    return tuple(
        UnitReporting(
            unit=unit,
            state=unit.report_state,
            first_submitted_at=unit.sent_at,
            submitted=unit.report_state in SUBMITTED_STATES,
            on_time=timeliness[unit.attention] == "on_time",
            late=timeliness[unit.attention] == "late",
            staff_with_email=staff.get(unit.pk, 0),
        )
        for unit in units
    )
