"""The models, one module a concern, all importable from ``commitments.models``.

- ``organisation``: units of the department's tree and memberships;
- ``catalogue``: categories, data elements, validation rules, the indicator
  definitions shared by every sheet and their versions, commitments, indicators;
- ``sheets``: the sheet a department signs for a year, holding its commitments and
  indicators;
- ``targets``: targets of a year, their overrides and their history;
- ``reporting``: figures, evidence, plan tasks, milestones, quarterly reports,
  deadlines and reminders;
- ``statuses``: computed statuses, the recompute state and its outbox (the requests
  waiting for a recompute), published results;
- ``calendar``: the days off and make-up working days an admin adds to the public
  holiday calendar;
- ``audit``: the audit log.

Models stay thin: fields, choices, constraints and checks. The work happens in
``services`` (writes), ``selectors`` (reads) and ``engine`` (the calculation).
"""

from commitments.models.audit import AuditEntry
from commitments.models.calendar import CalendarDay
from commitments.models.catalogue import (
    BilingualName,
    Category,
    Commitment,
    DataElement,
    DefinitionVersion,
    EvidenceKind,
    Indicator,
    IndicatorDefinition,
    ValidationRule,
)
from commitments.models.organisation import SECTOR_NAMES, Membership, Unit, sector_name
from commitments.models.reporting import (
    Evidence,
    Figure,
    Milestone,
    OfficialFigure,
    PlanTask,
    QuarterlyReport,
    ReminderSent,
    ReportingDeadline,
    evidence_file_path,
    evidence_storage,
)
from commitments.models.sheets import Sheet
from commitments.models.statuses import Publication, RecomputeRequest, RecomputeState, Status
from commitments.models.targets import Comparator, Target, TargetChange, TargetOverride

__all__ = [
    "SECTOR_NAMES",
    "AuditEntry",
    "BilingualName",
    "CalendarDay",
    "Category",
    "Commitment",
    "Comparator",
    "DataElement",
    "DefinitionVersion",
    "Evidence",
    "EvidenceKind",
    "Figure",
    "Indicator",
    "IndicatorDefinition",
    "Membership",
    "Milestone",
    "OfficialFigure",
    "PlanTask",
    "Publication",
    "QuarterlyReport",
    "RecomputeRequest",
    "RecomputeState",
    "ReminderSent",
    "ReportingDeadline",
    "Sheet",
    "Status",
    "Target",
    "TargetChange",
    "TargetOverride",
    "Unit",
    "ValidationRule",
    "evidence_file_path",
    "evidence_storage",
    "sector_name",
]
