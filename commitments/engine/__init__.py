"""The calculation of statuses (trạng thái chỉ tiêu): pure, exact, and free of Django.

Everything here takes plain frozen dataclasses and returns plain dataclasses, so the
rules of the signed commitments can be read and tested without a database. Values are
``Fraction`` from start to end: a percentage is never rounded before it is compared,
because "98%" on a signed sheet means 98 exactly (``num * 100 >= 98 * den``).

Vocabulary (DOMAIN.md):

- a *figure* (số liệu) is one number per unit, quarter, data element and category;
- *evidence* (minh chứng) is a dated record: an inspection, a dialogue, an initiative...;
- an *indicator* (chỉ tiêu) says how a value is computed; its *target* for the year says
  what the value must reach, with overrides by category or unit attribute;
- a *status* row judges one indicator for one unit, category and period.

What lives where (callers use the flat API below, ``engine.compute_statuses``,
``engine.MET``...; the package imports nothing of the project):

- ``types``: the constants (statuses, kinds, sources, comparators), the frozen inputs
  (``UnitNode``, ``FigureRow``, ``EvidenceRow``, ``PlanTaskRow``, ``MilestoneRow``,
  ``UnitFilter``, ``Override``, ``TargetSpec``, ``IndicatorSpec``, ``Dataset``) and the
  output ``StatusRow``;
- ``periods``: quarters and the year to date (``YEAR``, ``period_label``,
  ``period_bounds``...);
- ``judgement``: a value against its target (``compare``, ``judge``), a whole made
  of parts (``combine``), a commitment's status (``overall_status``) and whether a
  coverage target asks every unit (``every_unit_must``);
- ``tree``: aggregation up the tree (the unit tree and its subtrees, ``Tree``, with the
  department above each unit; figures added up over units and quarters);
- ``kinds``: how each indicator kind computes its value and the numbers behind it;
- ``compute``: ``compute_statuses``, every status row of a year as of a date;
- ``parts``: a year's recompute in parts of bounded size (``parts_of``, ``Part``), and
  the nodes that stand for the units below a part's top read as sums
  (``stand_ins``);
- ``projection``: ``project_ratio``, the year-end projection of a ratio;
- ``detail``: ``Detail``, the numbers behind a row's value as stored, read by attribute;
- ``rounding``: ``rounded``, half up, for storage and display only;
- ``review``: what approving a report would change (``counted_as_official``,
  ``subtree``, ``own_results``) and the figures far from a unit's history
  (``outlier``);
- ``workdays``: ``WorkCalendar``, the working days that deadlines and reminders count;
- ``wording``: the signed words of a target read as a comparator and a number
  (``read_signed_targets``), where a target says otherwise (``wording_mismatches``), and
  the years they name moved to another year (``shift_years``).
"""

from commitments.engine.compute import compute_statuses
from commitments.engine.detail import Detail
from commitments.engine.judgement import (
    BEHIND,
    JUDGED,
    SEVERITY,
    combine,
    compare,
    every_unit_must,
    judge,
    overall_status,
)
from commitments.engine.parts import (
    Part,
    ancestors,
    elements_read,
    parts_of,
    read_per_unit,
    stand_ins,
)
from commitments.engine.periods import (
    YEAR,
    period_bounds,
    period_label,
    previous_quarter,
    quarter_of,
    quarters_of,
)
from commitments.engine.projection import project_ratio
from commitments.engine.review import (
    OWN_KINDS,
    Outlier,
    at_top,
    counted_as_official,
    in_year,
    outlier,
    own_results,
    previous_quarters,
    reads_figures,
    subtree,
)
from commitments.engine.rounding import rounded
from commitments.engine.tree import Tree
from commitments.engine.types import (
    AT_RISK,
    COUNT,
    COVERAGE,
    ELEMENT_AT_LEAST,
    EVIDENCE,
    FIGURES,
    GE,
    GROWTH_POINTS,
    GROWTH_RELATIVE,
    GT,
    HAS_EVIDENCE,
    LAST,
    LEVEL_DEPARTMENT,
    LEVEL_UNIT,
    MET,
    MILESTONE,
    MILESTONES,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    PLAN_TASKS,
    RATIO,
    SUBJECT_OF_EVIDENCE,
    SUM,
    TRACKED,
    Dataset,
    EvidenceRow,
    FigureRow,
    IndicatorSpec,
    MilestoneRow,
    Override,
    PlanTaskRow,
    StatusRow,
    TargetSpec,
    UnitFilter,
    UnitNode,
)
from commitments.engine.wording import (
    SignedTarget,
    WordingMismatch,
    read_signed_targets,
    shift_years,
    wording_mismatches,
)
from commitments.engine.workdays import WEEKENDS_ONLY, WorkCalendar

__all__ = [
    "AT_RISK",
    "BEHIND",
    "COUNT",
    "COVERAGE",
    "ELEMENT_AT_LEAST",
    "EVIDENCE",
    "FIGURES",
    "GE",
    "GROWTH_POINTS",
    "GROWTH_RELATIVE",
    "GT",
    "HAS_EVIDENCE",
    "JUDGED",
    "LAST",
    "LEVEL_DEPARTMENT",
    "LEVEL_UNIT",
    "MET",
    "MILESTONE",
    "MILESTONES",
    "NOT_APPLICABLE",
    "NOT_MET",
    "NO_DATA",
    "OWN_KINDS",
    "PLAN_TASKS",
    "RATIO",
    "SEVERITY",
    "SUBJECT_OF_EVIDENCE",
    "SUM",
    "TRACKED",
    "WEEKENDS_ONLY",
    "YEAR",
    "Dataset",
    "Detail",
    "EvidenceRow",
    "FigureRow",
    "IndicatorSpec",
    "MilestoneRow",
    "Outlier",
    "Override",
    "Part",
    "PlanTaskRow",
    "SignedTarget",
    "StatusRow",
    "TargetSpec",
    "Tree",
    "UnitFilter",
    "UnitNode",
    "WordingMismatch",
    "WorkCalendar",
    "ancestors",
    "at_top",
    "combine",
    "compare",
    "compute_statuses",
    "counted_as_official",
    "elements_read",
    "every_unit_must",
    "in_year",
    "judge",
    "outlier",
    "overall_status",
    "own_results",
    "parts_of",
    "period_bounds",
    "period_label",
    "previous_quarter",
    "previous_quarters",
    "project_ratio",
    "quarter_of",
    "quarters_of",
    "read_per_unit",
    "read_signed_targets",
    "reads_figures",
    "rounded",
    "shift_years",
    "stand_ins",
    "subtree",
    "wording_mismatches",
]
