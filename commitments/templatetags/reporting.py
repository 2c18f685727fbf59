"""The link to a unit's quarterly report, for the users who may open it."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from commitments import access, engine
from commitments.models import Unit

register = template.Library()


@register.simple_tag
def quarterly_report_url(user, unit: Unit, year: int, quarter: int, scope=None) -> str:
    """The report of the quarter shown (this quarter when the page shows a whole year
    in progress, else the year's last), or "" when the user may not see it. ``scope``:
    the page's ``access.user_scope``, when it has read it already."""
    if not access.report_roles(user=user, unit=unit, scope=scope):
        return ""
    if not quarter:
        today = timezone.localdate()
        quarter = engine.quarter_of(today) if today.year == year else 4
    return reverse("quarterly_report", args=[unit.code, year, quarter])
