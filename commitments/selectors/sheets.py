"""Signed sheets as the pages read them: which sheet applies to each department in a
year, the sheets a user may read, one sheet with its commitments, indicators and
targets, an indicator of a year found by its number, and where a target says
otherwise than its signed words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value

from commitments import access, engine
from commitments.models import (
    Commitment,
    DefinitionVersion,
    Indicator,
    Sheet,
    Target,
    TargetOverride,
    Unit,
)

# What the pages read of an indicator and its definition.
INDICATOR_RELATED = (
    "indicator__commitment",
    "indicator__numerator",
    "indicator__denominator",
    "indicator__element",
    "indicator__sheet__department",
    "indicator__version__definition",
)


def department_sheets(*, year: int) -> dict[Unit, Sheet]:
    """Each department (top unit) with the sheet that applies to it in ``year``: its
    own, else the common sheet of the year; a department with neither is left out.
    Two queries, whatever the number of departments."""
    sheets = list(Sheet.objects.filter(year=year).select_related("department"))
    own = {s.department_id: s for s in sheets if s.department_id is not None}
    common = next((s for s in sheets if s.department_id is None), None)
    applies = {}
    for department in Unit.objects.filter(parent__isnull=True).order_by("code"):
        sheet = own.get(department.pk, common)
        if sheet is not None:
            applies[department] = sheet
    return applies


def sheet_departments(*, sheet: Sheet) -> list[Unit]:
    """The departments a sheet applies to: its own, or for the common sheet every
    department without a sheet of its own that year (one query)."""
    if sheet.department_id is not None:
        return [sheet.department]
    signed = Sheet.objects.filter(year=sheet.year, department__isnull=False).values("department")
    return list(Unit.objects.filter(parent__isnull=True).exclude(pk__in=signed).order_by("code"))


def sheet_visible(*, sheet: Sheet, scope: access.Scope) -> bool:
    """Whether a user may read a sheet: one of the departments it applies to is one
    whose units they see (a superuser reads every sheet). A director of one department
    never reads another's."""
    seen = access.departments_seen(scope=scope)
    if seen is None:
        return True
    if sheet.department_id is not None:
        return sheet.department_id in seen
    return any(d.pk in seen for d in sheet_departments(sheet=sheet))


def visible_sheets(*, scope: access.Scope) -> list[Sheet]:
    """Every sheet a user may read, the latest year first, each with its department and
    how many of its commitments wait for review (``waiting``)."""
    sheets = Sheet.objects.select_related("department", "copied_from").prefetch_related(
        Prefetch(
            "commitments", queryset=Commitment.objects.filter(to_review=True), to_attr="waiting"
        )
    )
    seen = access.departments_seen(scope=scope)
    if seen is None:
        return list(sheets)
    own_years = {}
    for department_id, year in Sheet.objects.filter(department__in=seen).values_list(
        "department_id", "year"
    ):
        own_years.setdefault(year, set()).add(department_id)
    return [
        sheet
        for sheet in sheets
        if (sheet.department_id in seen)
        or (sheet.department_id is None and seen - own_years.get(sheet.year, set()))
    ]


@dataclass
class SheetLine:
    """An indicator of a sheet with its target and where the target says otherwise
    than its signed words (``mismatches``)."""

    indicator: Indicator
    target: Target | None
    mismatches: list[engine.WordingMismatch] = field(default_factory=list)


@dataclass
class SheetCommitment:
    commitment: Commitment
    lines: list[SheetLine]


def sheet_contents(*, sheet: Sheet) -> list[SheetCommitment]:
    """A sheet's commitments in their order, each with its indicators, their targets
    and overrides, definitions and the wording check; four queries."""
    targets = {
        t.indicator_id: t
        for t in Target.objects.filter(indicator__sheet=sheet, year=sheet.year).prefetch_related(
            "overrides__category"
        )
    }
    indicators = Indicator.objects.filter(sheet=sheet).select_related(
        "version__definition", "numerator", "denominator", "element"
    )
    lines: dict[int, list[SheetLine]] = {}
    for indicator in indicators.order_by("position", "code"):
        target = targets.get(indicator.pk)
        mismatches = target_mismatches(target, indicator) if target else []
        lines.setdefault(indicator.commitment_id, []).append(
            SheetLine(indicator, target, mismatches)
        )
    return [
        SheetCommitment(commitment, lines.get(commitment.pk, []))
        for commitment in sheet.commitments.order_by("position", "code")
    ]


def target_mismatches(target: Target, indicator: Indicator | None = None, overrides=None):
    """Where a target (with its ``overrides``, by default the stored ones) says
    otherwise than its signed words (``engine.wording_mismatches``); empty when they
    agree or the words state no number."""
    indicator = indicator or target.indicator
    overrides = target.overrides.all() if overrides is None else overrides
    return engine.wording_mismatches(
        target.wording,
        kind=indicator.kind,
        threshold=target.threshold,
        comparator=target.comparator or None,
        overrides=[(o.threshold, o.comparator) for o in overrides],
        condition_min=indicator.condition_min,
    )


def indicator_target(
    *, code: str, year: int, scope: access.Scope, department: str = ""
) -> Target | None:
    """The target of ``year`` of the indicator numbered ``code`` in a sheet the user may
    read, with its indicator, commitment, sheet and definition: of the sheet of the
    department coded ``department`` when given, else the first such department's.
    None when there is none: a sheet of another department than the user's is not
    theirs. (A user who sees no unit at all, such as an admin of targets, reads the
    first.) One query, and the visibility of a common sheet."""
    targets = Target.objects.filter(year=year, indicator__code=code).select_related(
        *INDICATOR_RELATED
    )
    found = sorted(targets, key=lambda t: _department_code(t.indicator.sheet))
    if department:
        # The department's own sheet first, then the common one, then any other.
        found.sort(
            key=lambda t: (
                _department_code(t.indicator.sheet) != department,
                t.indicator.sheet.department_id is not None,
            )
        )
    visible = (t for t in found if sheet_visible(sheet=t.indicator.sheet, scope=scope))
    if not access.departments_seen(scope=scope):
        # A user who sees no unit at all reads the indicator without a unit's status.
        return next(visible, found[0] if found else None)
    return next(visible, None)


def _department_code(sheet: Sheet) -> str:
    # The common sheet after the departments' own.
    return sheet.department.code if sheet.department_id else "\uffff"


def unit_targets(
    *, year: int, units: Iterable[Unit], targets: QuerySet[Target]
) -> dict[int, Target | None]:
    """For each of ``units``, by id, the first (by number) of ``targets`` of ``year``
    that belongs to the sheet applying to the unit's department: its own sheet, else
    the common one; None where that sheet has no such target (a department with a sheet
    of its own is never judged on the common one's). Each target comes with its sheet
    and overrides. Three queries, whatever the number of units, departments and sheets
    (``units`` may be a query, read with the tree rather than apart)."""
    query = isinstance(units, QuerySet)
    parents, signed, ids = {}, set(), [] if query else [unit.pk for unit in units]
    rows = Unit.objects.annotate(
        signed=Exists(Sheet.objects.filter(department=OuterRef("pk"), year=year)),
        wanted=Exists(units.filter(pk=OuterRef("pk"))) if query else Value(False),
    )
    for pk, parent_id, has_sheet, wanted in rows.values_list("pk", "parent_id", "signed", "wanted"):
        parents[pk] = parent_id
        if has_sheet:
            signed.add(pk)
        if wanted:
            ids.append(pk)
    found = (
        targets.filter(year=year)
        .select_related("indicator__sheet")
        .prefetch_related(
            Prefetch("overrides", queryset=TargetOverride.objects.select_related("category"))
        )
        .order_by("indicator__code", "pk")
    )
    own: dict[int, Target] = {}
    common = None
    for target in found:
        department = target.indicator.sheet.department_id
        if department is None:
            common = common or target
        else:
            own.setdefault(department, target)
    applying = {}
    for pk in ids:
        top = pk
        while parents.get(top) is not None:
            top = parents[top]
        applying[pk] = own.get(top) if top in signed else common
    return applying


def sheet_of_unit(*, unit: Unit, year: int) -> Sheet | None:
    """The sheet that applies to a unit's department in ``year`` (two queries)."""
    tree = dict(Unit.objects.values_list("pk", "parent_id"))
    top = unit.pk
    while tree.get(top) is not None:
        top = tree[top]
    sheets = Sheet.objects.filter(Q(department_id=top) | Q(department__isnull=True), year=year)
    return min(sheets, key=lambda s: s.department_id is None, default=None)


def version_computed(*, indicator: Indicator, rows: Iterable) -> DefinitionVersion | None:
    """The version of its definition the indicator's stored statuses were computed with,
    when it is not the one the indicator uses now (a new version since the last
    recompute, which will follow); else None. At most one query."""
    computed = {row.version_id for row in rows} - {indicator.version_id, None}
    if not computed:
        return None
    return DefinitionVersion.objects.select_related("definition").filter(pk=min(computed)).first()
