"""A report's state in words, including a report nobody has started."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from commitments import selectors
from commitments.models import QuarterlyReport

register = template.Library()


@register.filter
def report_state_label(state: str) -> str:
    """A report's state in words: "not started" when the unit has no report yet."""
    if state == selectors.completeness.NOT_STARTED:
        return _("Chưa lập")
    return str(QuarterlyReport.State(state).label)
