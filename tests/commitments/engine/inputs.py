"""Inputs of the pure engine for its tests: small frozen units, figures, evidence and
indicators shaped like the 2021 DARD catalogue's (same kinds, elements, scopes and
targets, so that a test's name can say which commitment it speaks of), and a way to run
``engine.compute_statuses`` and read the one row a test cares about."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from commitments import engine
from commitments.engine import (
    COUNT,
    COVERAGE,
    ELEMENT_AT_LEAST,
    EVIDENCE,
    GE,
    GROWTH_POINTS,
    GROWTH_RELATIVE,
    GT,
    HAS_EVIDENCE,
    LEVEL_UNIT,
    MILESTONE,
    MILESTONES,
    PLAN_TASKS,
    RATIO,
    SUBJECT_OF_EVIDENCE,
    YEAR,
    Dataset,
    EvidenceRow,
    FigureRow,
    IndicatorSpec,
    Override,
    StatusRow,
    TargetSpec,
    UnitFilter,
    UnitNode,
)

D = dt.date
Y = 2021
CLOSED = D(2022, 1, 15)  # every period of 2021 is over
DEPT = 1

# The data elements of the 2021 catalogue and how they aggregate over time.
AGGREGATIONS = {
    "dossiers_received": "sum",
    "dossiers_online": "sum",
    "dossiers_resolved": "sum",
    "dossiers_on_time": "sum",
    "procedures_online_eligible": "last",
    "survey_responses": "sum",
    "survey_satisfied": "sum",
    "survey_published": "last",
    "feedback_due": "sum",
    "feedback_on_time": "sum",
    "feedback_handled": "sum",
    "feedback_published": "sum",
    "epayment_applied": "last",
    "website_reform_section": "last",
    "docs_issued": "sum",
    "docs_signed_digitally": "sum",
}

DIVISIONS_AND_AFFILIATED = frozenset({"division", "affiliated_unit"})
RECEIVING = UnitFilter(receives_dossiers=True)


# ---------------------------------------------------------------------------
# Units, figures, evidence, indicators; running the engine and reading a row
# ---------------------------------------------------------------------------


def department(id: int = DEPT, code: str = "DARD", **attrs) -> UnitNode:
    return UnitNode(id=id, code=code, parent_id=None, kind="department", **attrs)


def unit(
    id: int,
    kind: str = "division",
    *,
    parent: int = DEPT,
    sector: str = "agriculture",
    public_service: bool = False,
    receives: bool = False,
    code: str | None = None,
) -> UnitNode:
    return UnitNode(
        id=id,
        code=code or f"U{id:02d}",
        parent_id=parent,
        kind=kind,
        sector=sector,
        public_service=public_service,
        receives_dossiers=receives,
    )


def desk(id: int, **attrs) -> UnitNode:
    """A receiving unit (bộ phận tiếp nhận)."""
    return unit(id, receives=True, **attrs)


def fig(unit_id, element, value, *, quarter=1, year=Y, category=None) -> FigureRow:
    return FigureRow(
        year=year,
        quarter=quarter,
        unit_id=unit_id,
        element=element,
        category=category,
        value=value,
    )


def pair(unit_id, num_element, num, den_element, den, **where) -> list[FigureRow]:
    """A numerator and its denominator for one unit, quarter and category."""
    return [fig(unit_id, num_element, num, **where), fig(unit_id, den_element, den, **where)]


def on_time(unit_id, on_time_count, resolved, **where) -> list[FigureRow]:
    return pair(unit_id, "dossiers_on_time", on_time_count, "dossiers_resolved", resolved, **where)


def survey(unit_id, satisfied, responses, **where) -> list[FigureRow]:
    return pair(unit_id, "survey_satisfied", satisfied, "survey_responses", responses, **where)


def online(unit_id, online_count, received, **where) -> list[FigureRow]:
    return pair(unit_id, "dossiers_online", online_count, "dossiers_received", received, **where)


def ev(unit_id, kind, date, subject=None) -> EvidenceRow:
    return EvidenceRow(unit_id=unit_id, kind=kind, date=date, subject_unit_id=subject)


def dataset(units, figures=(), evidence=(), plan_tasks=(), milestones=()) -> Dataset:
    return Dataset(
        units=list(units),
        aggregations=AGGREGATIONS,
        figures=list(figures),
        evidence=list(evidence),
        plan_tasks=list(plan_tasks),
        milestones=list(milestones),
    )


def spec(
    code: str,
    kind: str,
    threshold: str | None = "100",
    comparator: str | None = GE,
    *,
    year: int = Y,
    deadline: dt.date | None = None,
    baseline_year: int | None = None,
    baseline_value: str | None = None,
    overrides: tuple[Override, ...] = (),
    **fields,
) -> IndicatorSpec:
    target = TargetSpec(
        year=year,
        threshold=None if threshold is None else Decimal(threshold),
        comparator=None if threshold is None else comparator,
        deadline=deadline,
        baseline_year=baseline_year,
        baseline_value=None if baseline_value is None else Decimal(baseline_value),
        overrides=overrides,
    )
    return IndicatorSpec(code=code, kind=kind, target=target, **fields)


def override(threshold: str, comparator: str = GE, **where) -> Override:
    return Override(threshold=Decimal(threshold), comparator=comparator, **where)


# Indicators shaped like the 2021 DARD catalogue's.


def plan_tasks_1_1(**kw) -> IndicatorSpec:
    return spec("1.1", RATIO, "100", source=PLAN_TASKS, deadline=D(2021, 10, 31), **kw)


def periodic_inspections_3_1(**kw) -> IndicatorSpec:
    return spec(
        "3.1",
        COVERAGE,
        "30",
        source=EVIDENCE,
        coverage_rule=SUBJECT_OF_EVIDENCE,
        evidence_kind="inspection_periodic",
        scope=UnitFilter(kinds=DIVISIONS_AND_AFFILIATED),
        **kw,
    )


def surprise_inspections_3_2(**kw) -> IndicatorSpec:
    return spec(
        "3.2",
        COUNT,
        "5",
        source=EVIDENCE,
        evidence_kind="inspection_surprise",
        distinct_subjects=True,
        quarterly=True,
        yearly=False,
        **kw,
    )


def satisfaction_4_1(threshold="91", **kw) -> IndicatorSpec:
    kw.setdefault("scope", RECEIVING)
    kw.setdefault("level", LEVEL_UNIT)
    return spec(
        "4.1",
        RATIO,
        threshold,
        numerator="survey_satisfied",
        denominator="survey_responses",
        quarterly=True,
        **kw,
    )


def online_share_4_2(**kw) -> IndicatorSpec:
    kw.setdefault("baseline_year", 2020)
    return spec(
        "4.2",
        GROWTH_POINTS,
        "3",
        numerator="dossiers_online",
        denominator="dossiers_received",
        **kw,
    )


def eligible_procedures_4_3(**kw) -> IndicatorSpec:
    kw.setdefault("baseline_year", 2020)
    return spec("4.3", GROWTH_RELATIVE, "5", element="procedures_online_eligible", **kw)


def epayment_4_4(**kw) -> IndicatorSpec:
    return spec(
        "4.4",
        COVERAGE,
        "95",
        GT,  # "trên 95%": strictly more than 95
        coverage_rule=ELEMENT_AT_LEAST,
        element="epayment_applied",
        scope=UnitFilter(sectors=frozenset({"education", "health"}), public_service=True),
        **kw,
    )


def epayment_desks_4_5(**kw) -> IndicatorSpec:
    return spec(
        "4.5",
        COVERAGE,
        None,
        tracked=True,
        coverage_rule=ELEMENT_AT_LEAST,
        element="epayment_applied",
        scope=RECEIVING,
        **kw,
    )


def initiatives_4_6(**kw) -> IndicatorSpec:
    return spec(
        "4.6",
        COVERAGE,
        "100",
        source=EVIDENCE,
        coverage_rule=HAS_EVIDENCE,
        evidence_kind="initiative",
        scope=UnitFilter(kinds=DIVISIONS_AND_AFFILIATED),
        **kw,
    )


FIELD_OVERRIDES = (
    override("96", category="land"),
    override("96", category="investment"),
)


def on_time_5_1(**kw) -> IndicatorSpec:
    kw.setdefault("overrides", FIELD_OVERRIDES)
    kw.setdefault("scope", RECEIVING)
    kw.setdefault("level", LEVEL_UNIT)
    return spec(
        "5.1",
        RATIO,
        "98",
        numerator="dossiers_on_time",
        denominator="dossiers_resolved",
        per_category=True,
        quarterly=True,
        **kw,
    )


def dialogues_5_2(**kw) -> IndicatorSpec:
    return spec(
        "5.2",
        COUNT,
        "1",
        source=EVIDENCE,
        evidence_kind="dialogue",
        quarterly=True,
        yearly=False,
        **kw,
    )


def surveyed_6_1(**kw) -> IndicatorSpec:
    return spec(
        "6.1",
        COVERAGE,
        "100",
        coverage_rule=ELEMENT_AT_LEAST,
        element="survey_responses",
        quarterly=True,
        yearly=False,
        scope=RECEIVING,
        **kw,
    )


def published_6_2(**kw) -> IndicatorSpec:
    return spec(
        "6.2",
        COVERAGE,
        "100",
        coverage_rule=ELEMENT_AT_LEAST,
        element="survey_published",
        quarterly=True,
        yearly=False,
        scope=RECEIVING,
        **kw,
    )


def feedback_7_1(**kw) -> IndicatorSpec:
    return spec(
        "7.1",
        RATIO,
        "100",
        numerator="feedback_on_time",
        denominator="feedback_due",
        per_category=True,
        quarterly=True,
        **kw,
    )


def signed_digitally_8_1(threshold=None, **kw) -> IndicatorSpec:
    return spec(
        "8.1",
        RATIO,
        threshold,
        numerator="docs_signed_digitally",
        denominator="docs_issued",
        tracked=True,
        quarterly=True,
        level=LEVEL_UNIT,
        **kw,
    )


def iso_8_2(**kw) -> IndicatorSpec:
    kw.setdefault("deadline", D(2021, 12, 31))
    return spec("8.2", MILESTONE, "100", source=MILESTONES, **kw)


def communication_9_2(**kw) -> IndicatorSpec:
    return spec(
        "9.2",
        COVERAGE,
        "100",
        source=EVIDENCE,
        coverage_rule=HAS_EVIDENCE,
        evidence_kind="communication_product",
        **kw,
    )


def run(indicators, data: Dataset, *, as_of: dt.date = CLOSED, year: int = Y):
    if isinstance(indicators, IndicatorSpec):
        indicators = [indicators]
    return engine.compute_statuses(indicators, data, year=year, as_of=as_of)


def one(rows, *, unit_id=DEPT, quarter=YEAR, category="", indicator=None) -> StatusRow:
    """The single row of a unit, period and category (and indicator, if given)."""
    found = [
        r
        for r in rows
        if r.unit_id == unit_id
        and r.quarter == quarter
        and r.category == category
        and (indicator is None or r.indicator == indicator)
    ]
    assert len(found) == 1, f"expected one row, found {found}"
    return found[0]


def status_of(indicator, data, *, as_of=CLOSED, **where) -> str:
    return one(run(indicator, data, as_of=as_of), **where).status
