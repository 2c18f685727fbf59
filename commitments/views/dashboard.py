"""The director's dashboard (tổng quan), and the recompute an admin asks for from it.
Like the pages it leads to (an indicator: ``views.indicators``; the units x indicators
matrix and a unit: ``views.units``) it shows only the units the user sees
(``access.reading_scope``): a superuser and the city's coordinating office every
unit, a member of staff their unit, a director their unit and every unit below it. Where the pages showed the department
they show the top units the user sees (``access.is_top_unit``).

Only the rows of visible units are read. A row's detail names units of its own subtree
only (the units a coverage indicator missed), so the names shown in its "why" are of
units inside a unit the user sees; a page names the first few and counts the rest
(``insights.named_units``), reading the names of those it names only."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commitments import access, headline, insights, selectors, services
from commitments.models import Status, Unit
from commitments.views.periods import (
    QUARTERS,
    basis,
    compared_periods,
    is_open,
    period,
    provisional_note,
    quarters_ended,
)


def _publisher(publication) -> str:
    """Who published a period's results: their name, "—" once their account is gone."""
    user = getattr(publication, "published_by", None)
    return (user.get_full_name() or user.get_username()) if user else "—"


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
    asked = _asked_unit(request, scope)
    statuses = selectors.statuses.year_statuses(year=year, unit=asked, scope=scope, basis=reading)
    provisional = provisional_note(reading, year=year, quarter=quarter, scope=scope, within=asked)
    view = _DashboardView.read(
        statuses, year=year, quarter=quarter, scope=scope, unit=asked, basis=reading
    )
    return render(
        request,
        "commitments/dashboard.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "is_open": view.is_open,
            "sections": _sections(view, year=year, scope=scope),
            "asked": asked,
            "keep_unit": asked.code if asked else "",
            "provisional": provisional,
            "compared": compared_periods(year, quarter, view.ended),
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


def _asked_unit(request: HttpRequest, scope: access.Scope) -> Unit | None:
    """The unit the dashboard is narrowed to (``?unit=<code>``), or None for every top
    unit the user sees. A unit the user does not see (another department, for a
    department's director) answers 404, the same as one that does not exist."""
    code = request.GET.get("unit", "")
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None or unit not in scope:
        raise Http404(_("Không có đơn vị này."))
    return unit


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

    @classmethod
    def read(
        cls,
        statuses: list[Status],
        *,
        year: int,
        quarter: int,
        scope: access.Scope,
        unit: Unit | None = None,
        basis: selectors.statuses.Basis,
    ) -> _DashboardView:
        """The view of the statuses read (of ``unit``, or of the scope's top units):
        with, for a first quarter, the last of the year before (what it is compared
        with), and the names of the units the gaps name."""
        earlier = (
            selectors.statuses.period_statuses(
                year=year - 1, quarter=4, scope=scope, unit=unit, basis=basis
            )
            if quarter == 1
            else []
        )
        return cls(
            statuses=statuses,
            earlier=earlier,
            quarter=quarter,
            ended=quarters_ended(year),
            is_open=is_open(year, quarter),
            category_names=selectors.statuses.category_names(),
            unit_names=selectors.units.unit_names(
                codes=insights.named_codes([*statuses, *earlier])
            ),
        )

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
