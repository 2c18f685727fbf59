"""The quarterly report (báo cáo quý): staff of a unit type its figures, save drafts
and submit; a director of the unit or of a unit above approves it or returns it with a
comment; an admin may reopen it. Everyone else is told it does not exist."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from commitments import access, engine, selectors, services
from commitments.forms import EvidenceForm, evidence_file_type
from commitments.models import Evidence, QuarterlyReport, Unit
from commitments.templatetags.statuses import outlier_text


def _unit_for_user(request: HttpRequest, code: str) -> tuple[Unit, frozenset[str]]:
    """The unit and what the user may do with its reports; 404 when the unit does not
    exist or the user has no role on it (the same answer, so that codes cannot be
    probed)."""
    unit = Unit.objects.filter(code=code).first()
    roles = (
        access.report_roles(user=request.user, unit=unit, scope=_scope(request))
        if unit
        else frozenset()
    )
    if not roles:
        raise Http404(_("Không có đơn vị này."))
    return unit, roles


def _scope(request: HttpRequest) -> access.Scope:
    """The units the user sees, read once for the request's parts."""
    if not hasattr(request, "_report_scope"):
        request._report_scope = access.user_scope(user=request.user)
    return request._report_scope


def _period_or_404(year: int, quarter: int) -> None:
    """A quarter that exists and has begun: nothing is reported ahead of time."""
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404(_("Không có kỳ báo cáo này."))
    if engine.period_bounds(year, quarter)[0] > timezone.localdate():
        raise Http404(_("Quý này chưa bắt đầu."))


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """The reports a member of staff writes: each unit's current quarter and the three
    before, with their state and deadline. Someone who writes none but reviews reports
    (a director, an admin) is taken to the reports waiting for them."""
    scope = access.user_scope(user=request.user)
    if not scope.staff_ids and access.directs_units(scope=scope):
        return redirect("commitments:review")
    today = timezone.localdate()
    return render(
        request,
        "commitments/my_reports.html",
        {
            "slots": selectors.reports.staff_reports(scope=scope, today=today),
            "today": today,
        },
    )


@login_required
def quarterly_report(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """The report of one unit and quarter: the form on GET, an action on POST."""
    unit, roles = _unit_for_user(request, code)
    _period_or_404(year, quarter)
    report = selectors.reports.report_for(unit=unit, year=year, quarter=quarter)
    catalogue = selectors.reports.report_catalogue(year=year, unit=unit)
    lines = selectors.reports.report_lines(
        unit=unit, year=year, quarter=quarter, catalogue=catalogue
    )
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in access.REPORT_ACTION_ROLES:
            return HttpResponse(status=400)
        if not access.may_take_report_action(roles=roles, action=action):
            raise PermissionDenied
        typed = {line.field: request.POST.get(line.field, "") for line in lines}
        try:
            done = _act(request, action, report, lines)
        except services.reports.ReportRefused as refusal:
            errors = refusal.errors
        else:
            messages.success(request, done)
            return redirect(request.path)
    return _page(
        request, unit, roles, report, lines=lines, typed=typed, errors=errors, catalogue=catalogue
    )


def _page(
    request: HttpRequest,
    unit: Unit,
    roles: frozenset[str],
    report: QuarterlyReport,
    *,
    lines=None,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    evidence_form: EvidenceForm | None = None,
    plan_errors: dict[str, str] | None = None,
    catalogue: selectors.reports.ReportCatalogue | None = None,
) -> HttpResponse:
    """The report page: figures, their results and what approving them would change
    (``selectors.report_results``), evidence, plan tasks and history; the parts of a refused
    action come back with what was typed and each error next to its field."""
    year, quarter = report.year, report.quarter
    errors = errors or {}
    plan_errors = plan_errors or {}
    may_edit = access.may_edit_report(roles=roles, report=report)
    catalogue = catalogue or selectors.reports.report_catalogue(year=year, unit=unit)
    tasks, milestones = selectors.reports.report_plan(unit=unit, year=year)
    post = request.POST if plan_errors else {}
    return render(
        request,
        "commitments/report_form.html",
        {
            "unit": unit,
            "report": report,
            "year": year,
            "quarter": quarter,
            **_figures(request, report, lines, typed or {}, errors, catalogue),
            "errors": errors,
            "figure_messages": services.figures.FORM_MESSAGES,
            "general_error": errors.get(services.reports.NON_FIELD, ""),
            "comment": request.POST.get("comment", "") if errors else "",
            "reason": request.POST.get("reason", "") if errors else "",
            "may_edit": may_edit,
            "may_decide": access.may_decide_report(roles=roles, report=report),
            "may_withdraw": access.may_withdraw_report(roles=roles, report=report),
            "may_reopen": access.may_reopen_report(roles=roles, report=report),
            "state": selectors.statuses.recompute_state(year=year),
            "evidence": selectors.reports.report_evidence(unit=unit, year=year, quarter=quarter),
            "evidence_form": evidence_form or EvidenceForm(unit=unit, year=year, quarter=quarter),
            "tasks": [_plan_row("task", t, post, plan_errors) for t in tasks],
            "milestones": [_plan_row("milestone", m, post, plan_errors) for m in milestones],
            "plan_error": plan_errors.get(services.reports.NON_FIELD, ""),
            "plan_errors": bool(plan_errors),
            "history": selectors.reports.report_history(
                unit=unit, year=year, quarter=quarter, catalogue=catalogue
            ),
            "max_mb": settings.EVIDENCE_MAX_BYTES // 2**20,
        },
    )


def _figures(
    request: HttpRequest,
    report: QuarterlyReport,
    lines,
    typed: dict[str, str],
    errors: dict[str, str],
    catalogue: selectors.reports.ReportCatalogue,
) -> dict:
    """The figures part of the page: each line as the form shows it, flagged when far
    from the unit's history, and beside them the results computed with the report's
    figures and what approving it would change."""
    if lines is None:
        lines = selectors.reports.report_lines(
            unit=report.unit, year=report.year, quarter=report.quarter, catalogue=catalogue
        )
    review = selectors.report_results.report_review(
        report=report,
        scope=_scope(request),
        as_of=timezone.localdate(),
        catalogue=catalogue,
    )
    rows = [_row(line, typed, errors, review) for line in lines]
    return {
        "rows": rows,
        "report_results": review,
        "outliers": [row for row in rows if row["outlier"]],
        "category_names": catalogue.category_names,
    }


def _plan_row(prefix: str, item, post, errors: dict[str, str]) -> dict:
    """A task or milestone as the checklist shows it: what was typed when the page
    comes back with errors, else what is stored."""
    field = f"{prefix}-{item.pk}"
    done = post.get(f"{field}-done") if post else None
    evidence = post.get(f"{field}-evidence") if post else None
    return {
        "item": item,
        "field": field,
        "done": done if done is not None else (item.done_on.isoformat() if item.done_on else ""),
        "evidence": evidence if evidence is not None else item.evidence_reference,
        "done_error": errors.get(f"{field}-done", ""),
        "evidence_error": errors.get(f"{field}-evidence", ""),
    }


def _staff_unit(
    request: HttpRequest, code: str, year: int, quarter: int
) -> tuple[Unit, frozenset[str]]:
    """The unit and the user's roles for a change only its staff may make: 404 for a
    unit or quarter the user cannot see, 403 for one they see but do not write for."""
    unit, roles = _unit_for_user(request, code)
    _period_or_404(year, quarter)
    if not access.writes_reports(roles=roles):
        raise PermissionDenied
    return unit, roles


@login_required
@require_POST
def report_evidence_add(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """Add an evidence record, with its file or link, to the report (staff)."""
    unit, roles = _staff_unit(request, code, year, quarter)
    report = selectors.reports.report_for(unit=unit, year=year, quarter=quarter)
    form = EvidenceForm(request.POST, request.FILES, unit=unit, year=year, quarter=quarter)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence.evidence_add(
                report=report,
                user=request.user,
                kind=data["kind"],
                date=data["date"],
                reference=data["reference"],
                title=data["title"],
                subject_unit=data["subject_unit"],
                file=data["file"],
                link=data["link"],
            )
        except services.reports.ReportRefused as refusal:
            for field, message in refusal.errors.items():
                form.add_error(None if field == services.reports.NON_FIELD else field, message)
        else:
            messages.success(request, _("Đã thêm minh chứng."))
            return redirect(_report_url(unit, year, quarter) + "#evidence")
    return _page(request, unit, roles, report, evidence_form=form)


@login_required
@require_POST
def report_evidence_delete(
    request: HttpRequest, code: str, year: int, quarter: int, pk: int
) -> HttpResponse:
    """Remove an evidence record from the report (staff)."""
    unit, _roles = _staff_unit(request, code, year, quarter)
    evidence = get_object_or_404(Evidence, pk=pk, unit=unit)
    report = selectors.reports.report_for(unit=unit, year=year, quarter=quarter)
    try:
        services.evidence.evidence_delete(report=report, user=request.user, evidence=evidence)
    except services.reports.ReportRefused as refusal:
        messages.error(request, " ".join(refusal.errors.values()))
    else:
        messages.success(request, _("Đã xóa minh chứng."))
    return redirect(_report_url(unit, year, quarter) + "#evidence")


@login_required
@require_POST
def report_plan(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """Save the plan tasks and milestones checklist of the report (staff)."""
    unit, roles = _staff_unit(request, code, year, quarter)
    report = selectors.reports.report_for(unit=unit, year=year, quarter=quarter)
    post = request.POST
    typed = {"task": {}, "milestone": {}}
    for name in post:
        prefix, _sep, rest = name.partition("-")
        pk, _sep, part = rest.partition("-")
        if prefix in typed and part == "done" and pk.isdigit():
            typed[prefix][int(pk)] = (post.get(name, ""), post.get(f"{prefix}-{pk}-evidence", ""))
    try:
        changed = services.plan.plan_save(
            report=report, user=request.user, tasks=typed["task"], milestones=typed["milestone"]
        )
    except services.reports.ReportRefused as refusal:
        return _page(request, unit, roles, report, plan_errors=refusal.errors)
    messages.success(
        request,
        ngettext(
            "Đã lưu %(count)s thay đổi của nhiệm vụ.",
            "Đã lưu %(count)s thay đổi của nhiệm vụ.",
            changed,
        )
        % {"count": changed},
    )
    return redirect(_report_url(unit, year, quarter) + "#plan")


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file of an evidence record, to users who may see the unit's reports; 404
    to everyone else, as if it did not exist."""
    evidence = Evidence.objects.select_related("unit").filter(pk=pk).first()
    if evidence is None or not evidence.file:
        raise Http404(_("Không có tệp này."))
    if not access.report_roles(user=request.user, unit=evidence.unit):
        raise Http404(_("Không có tệp này."))
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không có tệp này.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.file_name or "evidence",
        content_type=evidence_file_type(evidence.file.name),
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _report_url(unit: Unit, year: int, quarter: int) -> str:
    return reverse("commitments:quarterly_report", args=[unit.code, year, quarter])


def _act(request: HttpRequest, action: str, report: QuarterlyReport, lines) -> str:
    """Run the action; the message to show once it is done."""
    post, user = request.POST, request.user
    # A field missing from the form is left alone; an empty one clears the figure.
    values = {line.key: post[line.field] for line in lines if line.field in post}
    try:
        version = int(post.get("version", ""))
    except ValueError:
        version = -1  # never stored: refused as a stale form
    if action == "save":
        services.reports.report_save(report=report, values=values, version=version, user=user)
        return _("Đã lưu báo cáo. Trạng thái các chỉ tiêu đang được tính lại.")
    if action == "submit":
        services.reports.report_submit(report=report, user=user, values=values, version=version)
        return _("Đã gửi báo cáo cho lãnh đạo duyệt.")
    if action == "withdraw":
        services.reports.report_withdraw(report=report, user=user)
        return _("Đã rút lại báo cáo: báo cáo là bản nháp, có thể sửa rồi gửi lại.")
    if action == "approve":
        services.reports.report_approve(report=report, user=user)
        return _("Đã duyệt báo cáo.")
    if action == "return":
        services.reports.report_return(report=report, user=user, comment=post.get("comment", ""))
        return _("Đã trả lại báo cáo cho đơn vị.")
    services.reports.report_reopen(report=report, user=user, reason=post.get("reason", ""))
    return _("Đã mở lại báo cáo.")


def _row(
    line: selectors.reports.ReportLine,
    typed: dict[str, str],
    errors: dict[str, str],
    review: selectors.report_results.ReportReview,
) -> dict:
    """A line as the template shows it: what was typed when the page comes back with
    errors, else the value the form starts from; a figure the unit does not type shows
    what is stored, whatever was posted; flagged when far from the unit's history (a 0/1
    flag never is)."""
    if line.read_only:
        value = "" if line.stored is None else str(line.stored)
    elif line.field in typed:
        value = typed[line.field]
    else:
        value = "" if line.initial is None else str(line.initial)
    outlier = None if line.element.is_flag else review.outlier(line.key, value)
    return {
        "line": line,
        "value": value,
        "error": errors.get(line.field, ""),
        "outlier": outlier_text(outlier) if outlier else "",
    }
