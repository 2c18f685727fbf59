"""The year and quarter a page shows, read from the query string the same way on every
page: this year by default (else the latest year with targets), the year to date
unless a quarter 1-4 is asked for; anything else falls back to the default."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from commitments import access, engine, selectors
from commitments.models import RecomputeState
from commitments.templatetags.statuses import period_name

QUARTERS = [engine.YEAR, 1, 2, 3, 4]


def choice(request: HttpRequest, name: str, allowed: list[int], default: int) -> int:
    """An integer from the query string, or the default when absent or not allowed."""
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        return default
    return value if value in allowed else default


def default_year(years: list[int]) -> int:
    """This year when it has targets (or when no year has), else the latest that has."""
    current = timezone.localdate().year
    return current if current in years or not years else years[-1]


def period(request: HttpRequest) -> tuple[list[int], int, int]:
    """The years with targets, the chosen year and the chosen quarter (0: the year).

    The state of the chosen year's recompute comes in the same query and stays on the
    request (``recompute_state``), for what every page that shows statuses says of
    them (``context_processors.recompute``)."""
    states = selectors.statuses.years_with_states()
    years = list(states)
    year = choice(request, "year", years, default_year(years))
    request.recompute_state = states.get(year)
    return years, year, choice(request, "quarter", QUARTERS, 0)


def recompute_state(request: HttpRequest) -> RecomputeState | None:
    """The state of the recompute of the year ``period`` chose, or None (a year never
    computed, or a page that shows no period)."""
    return getattr(request, "recompute_state", None)


def basis(request: HttpRequest) -> selectors.statuses.Basis:
    """The statuses a page reads: official unless the reader asked to include the
    reports not yet approved (``?provisional=1``)."""
    return selectors.statuses.Basis(provisional=request.GET.get("provisional") == "1")


def approvals(basis: selectors.statuses.Basis, year: int, quarter: int):
    """What ``units_by_code`` counts for the provisional view's note (the period's
    quarters begun), or None for the official view, which says nothing of it."""
    if not basis.provisional:
        return None
    today = timezone.localdate()
    begun = [q for q in (1, 2, 3, 4) if engine.period_bounds(year, q)[0] <= today]
    return year, [quarter] if quarter else begun


def provisional_note(
    basis: selectors.statuses.Basis, units, *, year: int, quarter: int, scope: access.Scope
) -> dict:
    """What a page says of the figures it shows: nothing in the official view; in the
    provisional view, how many of the period's reports are approved among the units
    the user sees ("12/16")."""
    if not basis.provisional:
        return {"requested": False}
    _, quarters = approvals(basis, year, quarter)
    seen = [u for u in units if u in scope]
    return {
        "requested": True,
        "progress": selectors.statuses.approval_progress(seen, quarters=quarters),
        "period": period_name(year, quarter),
    }
