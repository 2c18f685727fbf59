"""What the frame of every page (``base.html``) shows of the user's rights, decided by
``commitments.access`` so that no template tag reads the database, and what a page that
shows statuses says of them (``commitments/_stale.html``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commitments import access, selectors
from commitments.views.periods import recompute_state


def navigation(request: HttpRequest) -> dict:
    """``review``: whether the user reviews reports (a director, or a superuser) and how
    many wait for them, for the review inbox's link and its count; ``sees_completeness``:
    whether to link the reporting completeness page (the same people); ``sees_surveys``:
    whether to link the satisfaction survey pages (reviewers and staff of a receiving
    desk; by URL name: this app knows nothing else of them). Read once, only where a
    page shows the links (for a signed-in user): one query, none for an anonymous
    visitor."""
    review = SimpleLazyObject(lambda: reviews_waiting(request))
    return {
        "review": review,
        "sees_completeness": SimpleLazyObject(lambda: review.directs),
        "sees_surveys": SimpleLazyObject(lambda: review.directs or review.desk_staff),
    }


def reviews_waiting(request: HttpRequest) -> selectors.reviews.ReviewBadge:
    """The user's ``review_badge``, read once a request: the review inbox reads it
    first, to count its pages."""
    if not hasattr(request, "review_badge"):
        request.review_badge = selectors.reviews.review_badge(user=request.user)
    return request.review_badge


def recompute(request: HttpRequest) -> dict:
    """``recompute``: the state of the recompute of the year the page shows, read with
    its period (``views.periods.period``), so nothing new is read here; None on a page
    without one. ``may_recompute``: whether the user may queue a recompute (no query)."""
    return {
        "recompute": recompute_state(request),
        "may_recompute": SimpleLazyObject(lambda: access.may_recompute(user=request.user)),
    }
