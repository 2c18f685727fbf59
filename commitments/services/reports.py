"""Quarterly reports (báo cáo quý): saving the typed figures, and moving a report from
its staff to the director and back (submit, withdraw, approve, return, reopen)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter

from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from commitments import access, selectors
from commitments.models import AuditEntry, Category, DataElement, Figure, QuarterlyReport
from commitments.services import audit, figures, notices, official, recompute
from commitments.services.figures import FigureInput, ImportResult
from dossiers import selectors as dossier_selectors

# The key of a report's figure: (element code, category code or None).
FigureKey = tuple[str, str | None]
NON_FIELD = "__all__"


class ReportRefused(Exception):
    """A report action refused, nothing written; ``errors`` maps a field name
    (``selectors.reports.report_field``, ``comment``, ``reason`` or ``"__all__"``) to a message in the
    active language."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _report_stored(report: QuarterlyReport) -> QuarterlyReport:
    """The report's row, created as a draft on its first write (opening the page
    writes nothing)."""
    if report.pk is None:
        report, _ = QuarterlyReport.objects.get_or_create(
            unit=report.unit, year=report.year, quarter=report.quarter
        )
    return report


def report_save(
    *,
    report: QuarterlyReport,
    values: Mapping[FigureKey, str],
    version: int,
    user=None,
) -> ImportResult:
    """Save the figures typed on a quarterly report (lưu nháp báo cáo quý), all or nothing.

    Each value must be a whole number of 0 or more (0 or 1 for flags); an empty value
    removes the figure stored for the quarter, if any. Values of figures the unit does
    not type (``DataElement.source`` other than ``report``: counted from the citizens'
    survey) are ignored, whatever was posted. The figures go through
    ``figures_save``, so the validation rules are checked against the quarter's other
    figures and every change is recorded with ``user``. Refused (``ReportRefused``,
    nothing written) while the report is submitted or approved, and when ``version``
    is not the stored one: someone else saved meanwhile, and saving would silently
    undo their work. The report's version grows by one.
    """
    _ensure_open(report, user)
    inputs = _report_inputs(report, values)
    with transaction.atomic():
        row = _report_stored(report)
        bumped = QuarterlyReport.objects.filter(
            pk=row.pk, version=version, state__in=QuarterlyReport.EDITABLE
        ).update(version=F("version") + 1, updated_at=timezone.now())
        if bumped != 1:
            raise ReportRefused({NON_FIELD: _report_not_editable(row, version)})
        result = _report_figures_save(inputs, user)
    _report_refresh(report, row)
    return result


def _report_inputs(report: QuarterlyReport, values: Mapping[FigureKey, str]) -> list[FigureInput]:
    """The typed values as figures to save; an empty value of a figure not stored, and
    any value of a figure the unit does not type, are left out. Refused
    (``ReportRefused``) with a message for each bad field."""
    errors: dict[str, str] = {}
    elements = {e.code: e for e in DataElement.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    stored, derived = set(), set()
    for key in (
        Figure.objects.filter(unit=report.unit, year=report.year, quarter=report.quarter)
        .annotate(records=dossier_selectors.figure_records())
        .values_list("element__code", "category__code", "records")
    ):
        stored.add(key[:2])
        if key[2] is not None:
            derived.add(key[:2])
    inputs: list[FigureInput] = []
    for (element_code, category_code), text in values.items():
        element = elements.get(element_code)
        if element is not None and element.source != DataElement.Source.REPORT:
            continue  # counted from citizens' answers: never the desk's to type
        if (element_code, category_code) in derived:
            continue  # counted from the unit's dossier records: never typed over
        field = selectors.reports.report_field(element_code, category_code)
        value, refused = figures.figure_check(
            where=field,
            element_code=element_code,
            category_code=category_code,
            text=text,
            elements=elements,
            categories=categories,
            optional=True,
        )
        if refused:
            errors[field] = str(refused[0])  # the first: what is wrong with the figure itself
            continue
        if value is None and (element_code, category_code) not in stored:
            continue
        category = categories[category_code] if category_code else None
        inputs.append(
            FigureInput(field, report.year, report.quarter, report.unit, element, category, value)
        )
    if errors:
        raise ReportRefused(errors)
    return inputs


def _report_figures_save(inputs: list[FigureInput], user) -> ImportResult:
    """``figures_save``, its broken validation rules refused next to their fields."""
    try:
        return figures.figures_save(inputs=inputs, user=user)
    except figures.RulesBroken as broken:
        raise ReportRefused(
            {v.item.where: str(v.error(label=attrgetter("name"))) for v in broken.violations}
        ) from None


def _report_refresh(report: QuarterlyReport, row: QuarterlyReport) -> None:
    """Bring the caller's instance up to the stored row (it may have been unsaved)."""
    report.pk = row.pk
    report.refresh_from_db()
    report._state.adding = False


def _ensure_open(report: QuarterlyReport, user) -> None:
    """Refuse a change to a quarter no longer open for reporting (``access.report_open``),
    unless an admin makes it."""
    if getattr(user, "is_superuser", False) or access.report_open(report=report):
        return
    raise ReportRefused(
        {
            NON_FIELD: gettext(
                "Quý %(quarter)s/%(year)s không còn mở để báo cáo: cần quản trị viên mở lại "
                "báo cáo, kèm lý do."
            )
            % {"quarter": report.quarter, "year": report.year}
        }
    )


def report_editable_row(report: QuarterlyReport, user=None) -> QuarterlyReport:
    """The report's row, locked, when its staff may still change it; else refused.
    Call inside a transaction."""
    _ensure_open(report, user)
    row = _report_stored(report)
    row = QuarterlyReport.objects.select_for_update().get(pk=row.pk)
    if not row.editable:
        raise ReportRefused(
            {
                NON_FIELD: gettext("Báo cáo đang ở trạng thái “%(state)s”: không thể sửa.")
                % {"state": row.get_state_display()}
            }
        )
    return row


def _report_not_editable(report: QuarterlyReport, version: int) -> str:
    """Why a save found no editable row at the version the form was read at."""
    stored = QuarterlyReport.objects.get(pk=report.pk)
    if stored.state not in QuarterlyReport.EDITABLE:
        return gettext("Báo cáo đang ở trạng thái “%(state)s”: không thể sửa số liệu.") % {
            "state": stored.get_state_display()
        }
    return gettext(
        "Người khác đã lưu báo cáo này trong lúc bạn nhập (phiên bản %(stored)s, bạn mở "
        "phiên bản %(version)s). Chưa lưu gì: hãy tải lại trang rồi nhập lại."
    ) % {"stored": stored.version, "version": version}


def _report_move(
    *,
    report: QuarterlyReport,
    old: Sequence[str],
    new: str,
    refusal: str,
    user,
    action: str,
    note: str = "",
    **fields,
) -> QuarterlyReport:
    """Move a report from one of the ``old`` states to ``new`` with a conditional
    UPDATE, so two people acting at once cannot both succeed; refused unless exactly
    one row changed. The move is recorded in the audit log with ``note``."""
    with transaction.atomic():
        row = _report_stored(report)
        before = QuarterlyReport.objects.filter(pk=row.pk).values_list("state", flat=True).first()
        changed = QuarterlyReport.objects.filter(pk=row.pk, state__in=old).update(
            state=new, version=F("version") + 1, updated_at=timezone.now(), **fields
        )
        if changed != 1:
            raise ReportRefused({NON_FIELD: refusal})
        audit.report_audit(
            row,
            subject=AuditEntry.Subject.REPORT,
            action=action,
            user=user,
            changes=[["state", before, new]],
            note=note,
        )
    _report_refresh(report, row)
    return report


def report_submit(
    *,
    report: QuarterlyReport,
    user,
    values: Mapping[FigureKey, str] | None = None,
    version: int | None = None,
) -> QuarterlyReport:
    """Submit a draft or returned report to the director (gửi báo cáo), after saving the
    typed ``values`` when given (both or neither); the directors who review the unit
    are emailed once it commits."""
    _ensure_open(report, user)
    with transaction.atomic():
        if values is not None:
            report_save(report=report, values=values, version=version, user=user)
        _report_move(
            report=report,
            old=QuarterlyReport.EDITABLE,
            new=QuarterlyReport.State.SUBMITTED,
            refusal=gettext("Chỉ gửi được báo cáo đang soạn hoặc bị trả lại."),
            user=user,
            action=AuditEntry.Action.SUBMITTED,
            submitted_at=timezone.now(),
            submitted_by=user,
            first_submitted_at=Coalesce(
                F("first_submitted_at"), Value(timezone.now(), output_field=DateTimeField())
            ),
        )
        notices.report_notify(report=report, event=notices.SUBMITTED, user=user)
    return report


def report_withdraw(*, report: QuarterlyReport, user) -> QuarterlyReport:
    """Take back a submitted report that no director has decided on yet (rút lại báo
    cáo): it becomes a draft in its staff's hands again. Refused once a director has
    approved or returned it, even a moment before (a conditional UPDATE decides). The
    first submission's time stays, so on-time reporting still counts from it; the
    audit log keeps the submission and the withdrawal."""
    _ensure_open(report, user)
    return _report_move(
        report=report,
        old=[QuarterlyReport.State.SUBMITTED],
        new=QuarterlyReport.State.DRAFT,
        refusal=gettext("Chỉ rút lại được báo cáo đã gửi mà lãnh đạo chưa duyệt hoặc trả lại."),
        user=user,
        action=AuditEntry.Action.WITHDRAWN,
        submitted_at=None,
        submitted_by=None,
    )


def report_approve(*, report: QuarterlyReport, user) -> QuarterlyReport:
    """Approve a submitted report (duyệt báo cáo); it becomes read-only, the year's
    statuses are recomputed, and the unit's staff are emailed once it commits."""
    with transaction.atomic():
        _report_decide(
            report,
            user,
            old=[QuarterlyReport.State.SUBMITTED],
            new=QuarterlyReport.State.APPROVED,
            refusal=gettext("Chỉ duyệt được báo cáo đã gửi."),
            action=AuditEntry.Action.APPROVED,
        )
        # Its live figures are the official ones now, not the values kept at reopening.
        official.official_release(report=report)
        recompute.recompute_request(years=[report.year])
        notices.report_notify(report=report, event=notices.APPROVED, user=user)
    return report


def report_return(*, report: QuarterlyReport, user, comment: str) -> QuarterlyReport:
    """Return a submitted report to its staff with the director's comment (trả lại);
    they are emailed once it commits."""
    comment = (comment or "").strip()
    if not comment:
        raise ReportRefused({"comment": gettext("Hãy ghi lý do trả lại báo cáo.")})
    with transaction.atomic():
        _report_decide(
            report,
            user,
            old=[QuarterlyReport.State.SUBMITTED],
            new=QuarterlyReport.State.RETURNED,
            refusal=gettext("Chỉ trả lại được báo cáo đã gửi."),
            action=AuditEntry.Action.RETURNED,
            reason=comment,
        )
        notices.report_notify(report=report, event=notices.RETURNED, user=user)
    return report


def report_reopen(*, report: QuarterlyReport, user, reason: str) -> QuarterlyReport:
    """Reopen a submitted or approved report as a draft (mở lại); admins only, with a
    reason, which is kept as the report's comment."""
    if not getattr(user, "is_superuser", False):
        raise ReportRefused({NON_FIELD: gettext("Chỉ quản trị viên được mở lại báo cáo.")})
    reason = (reason or "").strip()
    if not reason:
        raise ReportRefused({"reason": gettext("Hãy ghi lý do mở lại báo cáo.")})
    with transaction.atomic():
        row = _report_stored(report)
        was_approved = (
            QuarterlyReport.objects.select_for_update()
            .filter(pk=row.pk, state=QuarterlyReport.State.APPROVED)
            .exists()
        )
        moved = _report_decide(
            report,
            user,
            old=[QuarterlyReport.State.SUBMITTED, QuarterlyReport.State.APPROVED],
            new=QuarterlyReport.State.DRAFT,
            refusal=gettext("Chỉ mở lại được báo cáo đã gửi hoặc đã duyệt."),
            action=AuditEntry.Action.REOPENED,
            reason=reason,
        )
        if was_approved:
            # Its figures stay official at their approved values until approved again.
            official.official_keep(report=report)
            recompute.recompute_request(years=[report.year])
    return moved


def _report_decide(
    report: QuarterlyReport,
    user,
    *,
    old: Sequence[str],
    new: str,
    refusal: str,
    action: str,
    reason: str = "",
) -> QuarterlyReport:
    """A decision on a report (approve, return, reopen): the move, who decided and
    when, and the ``reason`` as the report's comment and the audit log's note."""
    return _report_move(
        report=report,
        old=old,
        new=new,
        refusal=refusal,
        user=user,
        action=action,
        note=reason,
        decided_at=timezone.now(),
        decided_by=user,
        comment=reason,
    )


def report_act(
    *, report: QuarterlyReport, user, action: str, version: int, comment: str = ""
) -> QuarterlyReport:
    """Take ``action`` (submit, withdraw, approve, return or reopen) on the report as
    read at ``version`` (the API's way to the same services as the form): refused
    (``ReportRefused``, nothing written) when someone changed the report since. The
    caller has checked the user's role (``access.may_take_report_action``)."""
    with transaction.atomic():
        row = _report_stored(report)
        stored = QuarterlyReport.objects.select_for_update().get(pk=row.pk)
        if stored.version != version:
            raise ReportRefused({NON_FIELD: _report_stale(stored, version)})
        _report_refresh(report, row)
        if action == "submit":
            return report_submit(report=report, user=user, values={}, version=version)
        if action == "withdraw":
            return report_withdraw(report=report, user=user)
        if action == "approve":
            return report_approve(report=report, user=user)
        if action == "return":
            return report_return(report=report, user=user, comment=comment)
        return report_reopen(report=report, user=user, reason=comment)


def _report_stale(stored: QuarterlyReport, version: int) -> str:
    return gettext(
        "Báo cáo đã thay đổi (phiên bản %(stored)s, bạn đọc phiên bản %(version)s). "
        "Chưa làm gì: hãy đọc lại báo cáo."
    ) % {"stored": stored.version, "version": version}


def reports_touched(*, periods: Iterable[tuple[int, int, int]]) -> int:
    """Move the version of the reports whose figures another channel (the admin)
    changed, by (unit id, year, quarter): a form opened before the change is then
    refused on save instead of silently undoing it. Returns how many moved."""
    moved = 0
    for unit_id, year, quarter in set(periods):
        moved += QuarterlyReport.objects.filter(unit_id=unit_id, year=year, quarter=quarter).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
    return moved
