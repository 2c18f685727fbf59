"""Reporting completeness (tình hình nộp báo cáo): which units have submitted a
quarter's report, on time or late, for the directors and admins who follow it."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from commitments import access, engine, selectors
from commitments.views import paging
from commitments.views.periods import choice

QUARTERS = [1, 2, 3, 4]


def _quarter(request: HttpRequest) -> tuple[list[int], int, int]:
    """The years to choose from, the chosen year and quarter: by default the last
    quarter that has ended, the one units are reporting on now."""
    today = timezone.localdate()
    current = engine.quarter_of(today)
    default = engine.previous_quarter(today.year, current)
    years = sorted({*selectors.engine_inputs.years_with_targets(), default[0], today.year})
    year = choice(request, "year", years, default[0])
    return years, year, choice(request, "quarter", QUARTERS, default[1])


@login_required
@require_GET
def completeness(request: HttpRequest) -> HttpResponse:
    """Each unit the user directs (every unit for an admin) with the state of its
    report of the quarter, late units first, under the reporting rates: a page of
    them at a time, or only the units of one timeliness (``?timeliness=late``)."""
    scope = access.user_scope(user=request.user)
    if not access.completeness_visible(user=request.user, scope=scope):
        raise PermissionDenied
    years, year, quarter = _quarter(request)
    summary = selectors.completeness.completeness_summary(scope=scope, year=year, quarter=quarter)
    timeliness = request.GET.get("timeliness", "")
    if timeliness not in selectors.completeness.TIMELINESS:
        timeliness = ""
    page = paging.page_of(
        selectors.completeness.unit_standing(scope=scope, summary=summary, timeliness=timeliness),
        request,
        count=summary.timeliness[timeliness] if timeliness else summary.expected,
    )
    return render(
        request,
        "commitments/completeness.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "completeness": replace(
                summary, units=selectors.completeness.unit_reporting(page.object_list)
            ),
            "timeliness": timeliness,
            "page": page,
            "page_query": paging.query(request),
            "filter_query": paging.query(request, without=("page", "timeliness")),
        },
    )
