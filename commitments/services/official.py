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
    grows, so a form opened before the import cannot save over it."""
    moved = 0
    now = timezone.now()
    for unit, year, quarter in sorted(set(periods), key=lambda p: (p[1], p[2], p[0].code)):
        report, _ = QuarterlyReport.objects.get_or_create(unit=unit, year=year, quarter=quarter)
        was = report.state
        QuarterlyReport.objects.filter(pk=report.pk).update(
            state=APPROVED,
            version=F("version") + 1,
            decided_at=now if was != APPROVED else F("decided_at"),
            decided_by=audit.user_or_none(user) if was != APPROVED else F("decided_by"),
            updated_at=now,
        )
        official_release(report=report)
        if was != APPROVED:
            moved += 1
            audit.report_audit(
                report,
                subject=AuditEntry.Subject.REPORT,
                action=AuditEntry.Action.APPROVED,
                user=user,
                changes=[["state", was, APPROVED]],
                note=note,
            )
    return moved
