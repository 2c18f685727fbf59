"""The targets page: a year's targets as their sheets list them, with where each says
otherwise than its signed words, what the edit page reads, the history of changes,
and the preview of a target before it is saved."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import F, QuerySet

from commitments import engine
from commitments.models import Figure, Indicator, Target, TargetChange, Unit
from commitments.selectors import engine_inputs, sheets, statuses


def targets_of_year(*, year: int) -> list[Target]:
    """The targets of a year in the order of their sheets (the departments' in their
    order, then the common one) and of each sheet, with their commitment, sheet and
    overrides; three queries. Each target carries its overrides in the order of the
    page, ``overrides_shown`` (categories in their order, then by unit kind and
    sector), and where it says otherwise than its signed words, ``mismatches``."""
    targets = list(
        Target.objects.filter(year=year)
        .select_related("indicator__commitment", "indicator__sheet__department")
        .prefetch_related("overrides__category")
        .order_by(
            F("indicator__sheet__department__code").asc(nulls_last=True),
            "indicator__commitment__position",
            "indicator__position",
            "indicator__code",
        )
    )
    for target in targets:
        target.overrides_shown = sorted(
            target.overrides.all(),
            key=lambda o: (
                o.category.kind if o.category else "",
                o.category.position if o.category else 0,
                o.unit_kind,
                o.unit_sector,
            ),
        )
        target.mismatches = sheets.target_mismatches(target)
    return targets


def targets_for_edit() -> QuerySet[Target]:
    """Targets with what the edit page and its forms read."""
    return Target.objects.select_related(*sheets.INDICATOR_RELATED).prefetch_related(
        "overrides__category"
    )


def unit_sectors() -> list[str]:
    """The sectors units have, for overrides by sector."""
    return list(
        Unit.objects.exclude(sector="")
        .order_by("sector")
        .values_list("sector", flat=True)
        .distinct()
    )


def target_changes(
    *, year: int | None = None, target: Target | None = None, limit: int = 30
) -> list:
    """The latest changes to the targets of a year, or of one target; one query."""

    changes = TargetChange.objects.select_related("user")
    if year is not None:
        changes = changes.filter(year=year)
    if target is not None:
        changes = changes.filter(target=target)
    return list(changes[:limit])


@dataclass(frozen=True)
class PreviewCell:
    """One judgement, as the ``status_value`` and ``status_target`` filters read it
    (the whole of a per-category indicator with the fields whose own target differs,
    ``facts.category_targets``)."""

    value: Decimal | None
    target: Decimal | None
    comparator: str
    status: str
    indicator: Indicator
    category: str
    facts: engine.Detail


@dataclass(frozen=True)
class PreviewRow:
    """A department's row of the indicator, judged by the stored target and by the
    typed one."""

    unit: Unit
    quarter: int
    category: str
    category_name: str
    before: PreviewCell
    after: PreviewCell

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def status_changed(self) -> bool:
        return self.before.status != self.after.status


@dataclass(frozen=True)
class TargetPreview:
    """What a target's preview shows: the departments' rows, each period and category;
    and of the other units (for an indicator judged unit by unit) the rows whose status
    the typed target changes, out of ``unit_rows`` judged."""

    departments: list[PreviewRow]
    units: list[PreviewRow]
    unit_rows: int


def target_preview(*, target: Target, spec: engine.TargetSpec, as_of) -> TargetPreview:
    """How the current figures of the target's year would be judged with ``spec``
    instead of the stored target: the rows of the one indicator, each unit, period and
    category, before and after (``TargetPreview``). Nothing is saved.

    Reads what the recompute reads (``engine_inputs``), and the figures of a new
    baseline year when the typed one is not among those already read.
    """

    indicators, data, ids, _typed = engine_inputs.engine_inputs(year=target.year)
    stored = indicators[ids.lines.index(target.indicator_id)]
    read = {target.year} | engine_inputs.baseline_years(indicators)
    if spec.baseline_year is not None and spec.baseline_year not in read:
        extra = Figure.objects.filter(year=spec.baseline_year).values_list(
            "year", "quarter", "unit_id", "element__code", "category__code", "value"
        )
        data = replace(data, figures=[*data.figures, *(engine.FigureRow(*f) for f in extra)])
    before = engine.compute_statuses([stored], data, year=target.year, as_of=as_of)
    after = engine.compute_statuses(
        [replace(stored, target=spec)], data, year=target.year, as_of=as_of
    )
    units = {u.pk: u for u in Unit.objects.all()}
    names = statuses.category_names()
    order = {code: n for n, code in enumerate(names, start=1)}  # "" (the whole) first
    judged_before = {(r.unit_id, r.quarter, r.category): r for r in before}

    rows = [
        PreviewRow(
            unit=units[r.unit_id],
            quarter=r.quarter,
            category=r.category,
            category_name=names.get(r.category, r.category),
            before=preview_cell(
                judged_before[(r.unit_id, r.quarter, r.category)], target.indicator
            ),
            after=preview_cell(r, target.indicator),
        )
        for r in after
        if (r.unit_id, r.quarter, r.category) in judged_before
    ]
    # Quarters in order, then the year; the whole before its categories.
    rows.sort(
        key=lambda r: (
            r.unit.code,
            r.quarter or 5,
            order.get(r.category, 0) if r.category else 0,
        )
    )
    others = [r for r in rows if r.unit.parent_id is not None]
    return TargetPreview(
        departments=[r for r in rows if r.unit.parent_id is None],
        units=[r for r in others if r.status_changed],
        unit_rows=sum(1 for r in others if r.after.status != engine.NOT_APPLICABLE),
    )


def preview_cell(row: engine.StatusRow, indicator: Indicator) -> PreviewCell:
    """A row the engine returned, as a preview shows it: its value, target and status,
    with the numbers behind a ratio, the categories behind a whole and its fields'
    own targets, and the units a coverage counted or missed."""
    value, detail = row.value, row.detail
    return PreviewCell(
        value=None if value is None else Decimal(value.numerator) / Decimal(value.denominator),
        target=row.target,
        comparator=row.comparator or "",
        status=row.status,
        indicator=indicator,
        category=row.category,
        facts=engine.Detail(
            numerator=_whole(detail.get("numerator")),
            denominator=_whole(detail.get("denominator")),
            behind=tuple(detail.get("behind", ())),
            covered_units=tuple(detail.get("covered_units", ())),
            missing=tuple(detail.get("missing", ())),
            category_targets=tuple(map(tuple, detail.get("category_targets", ()))),
        ),
    )


def _whole(value) -> int | None:
    return value if isinstance(value, int) else None
