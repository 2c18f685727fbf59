"""What the frame of every page (``base.html``) shows of the user's rights, decided by
``commitments.access`` so that no template tag reads the database."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commitments import access


def navigation(request: HttpRequest) -> dict:
    """``sees_completeness``: whether to link the reporting completeness page. Read only
    where a page shows the link (for a signed-in user): no query for a superuser or an
    anonymous visitor, one otherwise."""
    return {
        "sees_completeness": SimpleLazyObject(
            lambda: access.completeness_visible(user=request.user)
        )
    }
