"""Official figures (DOMAIN.md): a status a director signs counts only the figures of
approved reports, and figures a trusted channel writes (an admin's import) are
official on arrival, approving the reports they land in."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

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
    *, periods: Iterable[tuple[Unit, int, int]], user=None, note: str = ""
) -> int:
    """Approve the reports a trusted channel (an admin's import) wrote figures to,
    creating those that do not exist yet, each recorded in the audit log as approved
    with ``note``; returns how many changed state. The version of every report touched
    grows, so a form opened before the import cannot save over it. A fixed number of
    queries, whatever the number of reports."""
    wanted = {(unit.pk, year, quarter): unit for unit, year, quarter in periods}
    if not wanted:
        return 0
    reports = _reports_of(wanted)
    now = timezone.now()
    moving = [r for r in reports if r.state != APPROVED]
    QuarterlyReport.objects.filter(pk__in=[r.pk for r in moving]).update(
        state=APPROVED, decided_at=now, decided_by=audit.user_or_none(user)
    )
    QuarterlyReport.objects.filter(pk__in=[r.pk for r in reports]).update(
        version=F("version") + 1, updated_at=now
    )
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
