"""Pages: thin views that read through selectors."""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from commitments import selectors
from commitments.engine import YEAR


def _choice(request: HttpRequest, name: str, allowed: list[int], default: int) -> int:
    """An integer from the query string, or the default when absent or not allowed."""
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        return default
    return value if value in allowed else default


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The statuses of a year (to date) or of one quarter, commitment by commitment."""
    years = selectors.years_with_targets()
    current = timezone.localdate().year
    default_year = current if current in years else (years[-1] if years else current)
    year = _choice(request, "year", years, default_year)
    quarter = _choice(request, "quarter", [YEAR, 1, 2, 3, 4], YEAR)
    names = selectors.category_names()
    position = {code: n for n, code in enumerate(names, start=1)}  # "" (the whole): 0
    statuses = sorted(
        selectors.department_statuses(year=year, quarter=quarter),
        key=lambda s: (s.unit.code, s.indicator.commitment.position, s.indicator.position,
                       position.get(s.category, 0)),
    )  # fmt: skip
    for status in statuses:
        status.category_name = names.get(status.category, status.category)
        status.behind = [names.get(code, code) for code in status.detail.get("behind", ())]
    departments = []
    for unit, unit_rows in groupby(statuses, key=lambda s: s.unit):
        commitments = []
        for commitment, rows in groupby(unit_rows, key=lambda s: s.indicator.commitment):
            commitments.append({"commitment": commitment, "rows": list(rows)})
        departments.append({"unit": unit, "commitments": commitments})
    return render(
        request,
        "commitments/dashboard.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": [YEAR, 1, 2, 3, 4],
            "departments": departments,
            "state": selectors.recompute_state(year=year),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The state of the database, the broker and the worker. 200 while the database
    answers (the web can serve); 503 when it does not."""
    state = {"database": "ok", "broker": "in-process", "worker": "in-process"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure is the answer here
        state["database"] = f"error: {exc.__class__.__name__}"
        code = 503
    if settings.REDIS_URL:
        from reform.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            state["broker"] = "ok"
        except Exception as exc:
            state["broker"] = f"error: {exc.__class__.__name__}"
        try:
            replies = app.control.ping(timeout=1.0) if state["broker"] == "ok" else []
            state["worker"] = f"ok ({len(replies)})" if replies else "no worker replied"
        except Exception as exc:
            state["worker"] = f"error: {exc.__class__.__name__}"
    return JsonResponse(state, status=code)
