"""The review inbox (báo cáo chờ duyệt): the reports waiting for a director's decision,
the one waiting longest first, each a click from its page where it is approved or
returned."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from commitments import access, selectors
from commitments.context_processors import reviews_waiting
from commitments.views import paging


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """The submitted reports of the units the user directs (every unit for an admin),
    a page of them at a time; 403 for anyone who reviews none."""
    scope = access.user_scope(user=request.user)
    if not access.directs_units(scope=scope):
        raise PermissionDenied
    today = timezone.localdate()
    # The navigation's count of the reports waiting is the inbox's: read once, it
    # counts the pages too.
    badge = reviews_waiting(request)
    page = paging.page_of(
        selectors.reviews.review_reports(scope=scope), request, count=badge.waiting
    )
    return render(
        request,
        "commitments/review.html",
        {
            "items": selectors.reviews.review_items(page.object_list, today=today),
            "page": page,
            "page_query": paging.query(request),
            "today": today,
            "writes_reports": bool(scope.staff_ids),
        },
    )
