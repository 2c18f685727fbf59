"""The engine's vocabulary: its constants, the frozen inputs it reads and the rows it
returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from commitments.engine.periods import period_label

# Statuses, in the order a reader cares about them.
MET = "met"
NOT_MET = "not_met"
AT_RISK = "at_risk"
NO_DATA = "no_data"
NOT_APPLICABLE = "not_applicable"
TRACKED = "tracked"

# Indicator kinds.
RATIO = "ratio"
GROWTH_POINTS = "growth_points"
GROWTH_RELATIVE = "growth_relative"
COUNT = "count"
COVERAGE = "coverage"
MILESTONE = "milestone"

# Where a value comes from.
FIGURES = "figures"
EVIDENCE = "evidence"
PLAN_TASKS = "plan_tasks"
MILESTONES = "milestones"

# Per-unit conditions of a coverage indicator.
ELEMENT_AT_LEAST = "element_at_least"  # the unit's figure reaches condition_min
HAS_EVIDENCE = "has_evidence"  # the unit recorded evidence of the kind
SUBJECT_OF_EVIDENCE = "subject_of_evidence"  # the unit was named by evidence of the kind

# How a data element aggregates over time.
SUM = "sum"
LAST = "last"

# Reporting level of an indicator.
LEVEL_DEPARTMENT = "department"  # one row per department (root unit)
LEVEL_UNIT = "unit"  # a row per unit of the tree, and one per department

GE = ">="
GT = ">"

HUNDRED = Fraction(100)


# ---------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitNode:
    """A unit of the tree (đơn vị) with the attributes a ``UnitFilter`` selects on.

    An ``aggregate`` node is not a unit: it stands for units read as the sums of their
    figures (units of one kind, sector and flags, below one unit of a part's
    recompute, ``engine.parts``). The sums count wherever those units' figures would;
    it is never counted as a unit (coverage) and never has rows of its own.
    """

    id: int
    code: str
    parent_id: int | None
    kind: str
    sector: str = ""
    public_service: bool = False
    receives_dossiers: bool = False
    aggregate: bool = False


class FigureRow(NamedTuple):
    """One figure: a plain tuple, as a year of a national tree reads a million."""

    year: int
    quarter: int
    unit_id: int
    element: str
    category: str | None
    value: int


@dataclass(frozen=True)
class EvidenceRow:
    unit_id: int
    kind: str
    date: dt.date
    subject_unit_id: int | None = None


@dataclass(frozen=True)
class PlanTaskRow:
    unit_id: int
    year: int
    done_on: dt.date | None


@dataclass(frozen=True)
class MilestoneRow:
    indicator: str
    unit_id: int
    year: int
    done_on: dt.date | None
    has_evidence: bool


@dataclass(frozen=True)
class UnitFilter:
    """The units an indicator applies to (its scope in the catalogue), selected by
    attributes; an empty or ``None`` field selects everyone. Not to be confused with
    what a user may see."""

    kinds: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    public_service: bool | None = None
    receives_dossiers: bool | None = None

    def admits(self, unit: UnitNode) -> bool:
        return (
            (not self.kinds or unit.kind in self.kinds)
            and (not self.sectors or unit.sector in self.sectors)
            and (self.public_service is None or unit.public_service == self.public_service)
            and (self.receives_dossiers is None or unit.receives_dossiers == self.receives_dossiers)
        )


@dataclass(frozen=True)
class Override:
    """A threshold for one category, or for the units of one kind or sector."""

    threshold: Decimal
    comparator: str
    category: str | None = None
    unit_kind: str = ""
    unit_sector: str = ""

    def specificity(self, unit: UnitNode, category: str | None) -> int:
        """How many conditions match; -1 when one of them does not."""
        score = 0
        for wanted, actual in (
            (self.category, category),
            (self.unit_kind, unit.kind),
            (self.unit_sector, unit.sector),
        ):
            if wanted:
                if wanted != actual:
                    return -1
                score += 1
        return score


@dataclass(frozen=True)
class TargetSpec:
    """The target of an indicator for one year. ``threshold=None`` means tracked."""

    year: int
    threshold: Decimal | None
    comparator: str | None
    deadline: dt.date | None = None
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    overrides: tuple[Override, ...] = ()

    def resolve(self, unit: UnitNode, category: str | None) -> tuple[Decimal | None, str | None]:
        """The threshold and comparator that apply to a unit and category."""
        best, best_score = None, 0
        for override in self.overrides:
            score = override.specificity(unit, category)
            if score > best_score:
                best, best_score = override, score
        if best is not None:
            return best.threshold, best.comparator
        return self.threshold, self.comparator


@dataclass(frozen=True)
class IndicatorSpec:
    """How one indicator (chỉ tiêu) is computed and where it is reported.

    ``departments``: the departments (root units) whose sheet holds the indicator, the
    only ones it speaks of; ``None``, every department. Two sheets may number their
    indicators alike: ``code`` is unique among the indicators of one department."""

    code: str
    kind: str
    target: TargetSpec
    departments: frozenset[int] | None = None
    source: str = FIGURES
    tracked: bool = False
    per_category: bool = False
    quarterly: bool = False
    yearly: bool = True
    level: str = LEVEL_DEPARTMENT
    scope: UnitFilter = field(default_factory=UnitFilter)
    numerator: str = ""
    denominator: str = ""
    element: str = ""
    evidence_kind: str = ""
    distinct_subjects: bool = False
    coverage_rule: str = ""
    condition_min: int = 1


@dataclass(frozen=True)
class Dataset:
    """Everything the engine reads for one year (and its baseline years).

    ``rows_for``: the units whose rows are computed, when only some are (a part of
    the tree, ``engine.parts``); the others are read only as members of their
    subtrees. ``None``: every unit.
    """

    units: Sequence[UnitNode]
    aggregations: Mapping[str, str]  # element code -> SUM or LAST
    figures: Sequence[FigureRow] = ()
    evidence: Sequence[EvidenceRow] = ()
    plan_tasks: Sequence[PlanTaskRow] = ()
    milestones: Sequence[MilestoneRow] = ()
    rows_for: frozenset[int] | None = None


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusRow:
    indicator: str
    unit_id: int
    category: str  # "" for the indicator as a whole
    year: int
    quarter: int  # 1-4, or YEAR (0) for the year to date
    value: Fraction | None
    target: Decimal | None
    comparator: str | None
    status: str
    # The numbers behind the value, by the keys of the kind (``Detail`` reads them
    # back once stored).
    detail: Mapping[str, object] = field(default_factory=dict)

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter)
