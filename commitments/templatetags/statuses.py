"""How a status's value and target read: percent, points or a count, in the locale."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from commitments import engine

register = template.Library()

COMPARATOR_SIGNS = {engine.GE: "≥", engine.GT: ">"}


def _number(value: Decimal) -> str:
    """Two decimals, or none for a whole number: 98,43 · 100 · 1.234 (vi)."""
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    places = 0 if rounded == rounded.to_integral_value() else 2
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


def _with_unit(value: Decimal, kind: str, *, signed: bool = False) -> str:
    text = _number(value)
    if kind == engine.COUNT:
        return text
    if kind == engine.GROWTH_POINTS:
        sign = "+" if signed and value > 0 else ""
        return _("%(sign)s%(number)s điểm %%") % {"sign": sign, "number": text}
    sign = "+" if signed and kind == engine.GROWTH_RELATIVE and value > 0 else ""
    return f"{sign}{text}%"


@register.filter
def status_value(status) -> str:
    """The value of a status row, e.g. "98,43%", "+6,22 điểm %", "5"."""
    if status.value is None:
        return "—"
    return _with_unit(status.value, status.indicator.kind, signed=True)


@register.filter
def status_target(status) -> str:
    """The target with its comparator, e.g. "≥ 96%", "> 95%", "≥ 5"."""
    if status.target is None:
        return "—"
    sign = COMPARATOR_SIGNS.get(status.comparator, status.comparator)
    return f"{sign} {_with_unit(status.target, status.indicator.kind)}"
