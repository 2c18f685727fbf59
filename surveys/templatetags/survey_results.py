"""How the survey pages write a desk's numbers: a share ("87,50%"), a mean score
("4,12") and the bar of a share against the target line."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from commitments import engine
from commitments.templatetags.statuses import target_text, value_text

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    """A share in percent as the other pages write one ("87,50%", "100%"); "—" for none."""
    return "—" if value is None else value_text(Decimal(value), engine.RATIO)


@register.filter
def score(value: Decimal | None) -> str:
    """A mean score on the five-level scale, two places ("4,12")."""
    if value is None:
        return "—"
    return number_format(engine.rounded(Decimal(value)), decimal_pos=2, use_l10n=True)


@register.simple_tag
def goal(threshold: Decimal | None, comparator: str | None) -> str:
    """A desk's target as the other pages write one: "≥ 91%"; "—" for none."""
    return target_text(SimpleNamespace(threshold=threshold, comparator=comparator), engine.RATIO)


@register.simple_tag
def share_bar(share: Decimal | None, threshold: Decimal | None) -> str:
    """A share as a bar from 0 to 100% with the target as a line across it; read by
    screen readers as the share and the target in words (the numbers beside it say
    the same)."""
    if share is None:
        return ""
    below = threshold is not None and share < threshold
    line = (
        format_html(
            '<line class="target" x1="{0}" x2="{0}" y1="0" y2="10"></line>',
            _svg_number(threshold),
        )
        if threshold is not None
        else ""
    )
    label = (
        _("%(share)s hài lòng, mục tiêu %(target)s")
        % {"share": percent(share), "target": percent(threshold)}
        if threshold is not None
        else _("%(share)s hài lòng") % {"share": percent(share)}
    )
    return format_html(
        '<svg class="share-bar{}" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'role="img" aria-label="{}"><rect class="track" width="100" height="10"></rect>'
        '<rect class="share" width="{}" height="10"></rect>{}</svg>',
        " below" if below else "",
        label,
        _svg_number(share),
        line,
    )


def _svg_number(value: Decimal) -> str:
    """A number as SVG reads it: a dot, never the active language's comma."""
    return f"{min(max(Decimal(value), Decimal(0)), Decimal(100)):.2f}"
