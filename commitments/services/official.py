"""Official figures (DOMAIN.md): a status a director signs counts only the figures of
approved reports, and figures a trusted channel writes (an admin's import) are
official on arrival, approving the reports they land in."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from commitments.models import AuditEntry, Figure, OfficialFigure, QuarterlyReport, Unit
from commitments.services import audit

APPROVED = QuarterlyReport.State.APPROVED
# What a kept figure copies of the figure: its key and its value.
KEPT = ("year", "quarter", "unit_id", "element_id", "category_id", "value")


def official_keep(*, report: QuarterlyReport) -> int:
    """Keep an approved report's figures official while it is reopened: copy them as
    they stand (its last approved values); returns how many. Called inside the
    transaction that reopens it."""
    official_release(report=report)
    figures = Figure.objects.filter(unit=report.unit, year=report.year, quarter=report.quarter)
    kept = OfficialFigure.objects.bulk_create(
        OfficialFigure(**{name: getattr(f, name) for name in KEPT}) for f in figures
    )
    return len(kept)


def official_release(*, report: QuarterlyReport) -> None:
    """Drop a report's kept values: once it is approved again its live figures are
    the official ones."""
    OfficialFigure.objects.filter(
        unit=report.unit, year=report.year, quarter=report.quarter
    ).delete()


def reports_approve_trusted(
    *,
    periods: Iterable[tuple[Unit, int, int]],
    written: Iterable[tuple[Unit, int, int]] | None = None,
    user=None,
    note: str = "",
) -> int:
    """Approve the reports a trusted channel (an admin's import) gave figures of,
    creating those that do not exist yet, each recorded in the audit log as approved
    with ``note``; returns how many changed state. The version of every report the
    channel changes grows, its state or its figures (``written``: the periods whose
    figures it changed; every period when not told), so a form opened before cannot
    save over it; an approved report it leaves as it was keeps its version (no form can
    save it anyway). A fixed number of queries, whatever the number of reports."""
    wanted = {(unit.pk, year, quarter): unit for unit, year, quarter in periods}
    if not wanted:
        return 0
    changed = wanted if written is None else {(u.pk, y, q) for u, y, q in written}
    reports = _reports_of(wanted)
    now = timezone.now()
    moving = [r for r in reports if r.state != APPROVED]
    QuarterlyReport.objects.filter(pk__in=[r.pk for r in moving]).update(
        state=APPROVED, decided_at=now, decided_by=audit.user_or_none(user)
    )
    bumped = [
        r.pk for r in reports if r.state != APPROVED or (r.unit_id, r.year, r.quarter) in changed
    ]
    QuarterlyReport.objects.filter(pk__in=bumped).update(version=F("version") + 1, updated_at=now)
    # Their live figures are the official ones now, not values kept at a reopening.
    kept = OfficialFigure.objects.filter(
        year__in={y for _, y, _ in wanted}, unit_id__in={u for u, _, _ in wanted}
    ).values_list("pk", "unit_id", "year", "quarter")
    OfficialFigure.objects.filter(pk__in=[pk for pk, *key in kept if tuple(key) in wanted]).delete()
    audit.audit_per_report(
        {
            (wanted[(r.unit_id, r.year, r.quarter)], r.year, r.quarter): [
                ["state", r.state, APPROVED]
            ]
            for r in sorted(moving, key=lambda r: (r.year, r.quarter, r.unit_id))
        },
        subject=AuditEntry.Subject.REPORT,
        action=AuditEntry.Action.APPROVED,
        user=user,
        note=note,
    )
    return len(moving)


def _reports_of(wanted: dict[tuple[int, int, int], Unit]) -> list[QuarterlyReport]:
    """The reports of these (unit id, year, quarter), those missing created as drafts."""

    def stored() -> list[QuarterlyReport]:
        found = QuarterlyReport.objects.filter(
            year__in={y for _, y, _ in wanted}, unit_id__in={u for u, _, _ in wanted}
        )
        return [r for r in found if (r.unit_id, r.year, r.quarter) in wanted]

    reports = stored()
    missing = set(wanted) - {(r.unit_id, r.year, r.quarter) for r in reports}
    if not missing:
        return reports
    QuarterlyReport.objects.bulk_create(
        [QuarterlyReport(unit_id=u, year=y, quarter=q) for u, y, q in sorted(missing)],
        ignore_conflicts=True,
    )
    return stored()


def import_note(source: str) -> str:
    """The note of the approvals an import of the file named ``source`` makes."""
    return gettext("Duyệt khi nhập tệp %(file)s") % {"file": source}


REPORT = QuarterlyReport._meta.db_table
AUDIT = AuditEntry._meta.db_table
# The periods being approved, listed once for the statements below.
PERIODS = "approve_period"

# The stored reports of the periods that are not approved yet, or (with ``written``)
# whose figures changed, grow their version; those not approved are approved, each
# recorded with the state it leaves.
APPROVE_STORED = f"""
WITH listed AS (
    SELECT r.id, r.state AS old FROM {REPORT} r
    JOIN {PERIODS} p ON (p.unit_id, p.year, p.quarter) = (r.unit_id, r.year, r.quarter)
    WHERE (%(written)s AND p.written) OR r.state <> %(approved)s
    FOR UPDATE OF r
), approved AS (
    UPDATE {REPORT} r SET
        version = r.version + 1,
        updated_at = %(now)s,
        state = %(approved)s,
        decided_at = CASE WHEN l.old = %(approved)s THEN r.decided_at ELSE %(now)s END,
        decided_by_id = CASE WHEN l.old = %(approved)s THEN r.decided_by_id ELSE %(user)s END
    FROM listed l WHERE r.id = l.id
    RETURNING r.unit_id, r.year, r.quarter, l.old
)
INSERT INTO {AUDIT} (at, user_id, unit_id, year, quarter, subject, action, label, changes, note, batch)
SELECT %(now)s, %(user)s, unit_id, year, quarter, %(subject)s, %(action)s, '',
    jsonb_build_array(jsonb_build_array('state', old, %(approved)s)), %(note)s, ''
FROM approved WHERE old <> %(approved)s
ORDER BY year, quarter, unit_id
"""

# The reports missing, created approved (as a draft approved at once, and recorded so).
CREATE_APPROVED = f"""
WITH created AS (
    INSERT INTO {REPORT}
        (unit_id, year, quarter, state, version, comment, updated_at, decided_at, decided_by_id)
    SELECT p.unit_id, p.year, p.quarter, %(approved)s, 1, '', %(now)s, %(now)s, %(user)s
    FROM {PERIODS} p
    WHERE NOT EXISTS (
        SELECT FROM {REPORT} r
        WHERE (r.unit_id, r.year, r.quarter) = (p.unit_id, p.year, p.quarter)
    )
    ORDER BY p.unit_id, p.year, p.quarter
    ON CONFLICT (unit_id, year, quarter) DO NOTHING
    RETURNING unit_id, year, quarter
)
INSERT INTO {AUDIT} (at, user_id, unit_id, year, quarter, subject, action, label, changes, note, batch)
SELECT %(now)s, %(user)s, unit_id, year, quarter, %(subject)s, %(action)s, '',
    jsonb_build_array(jsonb_build_array('state', %(draft)s, %(approved)s)), %(note)s, ''
FROM created
ORDER BY year, quarter, unit_id
"""

RELEASE = f"""
DELETE FROM {OfficialFigure._meta.db_table} o USING {PERIODS} p
WHERE (o.unit_id, o.year, o.quarter) = (p.unit_id, p.year, p.quarter)
"""


def reports_approve_listed(*, periods: str, user=None, note: str = "") -> int:
    """``reports_approve_trusted`` for the periods a query lists, in a fixed number of
    set-based statements whatever their number (PostgreSQL): ``periods`` is a query of
    the caller's own (never text from a user) giving ``unit_id, year, quarter,
    written`` rows (``written``: the channel changed the period's figures), e.g. from
    the staging table of an import. The same effects: every report of the periods
    approved (those missing created so), the version of those it changes grown, each
    change of state recorded with ``note``, kept values dropped; returns how many
    reports changed state."""
    params = {
        "now": timezone.now(),
        "user": getattr(audit.user_or_none(user), "pk", None),
        "note": note,
        "draft": QuarterlyReport.State.DRAFT,
        "approved": APPROVED,
        "subject": AuditEntry.Subject.REPORT,
        "action": AuditEntry.Action.APPROVED,
    }
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PERIODS}")
        cursor.execute(f"CREATE TEMP TABLE {PERIODS} ON COMMIT DROP AS {periods}")
        cursor.execute(APPROVE_STORED, {**params, "written": True})
        moved = cursor.rowcount
        cursor.execute(CREATE_APPROVED, params)
        moved += cursor.rowcount
        # A report another transaction created meanwhile (the insert above left it).
        cursor.execute(APPROVE_STORED, {**params, "written": False})
        moved += cursor.rowcount
        cursor.execute(RELEASE)
        cursor.execute(f"DROP TABLE {PERIODS}")
    return moved
