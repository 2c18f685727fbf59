"""Judgement against targets: a value against its threshold, and a whole made of parts."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from commitments.engine.types import (
    AT_RISK,
    GE,
    GT,
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    TRACKED,
)

JUDGED = (MET, NOT_MET, AT_RISK)
BEHIND = (NOT_MET, AT_RISK)  # judged, and short of the target
# Worst first, for sorting rows and units (any other status after these).
SEVERITY = {NOT_MET: 0, AT_RISK: 1, MET: 2}


# Each threshold as a fraction, converted once (a recompute compares thousands of
# values against a handful of thresholds).
_BOUNDS: dict[Decimal, Fraction] = {}


def compare(value: Fraction, threshold: Decimal, comparator: str) -> bool:
    """Exact comparison: ``Fraction(Decimal)`` is exact, so 3.00 points meets ">= 3"."""
    bound = _BOUNDS.get(threshold)
    if bound is None:
        bound = _BOUNDS.setdefault(threshold, Fraction(threshold))
    if type(value) is not Fraction:
        value = Fraction(value)
    # Cross-multiplied in whole numbers (denominators are positive): the same answer as
    # comparing the fractions, without their generic comparison's cost.
    left = value.numerator * bound.denominator
    right = bound.numerator * value.denominator
    if comparator == GE:
        return left >= right
    if comparator == GT:
        return left > right
    raise ValueError(f"unknown comparator {comparator!r}")


def judge(
    value: Fraction | None,
    threshold: Decimal | None,
    comparator: str | None,
    *,
    is_open: bool,
    tracked: bool = False,
) -> str:
    """The status of a value against its threshold.

    A value that falls short while the period is still open is only ``at_risk``: the
    quarter (or the year to date) can still be caught up. Once the period has closed
    the same value is ``not_met``.
    """
    if value is None:
        return NO_DATA
    if tracked or threshold is None or comparator is None:
        return TRACKED
    if compare(value, threshold, comparator):
        return MET
    return AT_RISK if is_open else NOT_MET


def combine(statuses: Iterable[str]) -> str:
    """The status of a whole made of parts that must each be met (per-category rule).

    Parts without data do not count; with no part having data the whole has none.
    """
    judged = [s for s in statuses if s in JUDGED]
    if not judged:
        return NO_DATA
    if NOT_MET in judged:
        return NOT_MET
    if AT_RISK in judged:
        return AT_RISK
    return MET


def overall_status(statuses: Iterable[str]) -> str | None:
    """A commitment's status from its indicators' rows of one period (DOMAIN.md): the
    worst first, not met, then at risk, then no data, then met. Tracked and
    out-of-scope rows never decide it: with only those the commitment is tracked (or,
    without a tracked one, not applicable). Without any row in the period the
    commitment is not judged there: ``None``."""
    statuses = list(statuses)
    if not statuses:
        return None
    for status in (NOT_MET, AT_RISK, NO_DATA, MET):
        if status in statuses:
            return status
    return TRACKED if TRACKED in statuses else NOT_APPLICABLE


def every_unit_must(threshold: Decimal | None) -> bool:
    """Whether a coverage target asks every unit in scope to meet its condition (a
    target of 100%): only then is a unit that misses the condition failing the target,
    and named for it; under "at least 30%" no one unit fails it."""
    return threshold is not None and threshold >= 100
