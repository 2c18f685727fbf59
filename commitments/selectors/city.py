"""The city view as it reads (toàn thành phố): every department with the sheet that
applies to it in a year, those sheets' commitments and indicators with the shared
definitions they use, and each department's own statuses of one period. Five queries,
whatever the number of departments, sheets and units."""

from __future__ import annotations

from dataclasses import dataclass

from commitments.models import Commitment, Indicator, Sheet, Status, Unit
from commitments.selectors.sheets import department_sheets
from commitments.selectors.statuses import OFFICIAL, Basis


@dataclass(frozen=True)
class CityReading:
    """What the city view is made of (``commitments.city`` shapes it)."""

    sheets: dict[Unit, Sheet]  # each department, by code, with the sheet that applies
    commitments: dict[int, list[Commitment]]  # by sheet id, in the sheet's order
    indicators: dict[int, list[Indicator]]  # by sheet id, in the sheet's order
    statuses: list[Status]  # the departments' wholes of the period


def city_reading(*, year: int, quarter: int, basis: Basis = OFFICIAL) -> CityReading:
    """Every department with its sheet of ``year``, the sheets' commitments and
    indicators (each with its definition, and the elements its target reads its
    categories from), and the departments' whole rows of the period (``quarter`` 0:
    the year to date), official unless ``basis`` asks for the provisional ones. A
    department with no sheet that year is left out."""
    sheets = department_sheets(year=year)
    sheet_ids = {sheet.pk for sheet in sheets.values()}
    commitments: dict[int, list[Commitment]] = {}
    for commitment in Commitment.objects.filter(sheet__in=sheet_ids).order_by("position", "code"):
        commitments.setdefault(commitment.sheet_id, []).append(commitment)
    indicators: dict[int, list[Indicator]] = {}
    by_id: dict[int, Indicator] = {}
    for indicator in (
        Indicator.objects.filter(sheet__in=sheet_ids)
        .select_related("version__definition", "denominator", "element")
        .order_by("commitment__position", "position", "code")
    ):
        indicators.setdefault(indicator.sheet_id, []).append(indicator)
        by_id[indicator.pk] = indicator
    rows = basis.pick(
        basis.statuses()
        .filter(year=year, quarter=quarter, category="", unit__parent__isnull=True)
        .filter(indicator__sheet__in=sheet_ids)
        .order_by("unit_id", "indicator_id", "provisional")
    )
    for row in rows:
        row.indicator = by_id[row.indicator_id]  # read above, with what a page shows
    return CityReading(sheets, commitments, indicators, rows)
