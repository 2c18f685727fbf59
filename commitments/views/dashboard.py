"""The director's pages: the dashboard, an indicator, the units x indicators matrix,
a unit. Each shows only the units the user sees (``access.reading_scope``): a
superuser and the city's coordinating office every unit, a member of staff their unit,
a director their unit and every unit below it. Where the pages showed the department they show the top units the user
sees (``access.is_top_unit``).

Only the rows of visible units are read. A row's detail names units of its own subtree
only (the units a coverage indicator missed), so the names shown in its "why" are of
units inside a unit the user sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commitments import access, engine, headline, insights, selectors, services
from commitments import matrix as league
from commitments.models import Indicator, Status, Unit
from commitments.views.periods import QUARTERS, approvals, basis, period, provisional_note


def _is_open(year: int, quarter: int) -> bool:
    return timezone.localdate() <= engine.period_bounds(year, quarter)[1]


def _publisher(publication) -> str:
    """Who published a period's results: their name, "—" once their account is gone."""
    user = getattr(publication, "published_by", None)
    return (user.get_full_name() or user.get_username()) if user else "—"


def _quarterly_report_url(
    request: HttpRequest, unit: Unit, year: int, quarter: int, scope: access.Scope
) -> str:
    """The unit's report of the quarter shown (this quarter when the page shows a whole
    year in progress, else the year's last), or "" when the user may not see it."""
    if not access.report_roles(user=request.user, unit=unit, scope=scope):
        return ""
    if not quarter:
        today = timezone.localdate()
        quarter = engine.quarter_of(today) if today.year == year else 4
    return reverse("commitments:quarterly_report", args=[unit.code, year, quarter])


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Which commitments are met, at risk or not met, why, and who is behind: a
    headline first, then the cards and every indicator; of every top unit the user
    sees, or of the one unit asked for (``?unit=<code>``: a department, from the city
    view)."""
    scope = access.reading_scope(user=request.user)
    if scope.empty:
        return render(request, "commitments/no_units.html")
    years, year, quarter = period(request)
    reading = basis(request)
    units = selectors.statuses.units_by_code(approvals=approvals(reading, year, quarter))
    asked = _asked_unit(request, units, scope)
    statuses = selectors.statuses.year_statuses(year=year, unit=asked, scope=scope, basis=reading)
    shown = _subtree(asked, units.values()) if asked else units.values()
    provisional = provisional_note(reading, shown, year=year, quarter=quarter, scope=scope)
    is_open = _is_open(year, quarter)
    view = _DashboardView(
        statuses=statuses,
        # A first quarter is compared with the last of the year before.
        earlier=selectors.statuses.period_statuses(
            year=year - 1, quarter=4, scope=scope, unit=asked, basis=reading
        )
        if quarter == 1
        else [],
        quarter=quarter,
        ended=_quarters_ended(year),
        is_open=is_open,
        category_names=selectors.statuses.category_names(),
        unit_names={code: unit.label for code, unit in units.items()},
    )
    sections = _sections(view, year=year, scope=scope)
    return render(
        request,
        "commitments/dashboard.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "is_open": is_open,
            "sections": sections,
            "asked": asked,
            "keep_unit": asked.code if asked else "",
            "provisional": provisional,
            "compared": _compared_periods(year, quarter, view.ended),
            # The year's recompute (when computed, whether behind) and whether the user
            # may recompute come with every page: context_processors.recompute.
            "category_names": view.category_names,
        },
    )


def _sections(view: _DashboardView, *, year: int, scope: access.Scope) -> list[dict]:
    """A section for each department (top unit) of the statuses read: its cards and
    headline, its publication of the period and whether the user may publish it."""
    departments = sorted({s.unit for s in view.statuses}, key=lambda u: u.code)
    published = (
        selectors.publications.publications_of_period(
            units=departments, year=year, quarter=view.quarter
        )
        if departments
        else {}
    )
    return [
        {
            **view.section(department),
            # Publishing results (công bố kết quả): a period that is over, by a
            # director of the department or a superuser.
            "publication": published.get(department.pk),
            "published_by": _publisher(published.get(department.pk)),
            "may_publish": not view.is_open
            and access.may_publish(scope=scope, department=department),
        }
        for department in departments
    ]


def _asked_unit(request: HttpRequest, units: dict[str, Unit], scope: access.Scope) -> Unit | None:
    """The unit the dashboard is narrowed to (``?unit=<code>``), or None for every top
    unit the user sees. A unit the user does not see (another department, for a
    department's director) answers 404, the same as one that does not exist."""
    code = request.GET.get("unit", "")
    if not code:
        return None
    unit = units.get(code)
    if unit is None or unit not in scope:
        raise Http404(_("Không có đơn vị này."))
    return unit


def _compared_periods(year: int, quarter: int, ended: int) -> tuple | None:
    """The two quarters a page's changes compare (``insights.comparison``), as (year,
    quarter), the earlier first; None when there are not two."""
    compared = insights.comparison(quarter, ended)
    if compared is None:
        return None
    before, after = compared
    return ((year - 1, 4) if before == 0 else (year, before)), (year, after)


def _quarters_ended(year: int) -> int:
    """How many quarters of ``year`` have ended today (4 for a past year)."""
    today = timezone.localdate()
    if year != today.year:
        return 4 if year < today.year else 0
    return engine.quarter_of(today) - 1


@dataclass(frozen=True)
class _DashboardView:
    """What the dashboard reads, to make each department's section from."""

    statuses: list[Status]
    earlier: list[Status]
    quarter: int
    ended: int
    is_open: bool
    category_names: dict[str, str]
    unit_names: dict[str, str]

    def cards(
        self, department: Unit, quarter: int, *, year_before: bool = False
    ) -> list[insights.CommitmentCard]:
        """The department's cards of a period of the year shown, or of a quarter of
        the year before."""
        return insights.commitment_cards(
            self.earlier if year_before else self.statuses,
            unit=department,
            quarter=quarter,
            is_open=self.is_open and quarter == self.quarter and not year_before,
            category_names=self.category_names,
            unit_names=self.unit_names,
            ended=self.ended,
            earlier=self.earlier,
        )

    def section(self, department: Unit) -> dict:
        """A department's cards, and its headline: the counts of the period, and the
        two quarters compared (``insights.comparison``)."""
        cards = self.cards(department, self.quarter)
        compared = insights.comparison(self.quarter, self.ended)
        then = now = None
        if compared is not None:
            before, after = compared
            then = (
                self.cards(department, 4, year_before=True)
                if before == 0
                else self.cards(department, before)
            )
            now = cards if self.quarter else self.cards(department, after)
        return {
            "unit": department,
            "cards": cards,
            "headline": headline.headline(
                cards, then=then, now=now, count_changes=bool(self.quarter)
            ),
        }


@login_required
@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator of a year's sheet: its value per quarter against the target (with
    where the target says otherwise than its signed words), the version of its
    definition, each category, and each unit with the figures behind its value; the
    chart and the department's rows are those of the top units the user sees."""
    years, year, quarter = period(request)
    scope = access.reading_scope(user=request.user)
    reading = basis(request)
    units = selectors.statuses.units_by_code(approvals=approvals(reading, year, quarter))
    target = _indicator_target(
        code, year, scope, department=_sheet_department(request, units, scope)
    )
    indicator = target.indicator
    overrides = list(target.overrides.select_related("category"))
    rows = selectors.statuses.indicator_statuses(
        indicator=indicator, year=year, scope=scope, basis=reading
    )
    category_names = selectors.statuses.category_names()
    unit_names = {code: unit.label for code, unit in units.items()}
    provisional = provisional_note(reading, units.values(), year=year, quarter=quarter, scope=scope)
    for row in rows:
        row.top = access.is_top_unit(row.unit, scope)
    departments = [s for s in rows if s.top]
    department = departments[0].unit if departments else None
    period_rows = _period_rows(rows, quarter, category_names, unit_names)
    chart = _chart(indicator, target, rows, department)
    unit_rows = sorted(
        (
            s
            for s in period_rows
            if s.category == "" and not s.top and s.status != engine.NOT_APPLICABLE
        ),
        key=lambda s: (insights.SEVERITY.get(s.status, 3), s.value is None, s.value or 0),
    )
    return render(
        request,
        "commitments/indicator.html",
        {
            "indicator": indicator,
            "target": target,
            "overrides": overrides,
            "mismatches": selectors.sheets.target_mismatches(target, overrides=overrides),
            "keep_unit": request.GET.get("unit", ""),
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "department_rows": [s for s in period_rows if s.top],
            "computed_with": selectors.sheets.version_computed(indicator=indicator, rows=rows),
            "unit_rows": unit_rows,
            "chart": chart,
            "provisional": provisional,
            "category_names": category_names,
        },
    )


def _period_rows(
    rows: list[Status], quarter: int, category_names: dict, unit_names: dict
) -> list[Status]:
    """The rows of the period shown: each unit's whole, then its categories in the
    categories' order (the same on every page), with the names they show."""
    order = {code: n for n, code in enumerate(category_names, start=1)}
    period_rows = sorted(
        (s for s in rows if s.quarter == quarter),
        key=lambda s: (s.unit.code, order.get(s.category, len(order) + 1) if s.category else 0),
    )
    for row in period_rows:
        row.category_name = category_names.get(row.category, row.category)
        row.missing_names = [unit_names.get(c, c) for c in row.facts.missing]
        row.behind = [category_names.get(c, c) for c in row.facts.behind]
    return period_rows


def _sheet_department(request: HttpRequest, units: dict[str, Unit], scope: access.Scope) -> str:
    """The code of the department whose sheet the indicator page shows: the department
    of the unit asked for (``?unit=<code>``), "" when none is. A unit of a department
    whose sheet the user does not read (another department, for a department's
    director) answers 404, the same as one that does not exist; a user who sees no
    unit at all (an admin of targets) reads any."""
    code = request.GET.get("unit", "")
    if not code or scope.empty:
        return code
    unit = units.get(code)
    if unit is None:
        raise Http404(_("Không có đơn vị này."))
    tree = {other.pk: other.parent_id for other in units.values()}
    department = access.department_of(unit, tree)
    seen = access.departments_seen(scope=scope, tree=tree)
    if seen is not None and department not in seen:
        raise Http404(_("Không có đơn vị này."))
    return next(other.code for other in units.values() if other.pk == department)


def _indicator_target(code: str, year: int, scope: access.Scope, *, department: str):
    """The target of the year of the indicator numbered ``code``: sheets number their
    indicators alike, so the one of the department asked for (``department``, a unit's
    code), else of the first department whose sheet the user may read; 404 when there
    is none."""
    target = selectors.sheets.indicator_target(
        code=code, year=year, scope=scope, department=department
    )
    if target is None:
        raise Http404(_("Chỉ tiêu này không có mục tiêu trong năm đã chọn."))
    return target


def _chart(indicator: Indicator, target, rows: list[Status], department: Unit | None) -> dict:
    """The indicator chart's numbers and labels, from the department's rows."""
    by_quarter = {
        s.quarter: s for s in rows if department and s.unit_id == department.pk and not s.category
    }
    return {
        **insights.chart_levels(indicator, target.threshold, by_quarter),
        "labels": [_("Quý %(q)s") % {"q": q} for q in (1, 2, 3, 4)],
        "series": _("Kết quả"),
        "target_label": _("Mục tiêu"),
        "year_label": _("Lũy kế năm"),
        "baseline_label": _("Năm gốc"),
    }


@login_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    """Units x indicators for one period, as a league table: the top units the user
    sees apart at the top, then the other units worst first, or sorted by one
    indicator (``commitments.matrix``)."""
    years, year, quarter = period(request)
    scope = access.reading_scope(user=request.user)
    reading = basis(request)
    statuses = selectors.statuses.matrix_statuses(
        year=year, quarter=quarter, scope=scope, basis=reading
    )
    # The departments' coverage rows mark only the units the user sees.
    every_unit = selectors.statuses.units_by_code(approvals=approvals(reading, year, quarter))
    units = {code: unit for code, unit in every_unit.items() if unit in scope}
    provisional = provisional_note(reading, units.values(), year=year, quarter=quarter, scope=scope)
    columns, rows = league.matrix_table(
        statuses,
        units=units,
        scope=scope,
        category_names=selectors.statuses.category_names(),
    )
    sort = request.GET.get("sort", "")
    return render(
        request,
        "commitments/matrix.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "columns": columns,
            "rows": league.sort_rows(rows, [c.code for c in columns], sort),
            "legend": league.LEGEND,
            "sort": sort,
            "provisional": provisional,
        },
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One unit: its own statuses (the indicators judged unit by unit, with their
    fields) and the department's coverage conditions it meets or misses. A unit the
    user does not see does not exist for them (the same 404 as an unknown code)."""
    scope = access.reading_scope(user=request.user)
    years, year, quarter = period(request)
    reading = basis(request)
    units = selectors.statuses.units_by_code(approvals=approvals(reading, year, quarter))
    unit = units.get(code)
    if unit is None or unit not in scope:
        raise Http404(_("Không có đơn vị này."))
    provisional = provisional_note(
        reading,
        _subtree(unit, units.values()),
        year=year,
        quarter=quarter,
        scope=scope,
    )
    statuses = selectors.statuses.year_statuses(year=year, unit=unit, basis=reading)
    category_names = selectors.statuses.category_names()
    unit_names = {c: u.label for c, u in units.items()}
    by_id = {u.pk: u for u in units.values() if u in scope}
    ended = _quarters_ended(year)
    cards = insights.commitment_cards(
        statuses,
        unit=unit,
        quarter=quarter,
        is_open=_is_open(year, quarter),
        category_names=category_names,
        unit_names=unit_names,
        ended=ended,
    )
    conditions = []
    for row in selectors.statuses.coverage_statuses(year=year, quarter=quarter, basis=reading):
        state = insights.unit_condition(row, code)
        if state is not None:
            conditions.append((row, state))
    return render(
        request,
        "commitments/unit.html",
        {
            # Its indicators are linked by its own code: its department may be hidden.
            "unit": unit,
            "parent": by_id.get(unit.parent_id),
            "children": sorted(
                (u for u in by_id.values() if u.parent_id == unit.pk), key=lambda u: u.code
            ),
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "cards": [card for card in cards if card.shown],
            "conditions": conditions,
            "report_url": _quarterly_report_url(request, unit, year, quarter, scope),
            "compared": _compared_periods(year, quarter, ended),
            "provisional": provisional,
            "category_names": category_names,
        },
    )


def _subtree(unit: Unit, units) -> list[Unit]:
    """A unit and every unit below it."""
    children: dict[int | None, list[Unit]] = {}
    for other in units:
        children.setdefault(other.parent_id, []).append(other)
    found, todo = [], [unit]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current.pk, []))
    return found


@require_POST
@login_required
def recompute_now(request: HttpRequest) -> HttpResponse:
    """Queue a recompute of a year at once (admins)."""
    if not access.may_recompute(user=request.user):
        raise PermissionDenied
    years = selectors.engine_inputs.years_with_targets()
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        raise Http404(_("Năm không có mục tiêu."))
    services.recompute.recompute_request(years=[year])
    messages.success(request, _("Đã yêu cầu tính lại trạng thái năm %(year)s.") % {"year": year})
    return redirect(f"{reverse('commitments:dashboard')}?year={year}")
