"""The sheet file's columns, what each type of row fills, and the plan a file is read
into (plain values and stored instances, nothing saved)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from commitments import engine
from commitments.models import Category, DataElement, DefinitionVersion, IndicatorDefinition

COMMITMENT, INDICATOR, OVERRIDE, DEFINITION = "commitment", "indicator", "override", "definition"
TYPES = (COMMITMENT, INDICATOR, OVERRIDE, DEFINITION)

COLUMNS = (
    "type",
    "code",
    "commitment",
    "indicator",
    "name_vi",
    "name_en",
    "short_name_vi",
    "short_name_en",
    "definition",
    "periods",
    "threshold",
    "comparator",
    "category",
    "unit_kind",
    "unit_sector",
    "deadline",
    "baseline_year",
    "baseline_value",
    "wording",
)
# How a definition the file describes measures; a file that describes none may leave
# these columns out.
MEASURE_COLUMNS = (
    "kind",
    "source",
    "numerator",
    "denominator",
    "element",
    "evidence_kind",
    "distinct_subjects",
    "coverage_rule",
    "condition_min",
    "per_category",
    "level",
    "scope_kinds",
    "scope_sectors",
    "scope_public_service",
    "scope_receives_dossiers",
)
# The columns each type of row fills; the others stay empty.
USES = {
    COMMITMENT: {"type", "code", "name_vi", "name_en"},
    INDICATOR: {
        "type",
        "code",
        "commitment",
        "name_vi",
        "name_en",
        "short_name_vi",
        "short_name_en",
        "definition",
        "periods",
        "threshold",
        "comparator",
        "deadline",
        "baseline_year",
        "baseline_value",
        "wording",
    },
    OVERRIDE: {
        "type",
        "indicator",
        "threshold",
        "comparator",
        "category",
        "unit_kind",
        "unit_sector",
    },
    DEFINITION: {"type", "code", "name_vi", "name_en", *MEASURE_COLUMNS},
}
# ``periods``: when an indicator is judged, as (quarterly, yearly).
PERIODS = {
    "year": (False, True),
    "quarter": (True, False),
    "quarter+year": (True, True),
}
# The comparators of DOMAIN.md's wording table; "≥" is read as ">=".
COMPARATORS = {">=": engine.GE, "≥": engine.GE, ">": engine.GT}
GROWTH = (engine.GROWTH_POINTS, engine.GROWTH_RELATIVE)
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
INDICATOR_CODE = re.compile(r"^[-.a-zA-Z0-9_]+$")


@dataclass(frozen=True)
class Known:
    """What a sheet's file may name that is stored: each definition with its version
    in force in the sheet's ``year`` (None when it begins later), the data elements and
    the categories, by code."""

    year: int
    definitions: Mapping[str, tuple[IndicatorDefinition, DefinitionVersion | None]]
    elements: Mapping[str, DataElement]
    categories: Mapping[str, Category]


@dataclass
class DefinitionLine:
    """A definition the file describes; ``stored``: the same one already stored (its
    version in force that year, measuring the same), which the sheet uses as it is."""

    line: int
    code: str
    name_vi: str
    name_en: str
    measure: dict[str, object]
    stored: DefinitionVersion | None = None


@dataclass
class CommitmentLine:
    line: int
    code: str
    name_vi: str
    name_en: str


@dataclass
class OverrideLine:
    line: int
    indicator: str
    category: Category | None
    unit_kind: str
    unit_sector: str
    threshold: Decimal | None
    comparator: str  # "" until its indicator's comparator is known
    valid: bool = True  # its own cells are right (its indicator is checked apart)

    @property
    def conditions(self) -> tuple:
        return (self.category.code if self.category else "", self.unit_kind, self.unit_sector)


@dataclass
class IndicatorLine:
    line: int
    code: str
    commitment: str
    definition: str
    fields: dict[str, object]  # name, short name, quarterly, yearly
    target: dict[str, object]  # Target's fields: threshold, comparator, wording…
    overrides: list[OverrideLine] = field(default_factory=list)
    threshold_given: bool = False  # a cell, even one that is not a number
    measure: dict[str, object] = field(default_factory=dict)  # its definition's


@dataclass
class SheetPlan:
    """A sheet read from a file: its commitments and indicators in the file's order,
    the definitions it describes, and the warnings of its signed words."""

    commitments: dict[str, CommitmentLine] = field(default_factory=dict)
    indicators: dict[str, IndicatorLine] = field(default_factory=dict)
    definitions: dict[str, DefinitionLine] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
