"""The audit log (nhật ký thay đổi): who changed what of whose report, written inside
the transaction of the change itself."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence

from commitments.models import AuditEntry, QuarterlyReport, Unit


def audit_record(
    *,
    subject: str,
    action: str,
    user=None,
    unit: Unit | None = None,
    year: int | None = None,
    quarter: int | None = None,
    label: str = "",
    changes: Iterable[Sequence] = (),
    note: str = "",
) -> AuditEntry:
    """Record one change (nhật ký thay đổi): who did what to whose report, with each
    ``[key, old, new]``. Called inside the transaction of the change itself, so the
    record and the change are written together or not at all."""
    entry = _audit_entry(
        subject=subject,
        action=action,
        user=user,
        report=(unit, year, quarter),
        label=label,
        changes=[
            (key, old, new) for key, old, new in changes if audit_text(old) != audit_text(new)
        ],
        note=note,
    )
    entry.save(force_insert=True)
    return entry


def report_audit(report: QuarterlyReport, **entry) -> AuditEntry:
    """Record a change that belongs to a unit's report of a quarter."""
    return audit_record(unit=report.unit, year=report.year, quarter=report.quarter, **entry)


def audit_per_report(
    history: Mapping[tuple[Unit, int, int], list],
    *,
    subject: str,
    action: str,
    user=None,
    label: str = "",
    note: str = "",
) -> None:
    """Record changes grouped by the report they belong to, one entry per (unit,
    year, quarter) of ``history``; the entries of one import share a batch."""
    batch = uuid.uuid4().hex if action == AuditEntry.Action.IMPORTED else ""
    AuditEntry.objects.bulk_create(
        [
            _audit_entry(
                subject=subject,
                action=action,
                user=user,
                report=report,
                label=label,
                changes=rows,
                note=note,
                batch=batch,
            )
            for report, rows in history.items()
        ],
        batch_size=500,
    )


def _audit_entry(
    *,
    subject: str,
    action: str,
    user,
    report: tuple[Unit | None, int | None, int | None],
    label: str,
    changes: Iterable[Sequence],
    note: str,
    batch: str = "",
) -> AuditEntry:
    """An entry (not saved yet) of the change of ``report`` (unit, year, quarter), with
    its label cut to what the log keeps and each ``[key, old, new]`` as text."""
    unit, year, quarter = report
    return AuditEntry(
        subject=subject,
        action=action,
        user=user_or_none(user),
        unit=unit,
        year=year,
        quarter=quarter,
        label=label[:500],
        changes=[[key, audit_text(old), audit_text(new)] for key, old, new in changes],
        note=note,
        batch=batch,
    )


def user_or_none(user):
    """The user when signed in; None for an anonymous user or none at all."""
    return user if getattr(user, "is_authenticated", False) else None


def audit_text(value) -> str | None:
    """A value as the audit log keeps it: text, dates in ISO form, empty as None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
