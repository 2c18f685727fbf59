"""Evidence (minh chứng) added to or removed from a unit's quarterly report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from commitments import engine
from commitments.models import AuditEntry, Evidence, QuarterlyReport, Unit
from commitments.services import audit, recompute
from commitments.services.reports import NON_FIELD, ReportRefused, report_editable_row


def evidence_add(
    *,
    report: QuarterlyReport,
    user,
    kind: str,
    date: dt.date,
    reference: str,
    title: str = "",
    subject_unit: Unit | None = None,
    file=None,
    link: str = "",
) -> Evidence:
    """Add an evidence record (minh chứng) to a unit's quarterly report, with its
    document as an uploaded ``file`` (already checked by type and size) or a ``link``.
    Refused while the report is not in its staff's hands, and when the same record is
    already stored. The statuses are recomputed after commit."""
    with transaction.atomic():
        row = report_editable_row(report, user)
        evidence = Evidence(
            unit=row.unit,
            kind=kind,
            date=date,
            subject_unit=subject_unit,
            reference=reference.strip(),
            title=title.strip(),
            link=link,
            created_by=audit.user_or_none(user),
        )
        if file is not None:
            evidence.file_name = Path(file.name).name[:255]
        try:
            with transaction.atomic():
                if file is not None:
                    evidence.file.save(file.name, file, save=False)
                evidence.save()
                _evidence_audit(row, evidence, action=AuditEntry.Action.CREATED, user=user)
        except BaseException as error:
            # The row was not written: the file must not stay behind.
            if evidence.file:
                evidence.file.delete(save=False)
            if isinstance(error, IntegrityError):
                raise ReportRefused(
                    {"reference": gettext("Minh chứng này (cùng loại, ngày và số) đã có.")}
                ) from None
            raise
        recompute.recompute_request(years=[date.year])
    return evidence


def evidence_delete(*, report: QuarterlyReport, user, evidence: Evidence) -> None:
    """Remove an evidence record of the report's unit and quarter, and its file once the
    removal is committed. Refused while the report is not in its staff's hands."""
    first, last = engine.period_bounds(report.year, report.quarter)
    if evidence.unit_id != report.unit_id or not first <= evidence.date <= last:
        raise ReportRefused({NON_FIELD: gettext("Minh chứng này không thuộc báo cáo.")})
    with transaction.atomic():
        row = report_editable_row(report, user)
        _evidence_audit(row, evidence, action=AuditEntry.Action.DELETED, user=user)
        name = evidence.file.name if evidence.file else ""
        evidence.delete()
        if name:
            storage = evidence.file.storage
            transaction.on_commit(lambda: storage.delete(name))
        recompute.recompute_request(years=[evidence.date.year])


def _evidence_audit(row: QuarterlyReport, evidence: Evidence, *, action: str, user) -> None:
    """Record an evidence record added (``CREATED``) or removed (``DELETED``) in the
    report's audit log, field by field."""
    added = action == AuditEntry.Action.CREATED
    audit.report_audit(
        row,
        subject=AuditEntry.Subject.EVIDENCE,
        action=action,
        user=user,
        label=evidence_key(evidence),
        changes=[
            (name, None, value) if added else (name, value, None)
            for name, value in _evidence_fields(evidence)
        ],
    )


def _evidence_fields(evidence: Evidence) -> list[tuple[str, str | None]]:
    """What the audit log keeps of an evidence record added or removed."""
    subject = evidence.subject_unit.code if evidence.subject_unit_id else None
    return [
        ("kind", evidence.kind),
        ("title", evidence.title),
        ("subject_unit", subject),
        ("file", evidence.file_name),
        ("link", evidence.link),
    ]


def evidence_key(evidence: Evidence) -> str:
    """An evidence record in the audit log: its reference and date (its kind is one
    of the changes, so that it reads in the reader's language)."""
    return f"{evidence.reference} ({evidence.date:%d/%m/%Y})"
