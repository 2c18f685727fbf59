"""How a status reads: its value and target (percent, points or a count, in the
locale), the sign of its comparator and its label. The pages and the report documents
(``commitments.exports``) all read them from here."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format, localize, number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from commitments import engine
from commitments.models import sector_name

register = template.Library()

COMPARATOR_SIGNS = {engine.GE: "≥", engine.GT: ">"}


def comparator_sign(comparator: str | None) -> str | None:
    """The sign a reader sees for a comparator: "≥" for ">=", ">" for ">"; anything
    else as it is."""
    return COMPARATOR_SIGNS.get(comparator, comparator)


def _number(value: Decimal, *, fixed: bool = False) -> str:
    """Two decimals, or none for a whole number: 98,43 · 100 · 1.234 (vi); always two
    when ``fixed`` (100,00), for a column of numbers read side by side."""
    rounded = engine.rounded(value)
    places = 0 if rounded == rounded.to_integral_value() and not fixed else 2
    marks = _marks(get_language())
    if marks is None:
        return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)
    # What number_format writes, for a locale that groups by three, at an eighth of its
    # cost: a page shows hundreds of numbers. A negative zero reads as zero.
    if rounded.is_zero():
        rounded = rounded.copy_abs()
    return f"{rounded:,.{places}f}".translate(marks)


@lru_cache(maxsize=8)
def _marks(language: str | None) -> dict[int, str] | None:
    """How the language writes the decimal and thousands marks, as a translation of
    Python's "1,234.5"; None for a locale that does not group by three."""
    with translation.override(language):
        if get_format("NUMBER_GROUPING") != 3:
            return None
        return str.maketrans(
            {".": get_format("DECIMAL_SEPARATOR"), ",": get_format("THOUSAND_SEPARATOR")}
        )


def _with_unit(value: Decimal, kind: str, *, signed: bool = False, fixed: bool = False) -> str:
    text = _number(value, fixed=fixed and kind != engine.COUNT)
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
def whole(value) -> str:
    """A whole number with the locale's thousands mark ("1.234" in Vietnamese), as
    ``floatformat:"0g"`` writes it at a fraction of its cost; "" for none."""
    if value is None or value == "":
        return ""
    return _number(Decimal(value))


def value_text(value: Decimal, kind: str) -> str:
    """A value of an indicator kind as the pages show it, e.g. "95,12%", "5"."""
    return _with_unit(value, kind)


@register.simple_tag
def fixed_value(value: Decimal | None, kind: str) -> str:
    """A value with two decimals whatever it is ("70,00%" beside "70,83%"), as a
    table of many units shows them; a count stays whole."""
    if value is None:
        return "—"
    return _with_unit(value, kind, signed=True, fixed=True)


def _threshold(threshold: Decimal | None, comparator: str, kind: str) -> str:
    """A threshold with its comparator, e.g. "≥ 96%"; "—" for none (tracked)."""
    if threshold is None:
        return "—"
    return f"{comparator_sign(comparator)} {_with_unit(threshold, kind)}"


def status_target(status, category_names: Mapping[str, str] | None = None) -> str:
    """The target with its comparator, e.g. "≥ 96%", "> 95%", "≥ 5"; for the whole of
    an indicator judged in each category, what was signed (``per_category_target``),
    with the categories named from ``category_names`` (code -> name in the reader's
    language; the pages pass ``selectors.statuses.category_names()``)."""
    if is_per_category_whole(status):
        return per_category_target(status, category_names or {})
    return _threshold(status.target, status.comparator, status.indicator.kind)


@register.filter(name="status_target")
def status_target_cell(status, category_names: Mapping[str, str] | None = None) -> str:
    """``status_target`` as a page's cell shows it: the fields of a per-category
    target with a target of their own go on a line of their own ("each field ≥ 98%",
    then "(Land, Investment ≥ 96%)"), so that the column stays narrow; that line may
    wrap between fields, never inside "≥ 96%"."""
    if not is_per_category_whole(status):
        return status_target(status, category_names)
    every, fields = _per_category_parts(status, category_names or {})
    if not fields:
        return every
    for sign in COMPARATOR_SIGNS.values():
        fields = fields.replace(f"{sign} ", f"{sign}\u00a0")
    return format_html('{} <span class="target-fields">({})</span>', every, fields)


@register.simple_tag
def figures_behind(status) -> str:
    """The figures behind a status's value, as the indicator page's tables show them:
    numerator / denominator; covered / units in scope (a count of distinct units has
    records and units, no covered); records; and why a row could not be computed.
    Written here rather than in an included template: the page has a row a unit."""
    facts = status.facts
    error = (
        format_html('<span class="gap">{} {}</span>', _("Không tính được:"), facts.error)
        if facts.error
        else ""
    )
    if facts.denominator:
        shown = f"{whole(facts.numerator or 0)} / {whole(facts.denominator)}"
    elif facts.units:
        covered = localize(facts.covered) if facts.records is None else ""
        shown = f"{covered} / {localize(facts.units)}"
    elif facts.records is not None:
        shown = str(localize(facts.records))
    else:
        shown = ""
    return format_html("{}{}\n", error, shown)


@register.simple_tag
def judged_cells(status, category_names: Mapping[str, str] | None = None) -> str:
    """The last three cells of a row of the printed report (``report_print.html``):
    the result, the target and the status, with the quarters that hold the year back.
    Written here rather than by an included template: the report has a row for each
    status it lists."""
    why = quarters_behind(status)
    return format_html(
        '\n<td class="num">{}</td>\n<td class="num">{}</td>\n<td class="status {}">{}{}</td>\n\n',
        status_value(status),
        status_target_cell(status, category_names),
        status.status,
        status_label(status.status),  # a label read once a language
        format_html('<div class="gap">{}</div>', why) if why else "",
    )


def is_per_category_whole(status) -> bool:
    """The whole row of an indicator judged in each category, with a target. (A
    published reading or a preview reads like a status, without these.)"""
    return (
        getattr(status.indicator, "per_category", False)
        and getattr(status, "category", None) == ""
        and status.target is not None
        and hasattr(status, "facts")
    )


def per_category_target(status, category_names: Mapping[str, str]) -> str:
    """The target of the whole of an indicator judged in each category, as signed
    (5.1: "98% in each field, land and investment 96% or more"): "từng lĩnh vực ≥ 98%
    (Đất đai, Đầu tư ≥ 96%)", "each field ≥ 98% (Land, Investment ≥ 96%)".

    Every category must reach the whole's target, except those with a target of
    their own for the row's unit (the engine's ``category_targets``), named in the
    categories' order and grouped by target. A status stored before those were
    recorded reads "each field ≥ 98%" until the next recompute.
    """
    return _joined(*_per_category_parts(status, category_names))


def _per_category_parts(status, category_names: Mapping[str, str]) -> tuple[str, str]:
    order = {code: n for n, code in enumerate(category_names)}
    exceptions = [
        (category_names.get(code, code), threshold, comparator)
        for code, threshold, comparator in sorted(
            status.facts.category_targets, key=lambda t: (order.get(t[0], len(order)), t[0])
        )
    ]
    return _each_category_parts(status.indicator, status.target, status.comparator, exceptions)


def each_category_target(
    indicator, threshold: Decimal, comparator: str, exceptions: Iterable[tuple[str, Decimal, str]]
) -> str:
    """ "từng lĩnh vực ≥ 98% (Đất đai, Đầu tư ≥ 96%)": a target every category must
    reach, then the ``exceptions`` (name, threshold, comparator) grouped by target in
    their order. The categories are the fields of a procedure or the feedback
    channels, as the indicator's figures are split (its denominator's or element's
    categories: the page's selector reads them with the indicator)."""
    return _joined(*_each_category_parts(indicator, threshold, comparator, exceptions))


def _each_category_parts(
    indicator, threshold: Decimal, comparator: str, exceptions: Iterable[tuple[str, Decimal, str]]
) -> tuple[str, str]:
    """ "từng lĩnh vực ≥ 98%" and "Đất đai, Đầu tư ≥ 96%" ("" without exceptions)."""
    return _category_parts(
        get_language(),
        indicator.kind,
        category_kind(indicator),
        threshold,
        comparator,
        tuple(exceptions),
    )


@lru_cache(maxsize=256)
def _category_parts(
    language: str | None,
    kind: str,
    split: str,
    threshold: Decimal,
    comparator: str,
    exceptions: tuple[tuple[str, Decimal, str], ...],
) -> tuple[str, str]:
    """``_each_category_parts`` in the active ``language``, of plain values: a page
    writes the same few targets for each of its units."""
    every = EACH[split] % {"target": _threshold(threshold, comparator, kind)}
    groups: dict[tuple[str, Decimal], list[str]] = {}
    for name, own_threshold, own_comparator in exceptions:
        groups.setdefault((own_comparator, own_threshold), []).append(name)
    fields = "; ".join(
        f"{', '.join(names)} {_threshold(own_threshold, own_comparator, kind)}"
        for (own_comparator, own_threshold), names in groups.items()
    )
    return every, fields


def _joined(every: str, fields: str) -> str:
    return f"{every} ({fields})" if fields else every


def category_kind(indicator) -> str:
    """What an indicator's figures are split by (``Category.Kind``): "field",
    "channel", or "" when its element is not split. Reads its denominator or element,
    which the selectors read with it."""
    element = indicator.denominator or indicator.element
    return element.category_kind if element and element.category_kind in EACH else ""


# How a per-category target names its categories, by the categories' kind
# (``Category.Kind``): procedure fields, feedback channels, or any other split.
EACH = {
    "field": gettext_lazy("từng lĩnh vực %(target)s"),
    "channel": gettext_lazy("từng kênh %(target)s"),
    "": gettext_lazy("từng phân loại %(target)s"),
}


def change_text(change: Decimal | None, kind: str) -> str:
    """A change on the previous quarter with its unit: "▲ 0,46 điểm %" ("▲ 0.46 pp")
    for a percentage, points or a growth (the difference of two percentages is in
    points), "▼ 2" for a count; "=" when it rounds to nothing; "" for none."""
    if change is None:
        return ""
    if engine.rounded(change) == 0:
        return "="
    text = _number(abs(change))
    if kind != engine.COUNT:
        text = _("%(sign)s%(number)s điểm %%") % {"sign": "", "number": text}
    return f"{'▲' if change > 0 else '▼'} {text}"


@register.filter
def change(reading) -> str:
    """The change of an indicator's reading on the previous quarter (``change_text``)."""
    return change_text(reading.change, reading.indicator.kind)


@register.filter
def change_of(result) -> str:
    """The change of a report's result on the previous quarter (``change_text``)."""
    return change_text(result.change, result.cell.indicator.kind)


def outlier_text(outlier) -> str:
    """A figure far from the unit's history (``engine.outlier``), in words: "Cao bất
    thường: gấp 3,1 lần trung vị 4 quý trước (1.201)."."""
    values = {
        "times": number_format(engine.rounded(outlier.times, 1), decimal_pos=1, use_l10n=True),
        "quarters": outlier.quarters,
        "median": _number(Decimal(outlier.median.numerator) / outlier.median.denominator),
    }
    if outlier.high:
        return (
            _("Cao bất thường: gấp %(times)s lần trung vị %(quarters)s quý trước (%(median)s).")
            % values
        )
    return (
        _("Thấp bất thường: chưa bằng một phần ba trung vị %(quarters)s quý trước (%(median)s).")
        % values
    )


@register.filter
def projection(reading) -> str:
    if reading.projection is None:
        return ""
    return value_text(reading.projection, reading.indicator.kind)


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
    return _status_labels(get_language()).get(status, status)


@lru_cache(maxsize=8)
def _status_labels(language: str | None) -> dict[str, str]:
    """Each status value's label in ``language``: a page labels hundreds of statuses."""
    from commitments.models import Status

    with translation.override(language):
        return {value: str(label) for value, label in Status.Value.choices}


@register.simple_tag
def status_badge(status: str) -> str:
    """A status as every page shows it: colour, icon and words."""
    return format_html(
        '<span class="badge {}"><span aria-hidden="true" class="icon"></span>{}</span>',
        status,
        status_label(status),
    )


@register.simple_tag
def matrix_row(row: Mapping, year: int, quarter: int, level_query: str) -> str:
    """One row of the units x indicators matrix (``matrix.dressed``): the unit, linked
    to its page of the period, with how many units are directly below it (a link a
    level down, ``level_query`` kept), its counts of indicators not met and at risk,
    then its cells. Written here rather than in an included template: a page has a
    row for each of its units."""
    unit = row["unit"]
    below = ""
    if row["below"] and not row["top"]:
        count = row["below"]
        words = ngettext("%(n)s đơn vị trực thuộc", "%(n)s đơn vị trực thuộc", count) % {
            "n": localize(count)
        }
        below = format_html(
            ' <a class="down" href="?{}{}unit={}"><span aria-hidden="true">▸</span> {}</a>',
            level_query,
            mark_safe("&amp;") if level_query else "",
            unit.code,
            words,
        )
    head = format_html(
        '<tr{}>\n      <th scope="row"><a href="{}?year={}&amp;quarter={}">{}</a>'
        ' <span class="muted">{}</span>{}</th>\n'
        '      <td class="num count">{}</td>\n      <td class="num count">{}</td>\n      ',
        mark_safe(' class="top"') if row["top"] else "",
        reverse("commitments:unit", args=[unit.code]),
        year,
        localize(quarter),
        unit.label,
        unit.code,
        below,
        localize(row["not_met"]),
        localize(row["at_risk"]),
    )
    cells = mark_safe("".join(matrix_cell(cell) for cell in row["cells"]))
    return format_html("{}{}\n    </tr>\n", head, cells)


@register.simple_tag
def matrix_cell(cell: Mapping) -> str:
    """One cell of the units x indicators matrix (``matrix.dressed``, its link from the
    view): the status's colour, icon and label, the value shown and the target on
    hover, linked to the indicator; empty where the indicator does not speak of the
    unit. Written here rather than in the row's template: a page has hundreds of
    cells."""
    status = cell["status"]
    if not status:
        return mark_safe('<td class="cell none"></td>')
    # Built with one format rather than format_html's escaping of each part: the same
    # escaping, at a fraction of the cost.
    shown = f'<span class="v">{_escaped(cell["shown"])}</span>' if cell["shown"] else ""
    mark = (
        f'<span class="provisional-mark">{_escaped(_("tạm tính"))}</span>'
        if cell["differs"]
        else ""
    )
    return mark_safe(
        f'<td class="cell {_escaped(status)}"><a href="{_escaped(cell["href"])}"'
        f' title="{_escaped(cell["title"])}"><span class="icon" aria-hidden="true"></span>'
        f'{shown}<span class="t">{_escaped(cell["label"])}</span>{mark}</a></td>'
    )


def _escaped(value) -> str:
    """``conditional_escape`` of a value, as text: safe text as it is, any other
    escaped for HTML."""
    return str(value) if hasattr(value, "__html__") else html.escape(str(value))


# A unit that misses a coverage condition its target does not ask of every unit ("at
# least 30% of the units inspected"): neither met nor failed
# (``insights.unit_condition``).
UNCOVERED = "uncovered"

# How a unit stands against a department's coverage condition, in words.
CONDITION_LABELS = {
    engine.MET: pgettext_lazy("unit condition", "Đáp ứng"),
    engine.NOT_MET: pgettext_lazy("unit condition", "Chưa đáp ứng"),
    engine.AT_RISK: pgettext_lazy("unit condition", "Chưa đáp ứng"),
    UNCOVERED: pgettext_lazy("unit condition", "Chưa đáp ứng"),
}


@register.simple_tag
def condition_label(state: str) -> str:
    """A unit's standing against a coverage condition in the active language."""
    return str(CONDITION_LABELS.get(state, state))


@register.simple_tag
def condition_badge(state: str) -> str:
    """A unit's standing against a coverage condition as the pages show it: colour,
    icon and words (grey where the target does not ask it of every unit)."""
    return format_html(
        '<span class="badge {}"><span aria-hidden="true" class="icon"></span>{}</span>',
        state,
        condition_label(state),
    )


@register.simple_tag
def target_text(target, kind: str) -> str:
    """A target or override as read on the sheet: "≥ 98%", "> 95%", "≥ 5"."""
    return _threshold(target.threshold, target.comparator, kind)


@register.simple_tag
def target_signed(target, indicator, overrides: Iterable) -> str:
    """A year's target as the sheet signs it, its overrides in words: "từng lĩnh vực
    ≥ 98% (Đất đai, Đầu tư ≥ 96%)" for an indicator judged in each category (see
    ``each_category_target``), "≥ 91%; Đơn vị trực thuộc ≥ 90%" for any other; "—"
    for a tracked one."""
    if target.threshold is None:
        return "—"
    kind = indicator.kind
    exceptions = [(_override_name(o), o.threshold, o.comparator) for o in overrides]
    if indicator.per_category:
        return each_category_target(indicator, target.threshold, target.comparator, exceptions)
    return "; ".join(
        [_threshold(target.threshold, target.comparator, kind)]
        + [f"{name} {_threshold(t, c, kind)}" for name, t, c in exceptions]
    )


def _override_name(override) -> str:
    """Where an override applies, in words: "Đất đai", "Đơn vị trực thuộc", "Đất đai
    (Đơn vị trực thuộc, Giáo dục)"."""
    units = [
        override.get_unit_kind_display() if override.unit_kind else "",
        sector_name(override.unit_sector) if override.unit_sector else "",
    ]
    units_text = ", ".join(part for part in units if part)
    if override.category_id is None:
        return units_text
    return f"{override.category.name} ({units_text})" if units_text else override.category.name


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
