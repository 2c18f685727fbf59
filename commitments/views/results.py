"""Published results (kết quả đã công bố): a director publishes a department's period
from the dashboard, through a page that says how many of its units' reports are
approved, names the units behind and asks for confirmation (and for a note when some
are missing); ``/results/`` shows the public, without a login, what was published,
read from the publication's frozen snapshot and never from the live statuses, so
nothing unpublished is ever shown."""

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
from django.views.decorators.http import require_GET, require_http_methods

from commitments import access, selectors, services
from commitments.exports import unit_name
from commitments.models import Publication, Unit
from commitments.templatetags.statuses import period_name


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
            "readiness": selectors.publications.published_readiness(snapshot),
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


def _period_to_publish(request: HttpRequest) -> tuple[Unit, int, int]:
    """The department and period a director asks to publish (the query string, or the
    form): 404 for an unknown unit or a period that is not one, 403 for a user who may
    not publish the department's results."""
    data = request.POST if request.method == "POST" else request.GET
    department = get_object_or_404(Unit, code=data.get("unit", ""))
    scope = access.user_scope(user=request.user)
    if not access.may_publish(scope=scope, department=department):
        raise PermissionDenied
    try:
        year = int(data.get("year", ""))
        quarter = int(data.get("quarter", ""))
    except ValueError:
        raise Http404(_("Kỳ không hợp lệ.")) from None
    if quarter not in (0, 1, 2, 3, 4):
        raise Http404(_("Kỳ không hợp lệ."))
    return department, year, quarter


@require_http_methods(["GET", "POST"])
@login_required
def results_publish(request: HttpRequest) -> HttpResponse:
    """Publish a department's results of a period; a superuser or a director of the
    department only (403 for anyone else). GET (the dashboard's button): how many of
    the units that must report have their reports approved, submitted, being written
    or not started, the units behind by name, and the form that confirms. POST: publish
    (a note is required while some report is not approved; the form says so next to
    the note and keeps what was typed)."""
    department, year, quarter = _period_to_publish(request)
    note, error = request.POST.get("note", ""), ""
    dashboard = f"{reverse('commitments:dashboard')}?year={year}&quarter={quarter}"
    if request.method == "POST":
        try:
            services.publishing.results_publish(
                department=department, year=year, quarter=quarter, user=request.user, note=note
            )
        except services.publishing.NoteRequired as refusal:
            error = str(refusal)
        except services.publishing.PublishRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(dashboard)
        else:
            messages.success(
                request,
                _("Đã công bố kết quả của %(unit)s: %(period)s.")
                % {"period": period_name(year, quarter), "unit": unit_name(department)},
            )
            return redirect(dashboard)
    published = selectors.publications.publications_of_period(
        units=[department], year=year, quarter=quarter
    )
    context = {
        "department": department,
        "year": year,
        "quarter": quarter,
        "period": period_name(year, quarter),
        "ended": selectors.publications.period_ended(year=year, quarter=quarter),
        "readiness": selectors.publications.publish_readiness(
            department=department, year=year, quarter=quarter
        ),
        "publication": published.get(department.pk),
        "note": note,
        "error": error,
        "note_max_length": services.publishing.NOTE_MAX_LENGTH,
        "dashboard": dashboard,
    }
    return render(request, "commitments/results_publish.html", context)
