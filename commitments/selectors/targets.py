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


def target_preview(*, target: Target, spec: engine.TargetSpec, as_of) -> list[PreviewRow]:
    """How the current figures of the target's year would be judged with ``spec``
    instead of the stored target: the departments' rows of the one indicator, each
    period and category, before and after. Nothing is saved.

    Reads what the recompute reads (``engine_inputs``), and the figures of a new
    baseline year when the typed one is not among those already read.
    """

    indicators, data, ids, _typed = engine_inputs.engine_inputs(year=target.year)
    stored = indicators[ids.lines.index(target.indicator_id)]
    read = {target.year} | {
        i.target.baseline_year for i in indicators if i.target.baseline_year is not None
    }
    if spec.baseline_year is not None and spec.baseline_year not in read:
        extra = Figure.objects.filter(year=spec.baseline_year).values_list(
            "year", "quarter", "unit_id", "element__code", "category__code", "value"
        )
        data = replace(data, figures=[*data.figures, *(engine.FigureRow(*f) for f in extra)])
    before = engine.compute_statuses([stored], data, year=target.year, as_of=as_of)
    after = engine.compute_statuses(
        [replace(stored, target=spec)], data, year=target.year, as_of=as_of
    )
    departments = {u.pk: u for u in Unit.objects.filter(parent__isnull=True)}
    names = statuses.category_names()
    order = {code: n for n, code in enumerate(names, start=1)}  # "" (the whole) first
    judged_before = {(r.unit_id, r.quarter, r.category): r for r in before}

    rows = [
        PreviewRow(
            unit=departments[r.unit_id],
            quarter=r.quarter,
            category=r.category,
            category_name=names.get(r.category, r.category),
            before=_preview_cell(
                judged_before[(r.unit_id, r.quarter, r.category)], target.indicator
            ),
            after=_preview_cell(r, target.indicator),
        )
        for r in after
        if r.unit_id in departments and (r.unit_id, r.quarter, r.category) in judged_before
    ]
    # Quarters in order, then the year; the whole before its categories.
    rows.sort(
        key=lambda r: (
            r.unit.code,
            r.quarter or 5,
            order.get(r.category, 0) if r.category else 0,
        )
    )
    return rows


def _preview_cell(row: engine.StatusRow, indicator: Indicator) -> PreviewCell:
    """A row the engine returned, as the preview shows it."""
    value = row.value
    return PreviewCell(
        value=None if value is None else Decimal(value.numerator) / Decimal(value.denominator),
        target=row.target,
        comparator=row.comparator or "",
        status=row.status,
        indicator=indicator,
        category=row.category,
        facts=engine.Detail(
            category_targets=tuple(map(tuple, row.detail.get("category_targets", ())))
        ),
    )
