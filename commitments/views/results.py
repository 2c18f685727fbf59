"""Published results (kết quả đã công bố): a director publishes a department's period
from the dashboard; ``/results/`` shows the public, without a login, what was
published, read from the publication's frozen snapshot and never from the live
statuses, so nothing unpublished is ever shown."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commitments import access, engine, selectors, services
from commitments.exports import unit_name
from commitments.models import Publication, Unit


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """The published periods of each department, newest first, and one of them (asked
    for by ``?unit=<department code>&year=&quarter=``; by default the newest period
    published). Two queries, whatever the number of publications."""
    publications = selectors.publications.publications_published()
    selected = _selected(request, publications)
    departments = [
        {"name": unit_name(unit), "publications": list(rows)}
        for unit, rows in groupby(publications, key=lambda p: p.unit)
    ]
    context = {"departments": departments, "selected": selected}
    if selected is not None:
        snapshot = selectors.publications.publication_snapshot(publication=selected)
        computed_at = snapshot.get("computed_at")
        context |= {
            "department_name": unit_name(selected.unit),
            "commitments": selectors.publications.published_commitments(snapshot),
            "computed_at": dt.datetime.fromisoformat(computed_at) if computed_at else None,
        }
    return render(request, "commitments/results.html", context)


def _selected(request: HttpRequest, publications: list[Publication]) -> Publication | None:
    """The publication asked for (404 when it is not published), else the newest
    period published (the year to date after its quarters)."""
    asked = [request.GET.get(name) for name in ("unit", "year", "quarter")]
    if not any(asked):
        return max(
            publications,
            key=lambda p: (p.year, p.quarter or 5),
            default=None,
        )
    code, year, quarter = asked
    for publication in publications:
        if (publication.unit.code, str(publication.year), str(publication.quarter)) == (
            code,
            year,
            quarter,
        ):
            return publication
    raise Http404(_("Kết quả của kỳ này chưa được công bố."))


@require_POST
@login_required
def results_publish(request: HttpRequest) -> HttpResponse:
    """Publish a department's results of a period (the dashboard's form); a superuser
    or a director of the department only (403 for anyone else)."""
    department = get_object_or_404(Unit, code=request.POST.get("unit", ""))
    scope = access.user_scope(user=request.user)
    if not access.may_publish(scope=scope, department=department):
        raise PermissionDenied
    try:
        year = int(request.POST.get("year", ""))
        quarter = int(request.POST.get("quarter", ""))
    except ValueError:
        raise Http404(_("Kỳ không hợp lệ.")) from None
    try:
        services.publishing.results_publish(
            department=department,
            year=year,
            quarter=quarter,
            user=request.user,
            note=request.POST.get("note", ""),
        )
    except services.publishing.PublishRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Đã công bố kết quả %(period)s của %(unit)s.")
            % {"period": engine.period_label(year, quarter), "unit": unit_name(department)},
        )
    return redirect(f"{reverse('commitments:dashboard')}?year={year}&quarter={quarter}")
