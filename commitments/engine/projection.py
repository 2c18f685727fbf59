"""The year-end projection of a ratio (dự báo cuối năm)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from commitments.engine.types import HUNDRED


def project_ratio(quarters: Sequence[tuple[int, int]], remaining: int) -> Fraction | None:
    """Where a ratio's year lands if the quarters so far continue (dự báo cuối năm).

    ``quarters`` are the (numerator, denominator) of the quarters with data, in order.
    Each remaining quarter gets the average volume of the quarters so far and a rate
    that follows the straight-line trend of their rates (least squares), kept within
    0 to 100%; the year is then Σ numerators / Σ denominators as always. With one quarter
    the trend is flat. ``None`` without data.
    """
    observed = [(n, d) for n, d in quarters if d]
    if not observed:
        return None
    numerator = sum(n for n, _ in observed)
    denominator = sum(d for _, d in observed)
    if remaining <= 0:
        return HUNDRED * Fraction(numerator, denominator)
    rates = [Fraction(n, d) for n, d in observed]
    count = len(rates)
    mean_x = Fraction(count - 1, 2)
    mean_rate = sum(rates) / count
    spread = sum((x - mean_x) ** 2 for x in range(count))
    slope = (
        sum((x - mean_x) * (rate - mean_rate) for x, rate in enumerate(rates)) / spread
        if spread
        else Fraction(0)
    )
    volume = Fraction(denominator, count)
    for step in range(remaining):
        rate = mean_rate + slope * (count + step - mean_x)
        rate = min(max(rate, Fraction(0)), Fraction(1))
        numerator += rate * volume
        denominator += volume
    return HUNDRED * numerator / denominator
