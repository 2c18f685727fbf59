"""The unit's plan tasks and milestones of the year, ticked on its quarterly report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from commitments.models import AuditEntry, Milestone, PlanTask, QuarterlyReport
from commitments.services import audit, recompute
from commitments.services.reports import NON_FIELD, ReportRefused, report_editable_row

# (audit subject, task or milestone, the day it was done, its evidence)
PlanUpdate = tuple[str, PlanTask | Milestone, dt.date | None, str]


def plan_save(
    *,
    report: QuarterlyReport,
    user,
    tasks: Mapping[int, tuple[str, str]],
    milestones: Mapping[int, tuple[str, str]],
) -> int:
    """Tick the unit's plan tasks and milestones of the year on its quarterly report:
    for each id, the day it was done (ISO text, empty: not done) and its evidence.
    All or nothing; errors are keyed ``task-<id>-done``, ``milestone-<id>-evidence``…
    A day must be in the report's year and not after today, and a done item names its
    evidence. Returns how many items changed; each change is recorded."""
    updates = _plan_updates(report, tasks, milestones)
    with transaction.atomic():
        row = report_editable_row(report, user)
        for subject, item, day, reference in updates:
            changes = [
                [name, old, new]
                for name, old, new in (
                    ("done_on", item.done_on, day),
                    ("evidence_reference", item.evidence_reference, reference),
                )
                if old != new
            ]
            item.done_on, item.evidence_reference = day, reference
            item.save(update_fields=["done_on", "evidence_reference"])
            audit.report_audit(
                row,
                subject=subject,
                action=AuditEntry.Action.UPDATED,
                user=user,
                label=str(item),
                changes=changes,
            )
        if updates:
            recompute.recompute_request(years=[report.year])
    return len(updates)


def _plan_updates(
    report: QuarterlyReport,
    tasks: Mapping[int, tuple[str, str]],
    milestones: Mapping[int, tuple[str, str]],
) -> list[PlanUpdate]:
    """The items whose day or evidence differ from the stored ones; refused
    (``ReportRefused``) with a message for each bad field."""
    today = timezone.localdate()
    items = [
        ("task", AuditEntry.Subject.PLAN_TASK, PlanTask, tasks),
        ("milestone", AuditEntry.Subject.MILESTONE, Milestone, milestones),
    ]
    errors: dict[str, str] = {}
    updates: list[PlanUpdate] = []
    for prefix, subject, model, typed in items:
        stored = model.objects.filter(unit=report.unit, year=report.year).in_bulk(list(typed))
        for pk, (day_text, reference) in typed.items():
            item = stored.get(pk)
            if item is None:
                errors[NON_FIELD] = gettext("Danh sách nhiệm vụ đã thay đổi: hãy tải lại trang.")
                continue
            field = f"{prefix}-{pk}"
            reference = (reference or "").strip()[:300]
            day = None
            if (day_text or "").strip():
                try:
                    day = dt.date.fromisoformat(day_text.strip())
                except ValueError:
                    errors[f"{field}-done"] = gettext("Ngày không hợp lệ.")
                    continue
                errors.update(_done_refusal(field, day, reference, today=today, year=report.year))
            if day != item.done_on or reference != item.evidence_reference:
                updates.append((subject, item, day, reference))
    if errors:
        raise ReportRefused(errors)
    return updates


def _done_refusal(
    field: str, day: dt.date, reference: str, *, today: dt.date, year: int
) -> dict[str, str]:
    """Why an item cannot be done on ``day`` with this evidence, keyed by its field
    (nothing when it can)."""
    if day > today:
        return {f"{field}-done": gettext("Ngày chưa đến: chỉ ghi việc đã làm.")}
    if day.year != year:
        return {
            f"{field}-done": gettext("Ngày hoàn thành phải trong năm %(year)s.") % {"year": year}
        }
    if not reference:
        return {
            f"{field}-evidence": gettext(
                "Ghi minh chứng (số văn bản hoặc đường dẫn) của việc đã hoàn thành."
            )
        }
    return {}
