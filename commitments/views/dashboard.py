"""The director's dashboard (tổng quan), and the recompute an admin asks for from it.
Like the pages it leads to (an indicator: ``views.indicators``; the units x indicators
matrix and a unit: ``views.units``) it shows only the units the user sees
(``access.user_scope``): a superuser every unit, a member of staff their unit, a
director their unit and every unit below it. Where the pages showed the department
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
    headline first, then the cards and every indicator."""
    scope = access.user_scope(user=request.user)
    if scope.empty:
        return render(request, "commitments/no_units.html")
    years, year, quarter = period(request)
    reading = basis(request)
    statuses = selectors.statuses.year_statuses(year=year, scope=scope, basis=reading)
    provisional = provisional_note(reading, year=year, quarter=quarter, scope=scope)
    departments = sorted({s.unit for s in statuses}, key=lambda u: u.code)
    period_open = is_open(year, quarter)
    published = (
        selectors.publications.publications_of_period(units=departments, year=year, quarter=quarter)
        if departments
        else {}
    )
    view = _DashboardView.read(statuses, year=year, quarter=quarter, scope=scope, basis=reading)
    sections = [
        {
            **view.section(department),
            # Publishing results (công bố kết quả): a period that is over, by a
            # director of the department or a superuser.
            "publication": published.get(department.pk),
            "published_by": _publisher(published.get(department.pk)),
            "may_publish": not period_open
            and access.may_publish(scope=scope, department=department),
        }
        for department in departments
    ]
    return render(
        request,
        "commitments/dashboard.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "is_open": period_open,
            "sections": sections,
            "provisional": provisional,
            "compared": compared_periods(year, quarter, view.ended),
            # The year's recompute (when computed, whether behind) and whether the user
            # may recompute come with every page: context_processors.recompute.
            "category_names": view.category_names,
        },
    )


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
        basis: selectors.statuses.Basis,
    ) -> _DashboardView:
        """The view of the statuses read: with, for a first quarter, the last of the
        year before (what it is compared with), and the names of the units the gaps
        name."""
        earlier = (
            selectors.statuses.period_statuses(year=year - 1, quarter=4, scope=scope, basis=basis)
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
