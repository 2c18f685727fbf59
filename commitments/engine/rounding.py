"""Rounding half up (làm tròn), for storage and display only: a status is judged on the
exact fraction, then its value is stored to ten places, the fractions of its detail to
four, and the pages and exports show two."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction


def rounded(value: Fraction | Decimal | None, places: int = 2) -> Decimal | None:
    """``value`` rounded half up to ``places`` decimal places (``None`` stays ``None``):
    98.425 reads 98.43, 3.125 reads 3.13."""
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        if isinstance(value, Fraction):
            value = Decimal(value.numerator) / Decimal(value.denominator)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
