"""What the frame of every page (``base.html``) shows of the user's rights, decided by
``commitments.access`` so that no template tag reads the database, and what a page that
shows statuses says of them (``commitments/_stale.html``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commitments import access
from commitments.views.periods import recompute_state


def navigation(request: HttpRequest) -> dict:
    """``sees_completeness``: whether to link the reporting completeness page;
    ``sees_surveys``: whether to link the satisfaction survey pages (by URL name: this
    app knows nothing else of them). Read only where a page shows the links (for a
    signed-in user): no query for a superuser or an anonymous visitor, one for both
    otherwise."""
    links = SimpleLazyObject(lambda: access.navigation(user=request.user))
    return {
        "sees_completeness": SimpleLazyObject(lambda: links.completeness),
        "sees_surveys": SimpleLazyObject(lambda: links.surveys),
    }


def recompute(request: HttpRequest) -> dict:
    """``recompute``: the state of the recompute of the year the page shows, read with
    its period (``views.periods.period``), so nothing new is read here; None on a page
    without one. ``may_recompute``: whether the user may queue a recompute (no query)."""
    return {
        "recompute": recompute_state(request),
        "may_recompute": SimpleLazyObject(lambda: access.may_recompute(user=request.user)),
    }
