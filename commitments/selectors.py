"""Reads: what the engine needs for a year, and what the pages show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from commitments import engine
from commitments.models import (
    AuditEntry,
    Category,
    DataElement,
    Evidence,
    Figure,
    Indicator,
    Membership,
    Milestone,
    PlanTask,
    Publication,
    QuarterlyReport,
    RecomputeState,
    ReportingDeadline,
    Status,
    Target,
    TargetChange,
    Unit,
    ValidationRule,
)


@dataclass(frozen=True)
class EngineIds:
    """Database ids of what the engine names by code."""

    indicators: dict[str, int]


def engine_inputs(*, year: int) -> tuple[list[engine.IndicatorSpec], engine.Dataset, EngineIds]:
    """The indicators in force in ``year`` and every figure, record and unit they read.

    Eight queries, whatever the number of units, indicators or figures.
    """
    targets = list(
        Target.objects.filter(year=year)
        .select_related(
            "indicator", "indicator__numerator", "indicator__denominator", "indicator__element"
        )
        .prefetch_related("overrides__category")
        .order_by("indicator__commitment__position", "indicator__position")
    )
    indicators = [_indicator_spec(t) for t in targets]
    baseline_years = {t.baseline_year for t in targets if t.baseline_year is not None}
    years = {year} | baseline_years

    units = [
        engine.UnitNode(
            id=pk,
            code=code,
            parent_id=parent_id,
            kind=kind,
            sector=sector,
            public_service=public_service,
            receives_dossiers=receives_dossiers,
        )
        for pk, code, parent_id, kind, sector, public_service, receives_dossiers in (
            Unit.objects.values_list(
                "pk",
                "code",
                "parent_id",
                "kind",
                "sector",
                "public_service",
                "receives_dossiers",
            )
        )
    ]
    figures = [
        engine.FigureRow(y, q, unit_id, element, category, value)
        for y, q, unit_id, element, category, value in Figure.objects.filter(
            year__in=years
        ).values_list("year", "quarter", "unit_id", "element__code", "category__code", "value")
    ]
    evidence = [
        engine.EvidenceRow(unit_id, kind, date, subject)
        for unit_id, kind, date, subject in Evidence.objects.filter(date__year=year).values_list(
            "unit_id", "kind", "date", "subject_unit_id"
        )
    ]
    plan_tasks = [
        engine.PlanTaskRow(unit_id, y, done_on)
        for unit_id, y, done_on in PlanTask.objects.filter(year=year).values_list(
            "unit_id", "year", "done_on"
        )
    ]
    milestones = [
        engine.MilestoneRow(code, unit_id, y, done_on, bool(reference))
        for code, unit_id, y, done_on, reference in Milestone.objects.filter(year=year).values_list(
            "indicator__code", "unit_id", "year", "done_on", "evidence_reference"
        )
    ]
    data = engine.Dataset(
        units=units,
        aggregations=dict(DataElement.objects.values_list("code", "aggregation")),
        figures=figures,
        evidence=evidence,
        plan_tasks=plan_tasks,
        milestones=milestones,
    )
    ids = EngineIds(indicators={t.indicator.code: t.indicator_id for t in targets})
    return indicators, data, ids


def _indicator_spec(target: Target) -> engine.IndicatorSpec:
    indicator = target.indicator
    return engine.IndicatorSpec(
        code=indicator.code,
        kind=indicator.kind,
        source=indicator.source,
        tracked=indicator.tracked,
        per_category=indicator.per_category,
        quarterly=indicator.quarterly,
        yearly=indicator.yearly,
        level=indicator.level,
        scope=engine.UnitFilter(
            kinds=frozenset(indicator.scope_kinds or ()),
            sectors=frozenset(indicator.scope_sectors or ()),
            public_service=indicator.scope_public_service,
            receives_dossiers=indicator.scope_receives_dossiers,
        ),
        numerator=indicator.numerator.code if indicator.numerator else "",
        denominator=indicator.denominator.code if indicator.denominator else "",
        element=indicator.element.code if indicator.element else "",
        evidence_kind=indicator.evidence_kind,
        distinct_subjects=indicator.distinct_subjects,
        coverage_rule=indicator.coverage_rule,
        condition_min=indicator.condition_min,
        target=engine.TargetSpec(
            year=target.year,
            threshold=target.threshold,
            comparator=target.comparator or None,
            deadline=target.deadline,
            baseline_year=target.baseline_year,
            baseline_value=target.baseline_value,
            overrides=tuple(
                engine.Override(
                    threshold=o.threshold,
                    comparator=o.comparator,
                    category=o.category.code if o.category else None,
                    unit_kind=o.unit_kind,
                    unit_sector=o.unit_sector,
                )
                for o in target.overrides.all()
            ),
        ),
    )


def years_with_targets() -> list[int]:
    return sorted(set(Target.objects.values_list("year", flat=True)))


def statuses_for_export(*, year: int, scope: Scope | None = None) -> QuerySet[Status]:
    """Every status of a year, in a stable order, with the codes the export names;
    with a ``scope``, only the statuses of the units it sees."""
    statuses = Status.objects.filter(year=year)
    if scope is not None:
        statuses = scope.filter(statuses)
    return statuses.select_related("indicator", "unit").order_by(
        "indicator__commitment__position",
        "indicator__position",
        "unit__code",
        "category",
        "quarter",
    )


def category_names() -> dict[str, str]:
    """Category code -> name in the active language, in the categories' order."""
    return {c.code: c.name for c in Category.objects.all()}


def year_statuses(
    *, year: int, unit: Unit | None = None, scope: Scope | None = None
) -> list[Status]:
    """Every status of a year (all periods, the wholes and each category) of one unit,
    or of the top units of ``scope`` (without one: the departments), with what a page
    shows of each row; one query."""
    statuses = Status.objects.filter(year=year)
    statuses = top_units_only(statuses, scope) if unit is None else statuses.filter(unit=unit)
    return list(
        statuses.select_related(
            "unit",
            "indicator__commitment",
            "indicator__numerator",
            "indicator__denominator",
            "indicator__element",
        ).order_by("unit__code", "indicator__commitment__position", "indicator__position")
    )


def indicator_statuses(
    *, indicator: Indicator, year: int, scope: Scope | None = None
) -> list[Status]:
    """Every status of one indicator in a year: each unit (each unit ``scope`` sees),
    period and category."""
    statuses = Status.objects.filter(indicator=indicator, year=year)
    if scope is not None:
        statuses = scope.filter(statuses)
    return list(
        statuses.select_related("unit", "indicator").order_by("unit__code", "quarter", "category")
    )


def matrix_statuses(*, year: int, quarter: int, scope: Scope | None = None) -> list[Status]:
    """The rows of the units x indicators matrix for one period: every unit's rows of
    unit-level indicators (of the units ``scope`` sees), and the departments' rows of
    coverage indicators (whose detail names the units that miss the condition; a page
    reads there only the units it shows)."""
    own_rows = Q(indicator__level=engine.LEVEL_UNIT)
    if scope is not None and not scope.everything:
        own_rows &= Q(unit__in=scope.unit_ids)
    return list(
        Status.objects.filter(year=year, quarter=quarter, category="")
        .filter(own_rows | Q(indicator__kind=engine.COVERAGE, unit__parent__isnull=True))
        .select_related("unit", "indicator__commitment")
        .order_by("indicator__commitment__position", "indicator__position")
    )


def coverage_statuses(*, year: int, quarter: int) -> list[Status]:
    """The departments' coverage rows of a period: each names the units that meet its
    condition and those that miss it."""
    return list(
        Status.objects.filter(
            year=year,
            quarter=quarter,
            category="",
            indicator__kind=engine.COVERAGE,
            unit__parent__isnull=True,
        )
        .select_related("indicator")
        .order_by("indicator__commitment__position", "indicator__position")
    )


def units_by_code() -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.all()}


def recompute_state(*, year: int) -> RecomputeState | None:
    return RecomputeState.objects.filter(year=year).first()


EXPORT_COLUMNS = [
    "indicator",
    "unit",
    "category",
    "period",
    "value",
    "target",
    "comparator",
    "status",
]


def status_export_rows(*, year: int, scope: Scope | None = None) -> list[dict]:
    """The statuses of a year (of the units ``scope`` sees) in the shape of CONTRACT.md:
    numbers rounded to 2 places (half up), ``null`` for what is absent."""
    return [
        {
            "indicator": s.indicator.code,
            "unit": s.unit.code,
            "category": s.category or None,
            "period": s.period,
            "value": _rounded(s.value),
            "target": _rounded(s.target),
            "comparator": s.comparator or None,
            "status": s.status,
        }
        for s in statuses_for_export(year=year, scope=scope)
    ]


def _rounded(value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- targets page ---


@dataclass(frozen=True)
class Threshold:
    """A threshold as the ``status_target`` filter reads it ("≥ 96%")."""

    target: Decimal | None
    comparator: str
    indicator: Indicator


def targets_of_year(*, year: int) -> list[Target]:
    """The targets of a year in the order of the sheet, with their commitment and
    overrides; three queries. Each target carries ``threshold_shown`` and a list
    ``overrides_shown`` of (override, threshold) for the page."""
    targets = list(
        Target.objects.filter(year=year)
        .select_related("indicator__commitment")
        .prefetch_related("overrides__category")
        .order_by("indicator__commitment__position", "indicator__position", "indicator__code")
    )
    for target in targets:
        target.threshold_shown = Threshold(target.threshold, target.comparator, target.indicator)
        overrides = sorted(
            target.overrides.all(),
            key=lambda o: (
                o.category.kind if o.category else "",
                o.category.position if o.category else 0,
                o.unit_kind,
                o.unit_sector,
            ),
        )
        target.overrides_shown = [
            (o, Threshold(o.threshold, o.comparator, target.indicator)) for o in overrides
        ]
    return targets


def targets_for_edit() -> QuerySet[Target]:
    """Targets with what the edit page and its forms read."""
    return Target.objects.select_related(
        "indicator__commitment",
        "indicator__numerator",
        "indicator__denominator",
        "indicator__element",
    ).prefetch_related("overrides__category")


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
    """One judgement, as the ``status_value`` and ``status_target`` filters read it."""

    value: Decimal | None
    target: Decimal | None
    comparator: str
    status: str
    indicator: Indicator

    def get_status_display(self) -> str:
        return Status.Value(self.status).label


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

    indicators, data, _ids = engine_inputs(year=target.year)
    stored = next(i for i in indicators if i.code == target.indicator.code)
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
    names = category_names()
    order = {code: n for n, code in enumerate(names, start=1)}  # "" (the whole) first
    judged_before = {(r.unit_id, r.quarter, r.category): r for r in before}

    def cell(row: engine.StatusRow) -> PreviewCell:
        value = row.value
        return PreviewCell(
            value=None if value is None else Decimal(value.numerator) / Decimal(value.denominator),
            target=row.target,
            comparator=row.comparator or "",
            status=row.status,
            indicator=target.indicator,
        )

    rows = [
        PreviewRow(
            unit=departments[r.unit_id],
            quarter=r.quarter,
            category=r.category,
            category_name=names.get(r.category, r.category),
            before=cell(judged_before[(r.unit_id, r.quarter, r.category)]),
            after=cell(r),
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


# --- quarterly reports ---

ROLE_STAFF = Membership.Role.STAFF.value
ROLE_DIRECTOR = Membership.Role.DIRECTOR.value
ROLE_ADMIN = "admin"


@dataclass(frozen=True)
class Scope:
    """The units a user may see: all of them (``everything``, a superuser), or the
    units of their memberships with, for a director, every unit below."""

    everything: bool
    unit_ids: frozenset[int]
    director_ids: frozenset[int]  # units where the user acts as a director
    staff_ids: frozenset[int]  # units whose reports the user writes

    def __contains__(self, unit: Unit | int) -> bool:
        pk = unit if isinstance(unit, int) else unit.pk
        return self.everything or pk in self.unit_ids

    def filter(self, queryset, field: str = "unit"):
        """The queryset narrowed to rows whose ``field`` is a visible unit."""
        if self.everything:
            return queryset
        return queryset.filter(**{f"{field}__in": self.unit_ids})

    @property
    def empty(self) -> bool:
        return not self.everything and not self.unit_ids


NO_SCOPE = Scope(False, frozenset(), frozenset(), frozenset())


def user_scope(*, user) -> Scope:
    """What a user may see and do, by unit (at most two queries: the memberships and,
    for a director, the tree of units)."""
    if not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    if user.is_superuser:
        return Scope(True, frozenset(), frozenset(), frozenset())
    memberships = list(Membership.objects.filter(user=user).values_list("unit_id", "role"))
    if not memberships:
        return NO_SCOPE
    staff = frozenset(pk for pk, role in memberships if role == ROLE_STAFF)
    heads = {pk for pk, role in memberships if role == ROLE_DIRECTOR}
    directed: set[int] = set()
    if heads:
        children: dict[int | None, list[int]] = {}
        for pk, parent in Unit.objects.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        stack = list(heads)
        while stack:
            pk = stack.pop()
            if pk in directed:
                continue
            directed.add(pk)
            stack.extend(children.get(pk, []))
    return Scope(False, staff | frozenset(directed), frozenset(directed), staff)


# --- the scope on the director's pages ---


def is_top_unit(unit: Unit, scope: Scope) -> bool:
    """A unit the pages show where they showed the department: a visible unit whose
    parent is not visible (for a superuser, a root unit)."""
    return unit.parent_id is None or unit.parent_id not in scope


def top_units_only(queryset: QuerySet, scope: Scope | None, field: str = "unit") -> QuerySet:
    """The rows of ``queryset`` whose ``field`` is a top unit of ``scope`` (see
    ``is_top_unit``); without a scope, or for a superuser, the departments' rows."""
    if scope is None or scope.everything:
        return queryset.filter(**{f"{field}__parent__isnull": True})
    return scope.filter(queryset, field).exclude(**{f"{field}__parent__in": scope.unit_ids})


def report_roles(*, user, unit: Unit, scope: Scope | None = None) -> frozenset[str]:
    """What a user may do with a unit's quarterly report: ``staff`` (edit and submit)
    with a staff membership on the unit, ``director`` (approve and return) as director
    of the unit or of a unit above it; a superuser may do all and ``admin`` (reopen).
    Empty: the user may not see the report at all."""
    scope = scope if scope is not None else user_scope(user=user)
    if scope.everything:
        return frozenset({ROLE_STAFF, ROLE_DIRECTOR, ROLE_ADMIN})
    roles = set()
    if unit.pk in scope.staff_ids:
        roles.add(ROLE_STAFF)
    if unit.pk in scope.director_ids:
        roles.add(ROLE_DIRECTOR)
    return frozenset(roles)


def report_for(*, unit: Unit, year: int, quarter: int) -> QuarterlyReport:
    """The unit's report of the quarter; a new draft, not yet stored, when nobody has
    written to it."""
    report = QuarterlyReport.objects.filter(unit=unit, year=year, quarter=quarter).first()
    return report or QuarterlyReport(unit=unit, year=year, quarter=quarter)


def report_field(element_code: str, category_code: str | None) -> str:
    """The name of a figure's field on the report form (and its key in errors)."""
    return f"{element_code}__{category_code}" if category_code else element_code


@dataclass(frozen=True)
class ReportLine:
    """One figure on the report form: its element and category, the value stored for
    the quarter, the value the form starts from (for a ``last`` element with no value
    yet, the previous quarter's) and the fields of the form its value must not exceed
    (the validation rules whose bound is on the form, for the same category)."""

    element: DataElement
    category: Category | None
    stored: int | None
    initial: int | None
    not_above: tuple[str, ...] = ()

    @property
    def field(self) -> str:
        return report_field(*self.key)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.element.code, self.category.code if self.category else None)

    @property
    def carried(self) -> bool:
        return self.stored is None and self.initial is not None


def report_lines(*, unit: Unit, year: int, quarter: int) -> list[ReportLine]:
    """The figures a unit reports for a quarter, in the order of the elements.

    Only the elements that apply to the unit: those read by an indicator in force in the
    year whose scope admits the unit (a division that receives no dossiers reports no
    dossiers), with the bounds of their validation rules, and any element it already has
    a figure for in the quarter. Elements split by field list the fields the unit has
    figures for in any quarter of this year or the previous one (all fields when it has
    none yet); elements split by channel list every channel. Six queries.
    """
    elements = list(DataElement.objects.order_by("position", "code"))
    by_pk = {element.pk: element for element in elements}
    bounds: dict[int, list[DataElement]] = {}
    for element_id, bound_id in ValidationRule.objects.order_by("pk").values_list(
        "element_id", "bound_id"
    ):
        bounds.setdefault(element_id, []).append(by_pk[bound_id])
    categories = list(Category.objects.order_by("position", "code"))
    previous = engine.previous_quarter(year, quarter)
    figures = Figure.objects.filter(unit=unit).filter(
        Q(year=year, quarter=quarter) | Q(year=previous[0], quarter=previous[1])
    )
    current: dict[tuple[int, int | None], int] = {}
    before: dict[tuple[int, int | None], int] = {}
    for y, q, element_id, category_id, value in figures.values_list(
        "year", "quarter", "element_id", "category_id", "value"
    ):
        target = current if (y, q) == (year, quarter) else before
        target[(element_id, category_id)] = value
    used_fields = set(
        Figure.objects.filter(
            unit=unit,
            year__in=(year - 1, year),
            category__kind=Category.Kind.FIELD,
        ).values_list("category_id", flat=True)
    )
    by_kind: dict[str, list[Category]] = {}
    for category in categories:
        if category.kind == Category.Kind.FIELD and used_fields and category.pk not in used_fields:
            continue
        by_kind.setdefault(category.kind, []).append(category)
    applies = _elements_for_unit(unit, year, bounds)
    stored_elements = {element_id for element_id, _category in current}
    lines = []
    for element in elements:
        if applies is not None and element.pk not in applies and element.pk not in stored_elements:
            continue
        for category in by_kind.get(element.category_kind, []) if element.category_kind else [None]:
            key = (element.pk, category.pk if category else None)
            stored = current.get(key)
            initial = stored
            if stored is None and element.aggregation == engine.LAST:
                initial = before.get(key)
            # A bound split the same way as the element has a line for this category.
            not_above = tuple(
                report_field(bound.code, category.code if category else None)
                for bound in bounds.get(element.pk, ())
                if bound.category_kind == element.category_kind
            )
            lines.append(ReportLine(element, category, stored, initial, not_above))
    return lines


def _elements_for_unit(
    unit: Unit, year: int, bounds: dict[int, list[DataElement]]
) -> set[int] | None:
    """The ids of the elements a unit reports in a year (see ``report_lines``); None
    when the year has no targets yet, and every element is offered."""
    indicators = Indicator.objects.filter(targets__year=year).values_list(
        "numerator_id",
        "denominator_id",
        "element_id",
        "scope_kinds",
        "scope_sectors",
        "scope_public_service",
        "scope_receives_dossiers",
    )
    applies: set[int] = set()
    found = False
    for numerator, denominator, element, kinds, sectors, public, receives in indicators:
        found = True
        scope = engine.UnitFilter(
            kinds=frozenset(kinds or ()),
            sectors=frozenset(sectors or ()),
            public_service=public,
            receives_dossiers=receives,
        )
        if scope.admits(unit):
            applies.update(pk for pk in (numerator, denominator, element) if pk)
    if not found:
        return None
    for pk in list(applies):
        applies.update(bound.pk for bound in bounds.get(pk, ()))
    return applies


# --- the report's evidence, plan and history ---


def report_evidence(*, unit: Unit, year: int, quarter: int) -> list[Evidence]:
    """The evidence a unit recorded for a quarter, by date (one query)."""
    first, last = engine.period_bounds(year, quarter)
    return list(
        Evidence.objects.filter(unit=unit, date__range=(first, last))
        .select_related("subject_unit")
        .order_by("date", "pk")
    )


def report_plan(*, unit: Unit, year: int) -> tuple[list[PlanTask], list[Milestone]]:
    """The unit's plan tasks and milestones of the year (two queries)."""
    tasks = list(PlanTask.objects.filter(unit=unit, year=year).order_by("due_on", "code"))
    milestones = list(
        Milestone.objects.filter(unit=unit, year=year)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code")
    )
    return tasks, milestones


@dataclass(frozen=True)
class HistoryLine:
    """One recorded change as the report page shows it, in the active language."""

    entry: AuditEntry
    changes: list[tuple[str, str, str]]  # (what, old, new); "—" for nothing


HISTORY_MODELS = {
    AuditEntry.Subject.EVIDENCE: Evidence,
    AuditEntry.Subject.PLAN_TASK: PlanTask,
    AuditEntry.Subject.MILESTONE: Milestone,
    AuditEntry.Subject.REPORT: QuarterlyReport,
}


def report_history(*, unit: Unit, year: int, quarter: int, limit: int = 200) -> list[HistoryLine]:
    """What changed in a unit's report of a quarter, newest first: figures, evidence,
    plan tasks, milestones and the report's states, each with who and when (three
    queries)."""
    entries = list(
        AuditEntry.objects.filter(unit=unit, year=year)
        .filter(Q(quarter=quarter) | Q(quarter__isnull=True))  # the year's tasks too
        .select_related("user")
        .order_by("-at", "-pk")[:limit]
    )
    figure_names = _figure_names()
    states = dict(QuarterlyReport.State.choices)
    kinds = dict(Evidence.Kind.choices)

    def what(subject: str, key: str) -> str:
        if subject == AuditEntry.Subject.FIGURES:
            return figure_names.get(key, key)
        model = HISTORY_MODELS.get(subject)
        try:
            return str(model._meta.get_field(key).verbose_name) if model else key
        except FieldDoesNotExist:  # a field renamed since: show its stored name
            return key

    def shown(subject: str, key: str, value) -> str:
        if value is None:
            return "—"
        if subject == AuditEntry.Subject.REPORT and key == "state":
            return str(states.get(value, value))
        if subject == AuditEntry.Subject.EVIDENCE and key == "kind":
            return str(kinds.get(value, value))
        return str(value)

    return [
        HistoryLine(
            entry,
            [
                (
                    what(entry.subject, key),
                    shown(entry.subject, key, old),
                    shown(entry.subject, key, new),
                )
                for key, old, new in entry.changes
            ],
        )
        for entry in entries
    ]


def audit_figure_key(element: DataElement, category: Category | None) -> str:
    """A figure's key in the audit log: ``element`` or ``element/category``."""
    return f"{element.code}/{category.code}" if category else element.code


def _figure_names() -> dict[str, str]:
    """Audit-log figure keys (``audit_figure_key``) → names in the active language."""
    categories = list(Category.objects.all())
    names = {}
    for element in DataElement.objects.all():
        names[audit_figure_key(element, None)] = element.name
        for category in categories:
            if category.kind == element.category_kind:
                names[audit_figure_key(element, category)] = f"{element.name} · {category.name}"
    return names


# --- reporting completeness (tình hình nộp báo cáo) ---

NOT_STARTED = "not_started"  # no report row: nobody has opened the quarter's form yet
# The states that count as reported (DHIS2's "complete" data set registrations).
SUBMITTED_STATES = frozenset(
    {QuarterlyReport.State.SUBMITTED.value, QuarterlyReport.State.APPROVED.value}
)
# Every unit, as a superuser sees them: what the reminders look at.
ALL_UNITS = Scope(True, frozenset(), frozenset(), frozenset())


def default_report_deadline(year: int, quarter: int) -> dt.date:
    """``REPORT_DEADLINE_DAYS`` after the quarter's last day."""
    last_day = engine.period_bounds(year, quarter)[1]
    return last_day + dt.timedelta(days=settings.REPORT_DEADLINE_DAYS)


def report_deadline(*, year: int, quarter: int) -> dt.date:
    """The day a quarter's reports are due (hạn nộp báo cáo): the day an admin set for
    the quarter (``ReportingDeadline``), else ``REPORT_DEADLINE_DAYS`` after the
    quarter's last day. One query."""
    return report_deadlines(periods=[(year, quarter)])[(year, quarter)]


def report_deadlines(*, periods: Iterable[tuple[int, int]]) -> dict[tuple[int, int], dt.date]:
    """``report_deadline`` of each (year, quarter), in one query."""
    periods = set(periods)
    set_by_admin = {
        (d.year, d.quarter): d.due_on
        for d in ReportingDeadline.objects.filter(year__in={y for y, _ in periods})
    }
    return {
        period: set_by_admin.get(period) or default_report_deadline(*period) for period in periods
    }


def report_quarters_due(*, days: set[dt.date]) -> list[tuple[int, int, dt.date]]:
    """The quarters whose reports are due on one of ``days``, as (year, quarter, due
    day): those an admin set on one of the days, and those with no day set whose
    default falls on one. One query."""
    by_default: dict[tuple[int, int], dt.date] = {}
    for day in days:
        last_day = day - dt.timedelta(days=settings.REPORT_DEADLINE_DAYS)
        quarter = engine.quarter_of(last_day)
        if engine.period_bounds(last_day.year, quarter)[1] == last_day:
            by_default[(last_day.year, quarter)] = day
    # The rows set on one of the days, and the rows that move a default elsewhere.
    condition = Q(due_on__in=days)
    for year, quarter in by_default:
        condition |= Q(year=year, quarter=quarter)
    set_by_admin = {
        (year, quarter): due_on
        for year, quarter, due_on in ReportingDeadline.objects.filter(condition).values_list(
            "year", "quarter", "due_on"
        )
    }
    due = {key: day for key, day in by_default.items() if key not in set_by_admin}
    due.update({key: day for key, day in set_by_admin.items() if day in days})
    return sorted((year, quarter, day) for (year, quarter), day in due.items())


def expected_units(*, scope: Scope) -> QuerySet[Unit]:
    """The units that must report each quarter (đơn vị phải báo cáo) among those the
    scope sees: every division and affiliated unit. The department (Sở) has no report
    of its own."""
    units = Unit.objects.exclude(kind=Unit.Kind.DEPARTMENT).order_by("code")
    return scope.filter(units, "pk")


def _reachable_staff() -> QuerySet[Membership]:
    """The staff memberships a reminder can reach: an active user with an email."""
    return Membership.objects.filter(role=ROLE_STAFF, user__is_active=True).exclude(user__email="")


def report_reminder_recipients(*, unit_ids: set[int]) -> dict[int, list]:
    """Who a unit's reminder goes to, by unit id: its active staff with an email
    address, each address once. One query."""
    recipients: dict[int, list] = {}
    seen: set[tuple[int, str]] = set()
    memberships = (
        _reachable_staff()
        .filter(unit_id__in=unit_ids)
        .select_related("user")
        .order_by("unit_id", "user__username")
    )
    for membership in memberships:
        key = (membership.unit_id, membership.user.email.strip().lower())
        if key not in seen:
            seen.add(key)
            recipients.setdefault(membership.unit_id, []).append(membership.user)
    return recipients


@dataclass(frozen=True)
class UnitReporting:
    """Where one unit stands with a quarter's report."""

    unit: Unit
    state: str  # NOT_STARTED or a QuarterlyReport.State value
    first_submitted_at: dt.datetime | None
    submitted: bool  # submitted or approved: counts for the reporting rate
    on_time: bool  # submitted, and first sent on or before the deadline day (local time)
    late: bool  # the deadline has passed and the report is not submitted
    staff_with_email: int

    @property
    def timeliness(self) -> str:
        """``on_time``, ``submitted_late``, ``late`` (overdue, not submitted) or
        ``pending`` (not submitted, not yet due)."""
        if self.submitted:
            return "on_time" if self.on_time else "submitted_late"
        return "late" if self.late else "pending"


# The units that need someone's attention first: overdue, then not yet submitted.
_ATTENTION = {"late": 0, "pending": 1, "submitted_late": 2, "on_time": 3}


@dataclass(frozen=True)
class Completeness:
    """How completely and how promptly the units reported a quarter, DHIS2's way:
    reporting rate = submitted / expected, reporting rate on time = submitted by the
    deadline / expected; and how many reports are approved. A resubmission after a
    return keeps the first submission's time."""

    year: int
    quarter: int
    deadline: dt.date
    today: dt.date
    units: tuple[UnitReporting, ...]  # late first, then pending, submitted late, on time
    expected: int
    submitted: int
    on_time: int
    approved: int

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.deadline

    @property
    def days_left(self) -> int:
        """Days from today to the deadline (negative once it has passed)."""
        return (self.deadline - self.today).days

    @property
    def submitted_percent(self) -> float | None:
        return _percent(self.submitted, self.expected)

    @property
    def on_time_percent(self) -> float | None:
        return _percent(self.on_time, self.expected)

    @property
    def approved_percent(self) -> float | None:
        return _percent(self.approved, self.expected)


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def report_completeness(
    *, scope: Scope, year: int, quarter: int, today: dt.date | None = None
) -> Completeness:
    """Where each expected unit of the scope stands with its report of the quarter,
    and the totals (tình hình nộp báo cáo). ``today`` (default: the local date) says
    whether the deadline has passed. Four queries, whatever the number of units."""
    today = today or timezone.localdate()
    deadline = report_deadline(year=year, quarter=quarter)
    expected = expected_units(scope=scope)
    reports = {
        unit_id: (state, first_submitted_at or submitted_at)
        for unit_id, state, first_submitted_at, submitted_at in QuarterlyReport.objects.filter(
            year=year, quarter=quarter, unit__in=expected
        ).values_list("unit_id", "state", "first_submitted_at", "submitted_at")
    }
    staff = dict(
        _reachable_staff()
        .filter(unit__in=expected)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    # The deadline is a day in Vietnam: a report sent at 23:30 local time on that day
    # (16:30 UTC) is on time, one sent at 00:30 the next day is not.
    local = timezone.get_default_timezone()
    rows = []
    for unit in expected:
        # A report stored before first submissions were kept counts from its last one.
        state, sent_at = reports.get(unit.pk, (NOT_STARTED, None))
        submitted = state in SUBMITTED_STATES
        rows.append(
            UnitReporting(
                unit=unit,
                state=state,
                first_submitted_at=sent_at,
                submitted=submitted,
                on_time=submitted
                and sent_at is not None
                and timezone.localtime(sent_at, local).date() <= deadline,
                late=not submitted and today > deadline,
                staff_with_email=staff.get(unit.pk, 0),
            )
        )
    rows.sort(key=lambda row: (_ATTENTION[row.timeliness], row.unit.code))
    return Completeness(
        year=year,
        quarter=quarter,
        deadline=deadline,
        today=today,
        units=tuple(rows),
        expected=len(rows),
        submitted=sum(row.submitted for row in rows),
        on_time=sum(row.on_time for row in rows),
        approved=sum(row.state == QuarterlyReport.State.APPROVED for row in rows),
    )


def completeness_visible(*, user, scope: Scope | None = None) -> bool:
    """Whether a user may see the reporting completeness page: a superuser, or a
    director of some unit. Without ``scope``, one query for users who are neither
    anonymous nor superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if scope is not None:
        return bool(scope.director_ids)
    return Membership.objects.filter(user=user, role=ROLE_DIRECTOR).exists()


# --- the reports a member of staff writes ---


@dataclass(frozen=True)
class ReportSlot:
    """A quarter of a unit on the staff's list: its report (None until written) and
    when it is due."""

    unit: Unit
    year: int
    quarter: int
    report: QuarterlyReport | None
    deadline: dt.date

    @property
    def state(self) -> str:
        return self.report.state if self.report else NOT_STARTED


def staff_reports(*, scope: Scope, today: dt.date, quarters: int = 4) -> list[ReportSlot]:
    """The reports of the units a user writes for (staff), for the current quarter and
    the ``quarters - 1`` before it, newest first (three queries)."""
    periods = []
    year, quarter = today.year, engine.quarter_of(today)
    for _ in range(quarters):
        periods.append((year, quarter))
        year, quarter = engine.previous_quarter(year, quarter)
    units = list(Unit.objects.filter(pk__in=scope.staff_ids).order_by("code"))
    if not units:
        return []
    stored = {
        (r.unit_id, r.year, r.quarter): r
        for r in QuarterlyReport.objects.filter(unit__in=units, year__in={y for y, _ in periods})
    }
    deadlines = report_deadlines(periods=periods)
    return [
        ReportSlot(
            unit,
            y,
            q,
            stored.get((unit.pk, y, q)),
            deadlines[(y, q)],
        )
        for unit in units
        for y, q in periods
    ]


# --- published results (kết quả đã công bố) ---


def period_ended(*, year: int, quarter: int, today: dt.date | None = None) -> bool:
    """Whether a quarter (0: the year) is over: its last day is before today (local)."""
    today = today or timezone.localdate()
    return engine.period_bounds(year, quarter)[1] < today


def may_publish(*, scope: Scope, department: Unit) -> bool:
    """Whether a user may publish a department's results: a superuser, or a director of
    the department itself. A director of a division may not, and only a department (a
    root unit) publishes."""
    if department.parent_id is not None:
        return False
    return scope.everything or department.pk in scope.director_ids


def publications_of_period(*, units: Iterable[Unit], year: int, quarter: int) -> dict:
    """The publications of a period of ``units``, by unit id, with who published them,
    without their snapshots; one query."""
    rows = (
        Publication.objects.filter(unit__in=list(units), year=year, quarter=quarter)
        .select_related("published_by")
        .defer("snapshot")
    )
    return {p.unit_id: p for p in rows}


def publications_published() -> list[Publication]:
    """Every publication with its department, without their snapshots (a page reads
    one of them); by department, the newest period first, the year to date before
    its quarters. One query."""
    rows = list(Publication.objects.select_related("unit").defer("snapshot"))
    rows.sort(key=lambda p: (p.unit.code, -p.year, -(p.quarter or 5)))
    return rows


def publication_snapshot(*, publication: Publication) -> dict:
    """The snapshot of a publication read without it; one query."""
    return Publication.objects.values_list("snapshot", flat=True).get(pk=publication.pk)


@dataclass(frozen=True)
class PublishedIndicator:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class PublishedReading:
    """An indicator, or one of its categories, as published. Reads like a ``Status``
    for the ``status_value`` and ``status_target`` filters."""

    indicator: PublishedIndicator
    name: str  # the indicator's, or the category's
    value: Decimal | None
    target: Decimal | None
    comparator: str
    status: str
    categories: tuple[PublishedReading, ...] = ()


@dataclass(frozen=True)
class PublishedCommitment:
    code: str
    name: str
    status: str  # "" when none of its indicators is judged in the period
    readings: tuple[PublishedReading, ...]


def published_commitments(snapshot: Mapping) -> list[PublishedCommitment]:
    """A publication's snapshot as the public page shows it, names in the active
    language (Vietnamese where there is no English). No query."""
    english = (get_language() or "vi").startswith("en")

    def name(row: Mapping) -> str:
        return (row.get("name_en") if english else "") or row.get("name_vi", "")

    def reading(row: Mapping, indicator: PublishedIndicator) -> PublishedReading:
        return PublishedReading(
            indicator=indicator,
            name=name(row),
            value=_decimal_or_none(row.get("value")),
            target=_decimal_or_none(row.get("target")),
            comparator=row.get("comparator") or "",
            status=row.get("status", ""),
            categories=tuple(reading(c, indicator) for c in row.get("categories", [])),
        )

    return [
        PublishedCommitment(
            code=commitment["code"],
            name=name(commitment),
            status=commitment.get("status", ""),
            readings=tuple(
                reading(row, PublishedIndicator(row["code"], name(row), row.get("kind", "")))
                for row in commitment.get("indicators", [])
            ),
        )
        for commitment in snapshot.get("commitments", [])
    ]


def _decimal_or_none(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)
