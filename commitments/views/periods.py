"""The year and quarter a page shows, read from the query string the same way on every
page: this year by default (else the latest year with targets), the year to date
unless a quarter 1-4 is asked for; anything else falls back to the default."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from commitments import access, engine, insights, selectors
from commitments.models import RecomputeState, Unit
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


def approval_quarters(year: int, quarter: int) -> list[int]:
    """The quarters whose reports the provisional view's note counts: the quarter
    shown, or the year's quarters begun."""
    if quarter:
        return [quarter]
    today = timezone.localdate()
    return [q for q in (1, 2, 3, 4) if engine.period_bounds(year, q)[0] <= today]


def provisional_note(
    basis: selectors.statuses.Basis,
    *,
    year: int,
    quarter: int,
    scope: access.Scope,
    within: Unit | None = None,
) -> dict:
    """What a page says of the figures it shows: nothing in the official view; in the
    provisional view, how many of the period's reports are approved among the units
    the user sees, or within one unit's subtree ("12/16"), counted in the database."""
    if not basis.provisional:
        return {"requested": False}
    quarters = approval_quarters(year, quarter)
    return {
        "requested": True,
        "progress": selectors.units.approval_progress(
            scope=scope, year=year, quarters=quarters, within=within
        ),
        "period": period_name(year, quarter),
    }


def is_open(year: int, quarter: int) -> bool:
    """Whether the period shown has not ended yet."""
    return timezone.localdate() <= engine.period_bounds(year, quarter)[1]


def quarters_ended(year: int) -> int:
    """How many quarters of ``year`` have ended today (4 for a past year)."""
    today = timezone.localdate()
    if year != today.year:
        return 4 if year < today.year else 0
    return engine.quarter_of(today) - 1


def compared_periods(year: int, quarter: int, ended: int) -> tuple | None:
    """The two quarters a page's changes compare (``insights.comparison``), as (year,
    quarter), the earlier first; None when there are not two."""
    compared = insights.comparison(quarter, ended)
    if compared is None:
        return None
    before, after = compared
    return ((year - 1, 4) if before == 0 else (year, before)), (year, after)
