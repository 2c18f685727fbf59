"""The signed-in survey pages (khảo sát sự hài lòng): each receiving desk's satisfaction
by quarter against the target, a desk's quarter (each aspect, the responses, the
comments, the voided responses), voiding a response with a reason, moderating a
comment, publishing a desk's quarter (6.2) and the XLSX of a year's responses.

Who sees what is ``commitments.access``: a superuser every desk, a director the desks
of their unit and below, staff their own desks. Staff read their desk's results; only
a director of the desk (or a superuser) voids, moderates and publishes. A desk the user
may not see answers 404, like one that does not exist; an action the user may not take
answers 403."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commitments import access, engine
from commitments.exports import XLSX_CONTENT_TYPE, unit_name
from commitments.models import Unit
from commitments.templatetags.statuses import period_name
from commitments.views import paging, periods
from surveys import exports, selectors, services
from surveys.models import Response

PER_PAGE = 50
DESK_TEMPLATE = "surveys/staff_desk.html"


# --- who sees and does what -----------------------------------------------------------


def visible_desks(scope: access.Scope) -> list[Unit]:
    """The receiving desks (bộ phận tiếp nhận) a user sees, by code; one query."""
    return list(visible_desks_query(scope))


def visible_desks_query(scope: access.Scope) -> QuerySet[Unit]:
    """``visible_desks`` as a query, to page."""
    return scope.filter(Unit.objects.filter(receives_dossiers=True).order_by("code"), "pk")


def desk_for_user(request: HttpRequest, code: str) -> tuple[Unit, frozenset[str]]:
    """A receiving desk the user sees and their roles on it (``staff``, ``director``);
    404 for a desk that does not exist, does not receive dossiers or is out of the
    user's sight (the same answer, so that codes cannot be probed)."""
    unit = Unit.objects.filter(code=code, receives_dossiers=True).first()
    roles = access.report_roles(user=request.user, unit=unit) if unit else frozenset()
    if not roles:
        raise Http404(_("Không có bộ phận tiếp nhận này."))
    return unit, roles


def decides(roles: frozenset[str]) -> bool:
    """Whether the roles on a desk let the user void, moderate and publish: a director
    of the desk or of a unit above it, or a superuser."""
    return access.ROLE_DIRECTOR in roles


def _quarter_begun_or_404(year: int, quarter: int) -> None:
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404(_("Không có quý này."))
    if engine.period_bounds(year, quarter)[0] > timezone.localdate():
        raise Http404(_("Quý này chưa bắt đầu."))


def desk_url(unit: Unit, year: int, quarter: int, **query) -> str:
    url = reverse("surveys:desk_quarter", args=[unit.code, year, quarter])
    query = {k: v for k, v in query.items() if v not in (None, "", "0", 0, False)}
    return f"{url}?{urlencode(query)}" if query else url


# --- the overview ---------------------------------------------------------------------


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Each desk's satisfaction by quarter and for the year to date against the target
    (4.1) of its department's sheet, its published quarters, responses flagged and
    comments awaiting moderation, a page of desks at a time; every desk added up. A
    constant number of queries whatever the number of desks."""
    scope = access.user_scope(user=request.user)
    today = timezone.localdate()
    years = selectors.survey_years(today=today)
    year = periods.choice(request, "year", years, today.year)
    desks = visible_desks_query(scope)
    page = paging.page_counted(desks, request)
    rows, total, target = selectors.satisfaction_by_desk(
        units=list(page.object_list), year=year, today=today, every_desk=desks
    )
    return render(
        request,
        "surveys/staff_overview.html",
        {
            "years": years,
            "year": year,
            "rows": [
                {"row": row, "decides": scope.everything or row.unit.pk in scope.director_ids}
                for row in rows
            ],
            "desk_count": page.paginator.count,
            "total": total if page.paginator.count > 1 else None,
            "target": target,
            # Desks of departments whose sheets set different satisfaction targets.
            "targets_differ": target is None and any(r.threshold is not None for r in rows),
            "quarters": (1, 2, 3, 4),
            "page": page,
            "page_query": paging.query(request),
        },
    )


# --- a desk's quarter -----------------------------------------------------------------


@login_required
@require_GET
def desk_quarter(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """A desk's quarter: responses and satisfied share against the target, each aspect
    (the weakest marked), the responses (paged; ``?flagged=1`` the flagged ones only);
    for a director also the comments to moderate, the void form of each response and
    the voided responses with who voided them and why."""
    unit, roles = desk_for_user(request, code)
    _quarter_begun_or_404(year, quarter)
    context = desk_context(
        unit,
        roles,
        year,
        quarter,
        flagged_only=request.GET.get("flagged") == "1",
        page=request.GET.get("page"),
    )
    return render(request, DESK_TEMPLATE, context)


def desk_context(
    unit: Unit,
    roles: frozenset[str],
    year: int,
    quarter: int,
    *,
    flagged_only: bool = False,
    page: str | None = None,
    void_errors: dict[int, str] | None = None,
    reason: str = "",
) -> dict:
    """What the desk page shows; a refused void comes back with its error next to the
    response's reason field (``void_errors``) and what was typed (``reason``)."""
    today = timezone.localdate()
    target = selectors.satisfaction_target(year=year, unit=unit)
    threshold, comparator = target.resolve(unit, None) if target else (None, None)
    counts = selectors.desk_quarters(unit_ids=[unit.pk], year=year)
    held = counts.get((unit.pk, quarter), selectors.NOTHING)
    results = selectors.desk_results(unit=unit, year=year, quarter=quarter)
    responses = selectors.desk_responses(
        unit=unit, year=year, quarter=quarter, flagged_only=flagged_only
    )
    director = decides(roles)
    publications = selectors.publications_by_desk(unit_ids=[unit.pk], year=year)
    return {
        "unit": unit,
        "year": year,
        "quarter": quarter,
        "period": period_name(year, quarter),
        "counts": held,
        "threshold": threshold,
        "comparator": comparator,
        "status": selectors.satisfaction_status(
            held,
            threshold=threshold,
            comparator=comparator,
            year=year,
            quarter=quarter,
            today=today,
        ),
        "aspects": aspect_rows(results["aspects"], threshold),
        "page": _page_of(responses, page, void_errors or {}),
        "flagged_only": flagged_only,
        "decides": director,
        "publication": publications.get((unit.pk, quarter)),
        "comments": selectors.desk_comments(unit=unit, year=year, quarter=quarter)
        if director
        else [],
        "published_comments": [
            {"at": dt.datetime.fromisoformat(c["at"]), "text": c["text"]}
            for c in results["comments"]
        ],
        "voided": selectors.desk_voided(unit=unit, year=year, quarter=quarter) if director else [],
        "reason": reason,
        "other_quarters": [q for q in (1, 2, 3, 4) if engine.period_bounds(year, q)[0] <= today],
    }


def _page_of(responses, number: str | None, void_errors: dict[int, str]):
    """A page of responses, each with the error of its void form (or "")."""
    page = Paginator(responses, PER_PAGE).get_page(number)
    page.object_list = list(page.object_list)
    for response in page.object_list:
        response.void_error = void_errors.get(response.pk, "")
    return page


def aspect_rows(aspects: list[dict], threshold) -> list[dict]:
    """Each question's mean score and satisfied share, the aspects in the order of the
    questionnaire and the overall question last; the aspect with the lowest satisfied
    share (then the lowest mean) is the one that drags the desk down (``weakest``; all
    of them when several tie, none when all do), and each share below the desk's
    threshold is marked (``below``)."""
    english = (get_language() or "vi").startswith("en")
    rows = []
    for aspect in aspects:
        share = Decimal(aspect["satisfied_share"] or 0)
        rows.append(
            {
                "code": aspect["code"],
                "overall": aspect["kind"] == "overall",
                "label": aspect["text_en"] if english and aspect["text_en"] else aspect["text"],
                "answers": aspect["answers"],
                "mean": Decimal(aspect["mean"]),
                "share": share,
                "below": threshold is not None and share < threshold,
                "weakest": False,
            }
        )
    judged = [row for row in rows if not row["overall"]]
    lowest = min(((row["share"], row["mean"]) for row in judged), default=None)
    if len(judged) > 1 and any((row["share"], row["mean"]) != lowest for row in judged):
        for row in judged:
            row["weakest"] = (row["share"], row["mean"]) == lowest
    return sorted(rows, key=lambda row: row["overall"])


# --- a director's decisions -----------------------------------------------------------


def _response_of_desk(request: HttpRequest, code: str, year: int, quarter: int, pk: int):
    """The desk, the roles, and one of its responses of the quarter; 403 for a user
    who does not decide on the desk."""
    unit, roles = desk_for_user(request, code)
    if not decides(roles):
        raise PermissionDenied
    response = get_object_or_404(Response, pk=pk, unit=unit, year=year, quarter=quarter)
    return unit, roles, response


def _back(request: HttpRequest, unit: Unit, year: int, quarter: int, anchor: str = "") -> str:
    """The desk page the form was posted from: its page of responses and filter."""
    url = desk_url(
        unit,
        year,
        quarter,
        page=request.POST.get("page", ""),
        flagged="1" if request.POST.get("flagged") == "1" else "",
    )
    return f"{url}#{anchor}" if anchor else url


def _republish_hint(unit: Unit, year: int, quarter: int) -> str:
    """What a change to a published quarter leaves for the director to do."""
    published = selectors.publications_by_desk(unit_ids=[unit.pk], year=year)
    if (unit.pk, quarter) not in published:
        return ""
    return " " + _("Quý này đã công bố: hãy công bố lại để trang công khai được cập nhật.")


@login_required
@require_POST
def response_void(
    request: HttpRequest, code: str, year: int, quarter: int, pk: int
) -> HttpResponse:
    """Void a response with a reason (a director of the desk). Without a reason the
    page comes back with the error next to that response's reason field."""
    unit, roles, response = _response_of_desk(request, code, year, quarter, pk)
    reason = request.POST.get("reason", "")
    try:
        services.response_void(response=response, user=request.user, reason=reason)
    except services.SurveyRefused as refusal:
        if refusal.field != "reason":
            messages.error(request, str(refusal.message))
            return redirect(_back(request, unit, year, quarter, f"r{response.pk}"))
        context = desk_context(
            unit,
            roles,
            year,
            quarter,
            flagged_only=request.POST.get("flagged") == "1",
            page=request.POST.get("page"),
            void_errors={response.pk: str(refusal.message)},
            reason=reason,
        )
        return render(request, DESK_TEMPLATE, context, status=400)
    messages.success(
        request,
        _("Đã hủy phiếu #%(number)s; phiếu này không còn được tính.") % {"number": response.pk}
        + _republish_hint(unit, year, quarter),
    )
    return redirect(_back(request, unit, year, quarter))


@login_required
@require_POST
def comment_moderate(
    request: HttpRequest, code: str, year: int, quarter: int, pk: int
) -> HttpResponse:
    """Publish a response's comment with the desk's results (``action=publish``) or
    keep it unpublished (``action=hide``); a director of the desk."""
    unit, _roles, response = _response_of_desk(request, code, year, quarter, pk)
    action = request.POST.get("action")
    if action not in ("publish", "hide"):
        return HttpResponse(status=400)
    try:
        services.comment_moderate(response=response, user=request.user, publish=action == "publish")
    except services.SurveyRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        done = (
            _("Ý kiến của phiếu #%(number)s sẽ được công khai cùng kết quả.")
            if action == "publish"
            else _("Ý kiến của phiếu #%(number)s được giữ không công khai.")
        )
        messages.success(
            request, done % {"number": response.pk} + _republish_hint(unit, year, quarter)
        )
    return redirect(_back(request, unit, year, quarter, "comments"))


@login_required
@require_http_methods(["GET", "POST"])
def desk_publish(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """Publish a desk's quarter (a director of the desk): GET asks for confirmation and
    says what will be shown, the comments not moderated and the flagged responses;
    POST publishes (``services.desk_publish``), which sets ``survey_published`` for 6.2.
    ``back=overview`` returns to the overview of the year, else to the desk's page."""
    unit, roles = desk_for_user(request, code)
    if not decides(roles):
        raise PermissionDenied
    _quarter_begun_or_404(year, quarter)
    data = request.POST if request.method == "POST" else request.GET
    from_overview = data.get("back") == "overview"
    back = (
        f"{reverse('surveys:overview')}?year={year}"
        if from_overview
        else desk_url(unit, year, quarter)
    )
    if request.method == "POST":
        try:
            services.desk_publish(unit=unit, year=year, quarter=quarter, user=request.user)
        except services.PublishRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Đã công bố kết quả khảo sát %(period)s của %(unit)s.")
                % {"period": period_name(year, quarter), "unit": unit_name(unit)},
            )
        return redirect(back)
    context = desk_context(unit, roles, year, quarter)
    context |= {
        "back": back,
        "from_overview": from_overview,
        "ended": engine.period_bounds(year, quarter)[1] < timezone.localdate(),
    }
    return render(request, "surveys/staff_publish.html", context)


# --- the XLSX of a year's responses ---------------------------------------------------


@login_required
@require_GET
def responses_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """Every response of a year at the desks the user sees, one row each, without
    personal data (``surveys.exports``)."""
    desks = visible_desks(access.user_scope(user=request.user))
    if not desks or not 2000 <= year <= 2100:
        raise Http404(_("Không có bộ phận tiếp nhận nào để xuất."))
    return HttpResponse(
        exports.responses_workbook(year=year, units=desks),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="khao-sat-hai-long-{year}.xlsx"'},
    )
