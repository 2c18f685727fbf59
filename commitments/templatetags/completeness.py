"""The reporting completeness page's link and words: who sees the link, and a report's
state in words (including a report nobody has started)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from commitments import access, selectors
from commitments.models import QuarterlyReport

register = template.Library()


@register.simple_tag
def completeness_visible(user) -> bool:
    """Whether to link the completeness page: no query for a superuser or an anonymous
    visitor, one otherwise."""
    return access.completeness_visible(user=user)


@register.filter
def report_state_label(state: str) -> str:
    """A report's state in words: "not started" when the unit has no report yet."""
    if state == selectors.completeness.NOT_STARTED:
        return _("Chưa lập")
    return str(QuarterlyReport.State(state).label)
