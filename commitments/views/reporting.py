"""The quarterly report (báo cáo quý): staff of a unit type its figures, save drafts
and submit; a director of the unit or of a unit above approves it or returns it with a
comment; an admin may reopen it. Everyone else is told it does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commitments import selectors, services
from commitments.models import QuarterlyReport, Unit

# Who may take each action of the form.
ACTION_ROLES = {
    "save": selectors.ROLE_STAFF,
    "submit": selectors.ROLE_STAFF,
    "approve": selectors.ROLE_DIRECTOR,
    "return": selectors.ROLE_DIRECTOR,
    "reopen": selectors.ROLE_ADMIN,
}


def _unit_for_user(request: HttpRequest, code: str) -> tuple[Unit, frozenset[str]]:
    """The unit and what the user may do with its reports; 404 when the unit does not
    exist or the user has no role on it (the same answer, so that codes cannot be
    probed)."""
    unit = Unit.objects.filter(code=code).first()
    roles = selectors.report_roles(user=request.user, unit=unit) if unit else frozenset()
    if not roles:
        raise Http404(_("Không có đơn vị này."))
    return unit, roles


@login_required
def quarterly_report(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """The report of one unit and quarter: the form on GET, an action on POST."""
    unit, roles = _unit_for_user(request, code)
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404(_("Không có kỳ báo cáo này."))
    report = services.report_get_or_create(unit=unit, year=year, quarter=quarter)
    lines = selectors.report_lines(unit=unit, year=year, quarter=quarter)
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTION_ROLES:
            return HttpResponse(status=400)
        if ACTION_ROLES[action] not in roles:
            raise PermissionDenied
        typed = {line.field: request.POST.get(line.field, "") for line in lines}
        try:
            done = _act(request, action, report, lines)
        except services.ReportRefused as refusal:
            errors = refusal.errors
        else:
            messages.success(request, done)
            return redirect(request.path)
    state = selectors.recompute_state(year=year)
    return render(
        request,
        "commitments/report_form.html",
        {
            "unit": unit,
            "report": report,
            "year": year,
            "quarter": quarter,
            "rows": [_row(line, typed, errors) for line in lines],
            "errors": errors,
            "general_error": errors.get(services.NON_FIELD, ""),
            "comment": request.POST.get("comment", "") if errors else "",
            "reason": request.POST.get("reason", "") if errors else "",
            "may_edit": selectors.ROLE_STAFF in roles and report.editable,
            "may_decide": selectors.ROLE_DIRECTOR in roles
            and report.state == QuarterlyReport.State.SUBMITTED,
            "may_reopen": selectors.ROLE_ADMIN in roles
            and report.state in (QuarterlyReport.State.SUBMITTED, QuarterlyReport.State.APPROVED),
            "state": state,
        },
    )


def _act(request: HttpRequest, action: str, report: QuarterlyReport, lines) -> str:
    """Run the action; the message to show once it is done."""
    post, user = request.POST, request.user
    values = {line.key: post.get(line.field, "") for line in lines}
    try:
        version = int(post.get("version", ""))
    except ValueError:
        version = -1  # never stored: refused as a stale form
    if action == "save":
        services.report_save(report=report, values=values, version=version, user=user)
        return _("Đã lưu báo cáo. Trạng thái các chỉ tiêu đang được tính lại.")
    if action == "submit":
        services.report_submit(report=report, user=user, values=values, version=version)
        return _("Đã gửi báo cáo cho lãnh đạo duyệt.")
    if action == "approve":
        services.report_approve(report=report, user=user)
        return _("Đã duyệt báo cáo.")
    if action == "return":
        services.report_return(report=report, user=user, comment=post.get("comment", ""))
        return _("Đã trả lại báo cáo cho đơn vị.")
    services.report_reopen(report=report, user=user, reason=post.get("reason", ""))
    return _("Đã mở lại báo cáo.")


def _row(line: selectors.ReportLine, typed: dict[str, str], errors: dict[str, str]) -> dict:
    """A line as the template shows it: what was typed when the page comes back with
    errors, else the value the form starts from."""
    if line.field in typed:
        value = typed[line.field]
    else:
        value = "" if line.initial is None else str(line.initial)
    return {"line": line, "value": value, "error": errors.get(line.field, "")}
