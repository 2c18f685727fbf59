"""Rounding half up (làm tròn), for storage and display only: a status is judged on the
exact fraction, then its value is stored to ten places, the fractions of its detail to
four, and the pages and exports show two."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

# Enough digits for any value a status stores; one context, not one per call (the
# recompute rounds every value it stores).
_CONTEXT = Context(prec=60)
_STEPS = {places: Decimal(1).scaleb(-places) for places in range(12)}


def rounded(value: Fraction | Decimal | None, places: int = 2) -> Decimal | None:
    """``value`` rounded half up to ``places`` decimal places (``None`` stays ``None``):
    98.425 reads 98.43, 3.125 reads 3.13."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
    step = _STEPS.get(places) or Decimal(1).scaleb(-places)
    return value.quantize(step, rounding=ROUND_HALF_UP, context=_CONTEXT)
