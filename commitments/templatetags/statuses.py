"""How a status reads: its value and target (percent, points or a count, in the
locale), the sign of its comparator and its label. The pages and the report documents
(``commitments.exports``) all read them from here."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from commitments import engine

register = template.Library()

COMPARATOR_SIGNS = {engine.GE: "≥", engine.GT: ">"}


def comparator_sign(comparator: str | None) -> str | None:
    """The sign a reader sees for a comparator: "≥" for ">=", ">" for ">"; anything
    else as it is."""
    return COMPARATOR_SIGNS.get(comparator, comparator)


def _number(value: Decimal) -> str:
    """Two decimals, or none for a whole number: 98,43 · 100 · 1.234 (vi)."""
    rounded = engine.rounded(value)
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


def _threshold(threshold: Decimal | None, comparator: str, kind: str) -> str:
    """A threshold with its comparator, e.g. "≥ 96%"; "—" for none (tracked)."""
    if threshold is None:
        return "—"
    return f"{comparator_sign(comparator)} {_with_unit(threshold, kind)}"


@register.filter
def status_target(status) -> str:
    """The target with its comparator, e.g. "≥ 96%", "> 95%", "≥ 5"."""
    return _threshold(status.target, status.comparator, status.indicator.kind)


@register.filter
def change(reading) -> str:
    """The change on the previous quarter, e.g. "▲ 1,2" or "▼ 0,85"."""
    if reading.change is None:
        return ""
    text = _number(abs(reading.change))
    if reading.change > 0:
        return f"▲ {text}"
    if reading.change < 0:
        return f"▼ {text}"
    return "="


@register.filter
def projection(reading) -> str:
    if reading.projection is None:
        return ""
    return _with_unit(reading.projection, reading.indicator.kind)


@register.simple_tag
def sparkline(values, target=None, width: int = 96, height: int = 24):
    """A small line of the quarterly values, with the target as a dashed line."""
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if not points:
        return ""
    target = None if target in (None, "") else target
    scale = [v for _, v in points] + ([float(target)] if target is not None else [])
    low, high = min(scale), max(scale)
    span = (high - low) or 1.0
    pad = 3

    def y(value: float) -> float:
        return round(height - pad - (value - low) / span * (height - 2 * pad), 1)

    def x(index: int) -> float:
        return round(pad + index * (width - 2 * pad) / 3, 1)

    line = " ".join(f"{x(i)},{y(v)}" for i, v in points)
    dots = "".join(
        format_html('<circle cx="{}" cy="{}" r="2"></circle>', x(i), y(v)) for i, v in points
    )
    target_line = (
        format_html(
            '<line class="target" x1="{}" x2="{}" y1="{}" y2="{}"></line>',
            pad,
            width - pad,
            y(float(target)),
            y(float(target)),
        )
        if target is not None
        else ""
    )
    return format_html(
        '<svg class="spark" width="{}" height="{}" viewBox="0 0 {} {}" aria-hidden="true">'
        '{}<polyline points="{}"></polyline>{}</svg>',
        width,
        height,
        width,
        height,
        target_line,
        line,
        mark_safe(dots),  # built with format_html above
    )


@register.simple_tag
def status_label(status: str) -> str:
    """The label of a status value in the active language ("Đạt", "Met"...); a value
    that is not a status reads as itself."""
    from commitments.models import Status

    return str(Status.Value(status).label) if status in Status.Value.values else status


@register.simple_tag
def status_badge(status: str) -> str:
    """A status as every page shows it: colour, icon and words."""
    return format_html(
        '<span class="badge {}"><span aria-hidden="true" class="icon"></span>{}</span>',
        status,
        status_label(status),
    )


@register.simple_tag
def target_text(target, kind: str) -> str:
    """A target or override as read on the sheet: "≥ 98%", "> 95%", "≥ 5"."""
    return _threshold(target.threshold, target.comparator, kind)


@register.filter
def period_name(year: int, quarter: int = 0) -> str:
    """A period in words, as people write it: "Quý 3/2026" ("Q3 2026"), "Năm 2026"
    ("Year 2026") for the year to date."""
    if quarter:
        return _("Quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": year}
    return _("Năm %(year)s") % {"year": year}


@register.filter
def quarters_behind(row) -> str:
    """The year row of an indicator judged by quarter, in words, for documents that
    show one row alone (the print, the XLSX, a publication): the quarters that failed
    and the worst ("Không đạt ở quý 2, 4; thấp nhất quý 4: 0, mục tiêu ≥ 5."), or the
    quarter holding an open year back. "" for any other row."""
    facts = getattr(row, "facts", row)
    worst = getattr(facts, "quarter", None)
    if worst is None or row.status not in engine.BEHIND:
        return ""

    def named(quarter: int) -> str:
        return _("quý %(number)s") % {"number": quarter}

    values = {"worst": named(worst), "value": status_value(row), "target": status_target(row)}
    failed = list(getattr(facts, "failed_quarters", ()) or ())
    if failed:
        return _(
            "Không đạt ở %(quarters)s; thấp nhất %(worst)s: %(value)s, mục tiêu %(target)s."
        ) % {
            **values,
            "quarters": ", ".join(named(q) for q in failed),
        }
    return _("Chưa đạt đến nay: %(worst)s: %(value)s, mục tiêu %(target)s.") % values
