"""Reading statuses for a person: commitment cards, the gap to a target in the users'
terms ("37 more dossiers on time needed in land"), the change on the previous quarter,
the quarterly trend and the year-end projection.

Works on Status rows already read (``selectors.statuses.year_statuses``): no query here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments import engine
from commitments.models import Commitment, Indicator, Status, Unit
from commitments.templatetags.statuses import (
    UNCOVERED,
    category_kind,
    status_target,
    status_value,
    value_text,
)


def unit_condition(row: Status, code: str) -> str | None:
    """How a department's coverage row judges one of its units, on the unit page and
    in the matrix alike: met when the unit satisfies the condition; when it does not,
    not met (at risk while the period is open) where the target asks it of every unit,
    else only ``UNCOVERED``. None when the row does not speak of the unit."""
    return unit_conditions(row, [code]).get(code)


def unit_conditions(row: Status, codes: Iterable[str]) -> dict[str, str]:
    """``unit_condition`` of each of ``codes`` the row speaks of, reading the row's
    lists of units once (a national row names thousands)."""
    facts = row.facts
    covered, missing = set(facts.covered_units), set(facts.missing)
    if not engine.every_unit_must(row.target):
        failing = UNCOVERED
    else:
        failing = engine.AT_RISK if row.status == engine.AT_RISK else engine.NOT_MET
    states = {}
    for code in codes:
        if code in covered:
            states[code] = engine.MET
        elif code in missing:
            states[code] = failing
    return states


# A page names at most this many of the units a row names (those that miss a
# condition), and says how many more there are.
NAMED_AT_MOST = 10


def named_codes(statuses: Iterable[Status]) -> set[str]:
    """The codes of the units the rows' gaps name (``named_units``): what a page reads
    the names of, rather than every unit."""
    return {
        code
        for status in statuses
        if status.indicator.kind == engine.COVERAGE
        for code in status.facts.missing[:NAMED_AT_MOST]
    }


def named_units(
    codes: Iterable[str], unit_names: Mapping[str, str], total: int | None = None
) -> str:
    """The units of ``codes`` by name, the first ``NAMED_AT_MOST`` of them, then how
    many more: "A, B, C" or "A, B, … và 4.113 đơn vị khác". ``total``: how many there
    are in all, when ``codes`` holds only the first of them (``Detail.missing_total``)."""
    codes = list(codes)
    names = ", ".join(unit_names.get(code, code) for code in codes[:NAMED_AT_MOST])
    more = (len(codes) if total is None else total) - NAMED_AT_MOST
    if more <= 0:
        return names
    return _("%(names)s và %(more)s đơn vị khác") % {"names": names, "more": _number(more)}


@dataclass
class IndicatorReading:
    """One indicator of a department in the chosen period, read for a director."""

    indicator: Indicator
    row: Status | None
    categories: list[Status] = field(default_factory=list)
    trend: list[Decimal | None] = field(default_factory=list)  # Q1..Q4
    change: Decimal | None = None  # on the previous quarter
    gap: str = ""
    projection: Decimal | None = None
    projection_status: str = ""
    # Judged in each category: the categories whose own projection misses their
    # target ("Đất đai 95,12% sẽ không đạt ≥ 96%"), or a word that none does.
    projection_misses: list[str] = field(default_factory=list)
    projection_note: str = ""

    @property
    def status(self) -> str:
        return self.row.status if self.row else engine.NO_DATA


@dataclass
class CommitmentCard:
    commitment: Commitment
    indicators: list[IndicatorReading]

    @property
    def status(self) -> str:
        """The commitment's status (``engine.overall_status``): the worst judged status
        of its indicators; tracked ones are not judged. "" when none of its indicators
        is judged in the period (e.g. a quarter, for a commitment judged on the
        year)."""
        return engine.overall_status(i.status for i in self.shown) or ""

    @property
    def shown(self) -> list[IndicatorReading]:
        """The indicators judged (or tracked) in the period."""
        return [i for i in self.indicators if i.row is not None]

    @property
    def behind(self) -> list[IndicatorReading]:
        return [i for i in self.indicators if i.status in engine.BEHIND]


def commitment_cards(
    statuses: Iterable[Status],
    *,
    unit: Unit,
    quarter: int,
    is_open: bool,
    category_names: Mapping[str, str],
    unit_names: Mapping[str, str],
    ended: int = 4,
    earlier: Iterable[Status] = (),
) -> list[CommitmentCard]:
    """The nine (or however many) commitments of one department for one period.

    ``ended``: how many quarters of the year have ended (4 for a past year). The trend
    of a quarter shows the quarters up to it, that of the year the quarters ended:
    never a later quarter, nor the open one with its partial figures. The change is on
    the quarter before; in the year view, the last quarter ended on the one before it
    (``comparison``). ``earlier``: the rows of the last quarter of the year before,
    which a first quarter is compared with.
    """
    rows: dict[tuple[str, int, str], Status] = {}
    indicators: dict[str, Indicator] = {}
    for status in statuses:
        if status.unit_id != unit.pk:
            continue
        rows[(status.indicator.code, status.quarter, status.category)] = status
        indicators.setdefault(status.indicator.code, status.indicator)
    before = {s.indicator.code: s for s in earlier if s.unit_id == unit.pk and not s.category}
    shown = range(1, (quarter or ended) + 1)
    order = {category: n for n, category in enumerate(category_names)}
    cards: dict[int, CommitmentCard] = {}
    for code, indicator in indicators.items():
        row = rows.get((code, quarter, ""))
        trend = [_value(rows.get((code, q, ""))) if q in shown else None for q in (1, 2, 3, 4)]
        reading = IndicatorReading(indicator=indicator, row=row, trend=trend)
        categories = sorted(
            (s for (c, q, cat), s in rows.items() if c == code and q == quarter and cat),
            key=lambda s: order.get(s.category, len(order)),
        )
        for category in categories:
            category.category_name = category_names.get(category.category, category.category)
        reading.categories = categories
        if row is not None:
            now, then = _compared(rows, code, quarter, ended, before)
            if now is not None and then is not None and None not in (now.value, then.value):
                reading.change = now.value - then.value
        if row is not None and row.status in engine.BEHIND:
            reading.gap = _quarters_behind(row, rows, category_names) or _gaps(
                row, reading.categories, category_names, unit_names, is_open
            )
        if quarter == engine.YEAR and is_open and row is not None:
            _project(reading, rows, code)
        card = cards.setdefault(indicator.commitment_id, CommitmentCard(indicator.commitment, []))
        card.indicators.append(reading)
    return sorted(cards.values(), key=lambda c: (c.commitment.position, c.commitment.code))


def comparison(quarter: int, ended: int) -> tuple[int, int] | None:
    """The quarters an indicator's change compares, the later last: the quarter and the
    one before (0 for the last quarter of the year before, when the quarter is the
    first), or in the year view the last quarter ended and the one before it; None when
    the year view has fewer than two quarters ended."""
    if quarter:
        return quarter - 1, quarter
    return (ended - 1, ended) if ended >= 2 else None


def _compared(
    rows: Mapping, code: str, quarter: int, ended: int, before: Mapping[str, Status]
) -> tuple[Status | None, Status | None]:
    """The whole's rows of the two quarters compared (``comparison``), later first."""
    quarters = comparison(quarter, ended)
    if quarters is None:
        return None, None
    earlier, later = quarters
    then = before.get(code) if earlier == 0 else rows.get((code, earlier, ""))
    return rows.get((code, later, "")), then


def _quarters_behind(row: Status, rows: Mapping, category_names: Mapping[str, str]) -> str:
    """The year row of an indicator judged by quarter, in the users' words: the ended
    quarters that failed, each with its value and target ("Q2: 4, target ≥ 5"), or the
    quarter that holds the open year back. "" for any other row."""
    facts = row.facts
    if row.quarter != engine.YEAR or facts.quarter is None:
        return ""
    code = row.indicator.code

    def reading(quarter: int) -> str:
        quarter_row = rows.get((code, quarter, ""), row)
        return _("quý %(quarter)s: %(value)s, mục tiêu %(target)s") % {
            "quarter": quarter,
            "value": status_value(quarter_row),
            "target": status_target(quarter_row, category_names),
        }

    if facts.failed_quarters:
        return _("Không đạt ở %(quarters)s.") % {
            "quarters": "; ".join(reading(q) for q in facts.failed_quarters)
        }
    return _("Chưa đạt đến nay ở %(quarter)s.") % {"quarter": reading(facts.quarter)}


def _value(row: Status | None) -> Decimal | None:
    return None if row is None else row.value


def _number(value) -> str:
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _needed(row: Status) -> int | None:
    """How much more the numerator (or count) must grow to reach the target, exactly."""
    if row.target is None or row.value is None:
        return None
    facts = row.facts
    threshold = Fraction(row.target)
    kind = row.indicator.kind
    if kind == engine.COUNT:
        value = Fraction(row.value)
        goal = math.ceil(threshold) if row.comparator == engine.GE else math.floor(threshold) + 1
        return max(goal - int(value), 0)
    if kind == engine.COVERAGE and facts.units:
        covered, units = facts.covered or 0, facts.units
        return max(_smallest(threshold * units / 100, row.comparator) - covered, 0)
    if kind == engine.RATIO and facts.denominator:
        num, den = facts.numerator or 0, facts.denominator
        return max(_smallest(threshold * den / 100, row.comparator) - num, 0)
    return None


def _smallest(bound: Fraction, comparator: str | None) -> int:
    """The smallest whole number that satisfies ``x >= bound`` (or ``x > bound``)."""
    if comparator == engine.GT:
        return math.floor(bound) + 1
    return math.ceil(bound)


def _gaps(
    row: Status,
    categories: list[Status],
    category_names: Mapping[str, str],
    unit_names: Mapping[str, str],
    is_open: bool,
) -> str:
    """What stands between the row and its target, in the users' words."""
    parts = [
        _gap(c, category_names.get(c.category, c.category), unit_names, is_open)
        for c in categories
        if c.status in engine.BEHIND
    ]
    if not parts:
        parts = [_gap(row, "", unit_names, is_open)]
    return " ".join(p for p in parts if p)


def _gap(row: Status, where: str, unit_names: Mapping[str, str], is_open: bool) -> str:
    indicator = row.indicator
    facts = row.facts
    needed = _needed(row)
    period = _("trong quý") if row.quarter else _("trong năm")
    if indicator.source == engine.PLAN_TASKS and needed is not None:
        return _("Còn %(n)s nhiệm vụ kế hoạch chưa hoàn thành đúng hạn.") % {"n": _number(needed)}
    if indicator.kind == engine.RATIO and needed is not None and indicator.numerator:
        what = indicator.numerator.name.lower()
        if where:
            text = _("%(where)s: thiếu %(n)s %(what)s so với mục tiêu %(period)s.")
        else:
            text = _("Thiếu %(n)s %(what)s so với mục tiêu %(period)s.")
        return text % {"where": where, "n": _number(needed), "what": what, "period": period}
    if indicator.kind == engine.COUNT and needed is not None:
        return _("Còn thiếu %(n)s so với mục tiêu %(period)s.") % {
            "n": _number(needed),
            "period": period,
        }
    if indicator.kind == engine.COVERAGE and row.target is not None:
        if facts.missing and engine.every_unit_must(row.target):  # name those that do not
            return _("Chưa đạt: %(units)s.") % {
                "units": named_units(facts.missing, unit_names, facts.missing_total)
            }
        if needed:
            return _("Cần thêm %(n)s đơn vị đạt điều kiện %(period)s.") % {
                "n": _number(needed),
                "period": period,
            }
    if indicator.kind == engine.MILESTONE:
        if facts.done_on:
            if not facts.has_evidence:
                return _("Đã hoàn thành nhưng chưa có minh chứng.")
            return _("Hoàn thành ngày %(done)s, sau thời hạn %(deadline)s.") % {
                "done": _date(facts.done_on),
                "deadline": _date(facts.deadline),
            }
        return _("Chưa hoàn thành; thời hạn %(deadline)s.") % {"deadline": _date(facts.deadline)}
    if indicator.kind == engine.GROWTH_POINTS and row.target is not None:
        short = row.target - row.value
        return _("Còn thiếu %(points)s điểm %% so với mục tiêu.") % {
            "points": number_format(short, decimal_pos=2, use_l10n=True)
        }
    if indicator.kind == engine.GROWTH_RELATIVE and row.target is not None:
        return _("Còn thiếu %(percent)s%% so với mục tiêu tăng trưởng.") % {
            "percent": number_format(row.target - row.value, decimal_pos=2, use_l10n=True)
        }
    return ""


def _date(day: dt.date | None) -> str:
    """2021-12-31 as 31/12/2021."""
    if day is None:
        return "—"
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _project(reading: IndicatorReading, rows: Mapping, code: str) -> None:
    """The year-end projection of a ratio judged by quarter, in an open year.

    An indicator judged in each category (5.1, "in each field") is projected as it is
    judged: each category's year against its own target, the projection met only
    when every category's is, and the categories that would miss named. A category is
    projected from its own quarters over the quarters still to come for the whole. The
    whole's projection (Σ/Σ) is still shown for context when none misses.
    """
    if reading.indicator.kind != engine.RATIO or reading.row is None:
        return
    quarters = _quarters(rows, code, "")
    if not quarters:
        return
    remaining = 4 - len(quarters)
    value = engine.project_ratio(quarters, remaining=remaining)
    if value is None:
        return
    reading.projection = _decimal(value)
    row = reading.row
    if row.target is None or not row.comparator:
        return
    judged_categories = reading.categories if reading.indicator.per_category else []
    fields = [
        (category, engine.project_ratio(_quarters(rows, code, category.category), remaining))
        for category in judged_categories
        if category.target is not None and category.comparator
    ]
    fields = [(category, projected) for category, projected in fields if projected is not None]
    if not fields:
        meets = engine.compare(value, row.target, row.comparator)
        reading.projection_status = engine.MET if meets else engine.NOT_MET
        return
    reading.projection_misses = [
        _("%(category)s %(value)s sẽ không đạt %(target)s")
        % {
            "category": category.category_name,
            "value": value_text(_decimal(projected), reading.indicator.kind),
            "target": status_target(category),
        }
        for category, projected in fields
        if not engine.compare(projected, category.target, category.comparator)
    ]
    reading.projection_status = engine.NOT_MET if reading.projection_misses else engine.MET
    if not reading.projection_misses:
        reading.projection_note = str(ALL_ON_TRACK[category_kind(reading.indicator)])


# A per-category projection where no category misses its target, by what the figures
# are split by (``templatetags.statuses.category_kind``).
ALL_ON_TRACK = {
    "field": gettext_lazy("các lĩnh vực đều sẽ đạt"),
    "channel": gettext_lazy("các kênh đều sẽ đạt"),
    "": gettext_lazy("các phân loại đều sẽ đạt"),
}


def _quarters(rows: Mapping, code: str, category: str) -> list[tuple[int, int]]:
    """The (numerator, denominator) of each quarter with data, of the whole ("") or of
    one category."""
    quarters = []
    for quarter in (1, 2, 3, 4):
        row = rows.get((code, quarter, category))
        facts = row.facts if row is not None else engine.Detail()
        if facts.denominator:
            quarters.append((facts.numerator or 0, facts.denominator))
    return quarters


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def chart_levels(
    indicator: Indicator, threshold: Decimal | None, rows: Mapping[int, Status]
) -> dict[str, object]:
    """The numbers of an indicator's chart, from the department's rows by quarter (0:
    the year): the value of each quarter, of the year, the target line and the
    baseline line.

    A growth is drawn as the level it is measured on, not as the growth itself: the
    online share of this year against last year's share and against the share the
    target asks for (baseline + 3 points; baseline x 1.05 for +5%).
    """
    year = rows.get(engine.YEAR)
    facts = year.facts if year is not None else engine.Detail()
    if indicator.kind in (engine.GROWTH_POINTS, engine.GROWTH_RELATIVE):
        baseline = None if facts.baseline is None else float(facts.baseline)
        if indicator.kind == engine.GROWTH_POINTS:
            level = 100 * (facts.numerator or 0) / facts.denominator if facts.denominator else None
            needed = None if baseline is None or threshold is None else baseline + float(threshold)
        else:
            level = facts.current
            needed = (
                None
                if baseline is None or threshold is None
                else baseline * (1 + float(threshold) / 100)
            )
        return {
            "values": [None, None, None, None],
            "year": None if level is None else float(level),
            "target": needed,
            "baseline": baseline,
        }
    return {
        "values": [_plain(rows.get(q)) for q in (1, 2, 3, 4)],
        "year": _plain(year),
        "target": None if threshold is None else float(threshold),
        "baseline": None,
    }


def _plain(row: Status | None) -> float | None:
    return None if row is None or row.value is None else float(row.value)
