"""The year-end projection of a ratio in an open year (``insights.commitment_cards``),
made as the indicator is judged: for 5.1, "98% in each field, land and investment 96%",
each field's year against its own target, so that the projection never contradicts the
rule the status follows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from commitments import engine, insights
from commitments.models import Indicator, Status
from tests import factories

pytestmark = pytest.mark.django_db

NAMES = {"crop": "Trồng trọt và Bảo vệ thực vật", "land": "Đất đai"}
TARGETS = {"": Decimal(98), "crop": Decimal(98), "land": Decimal(96)}


def _indicator(code: str) -> Indicator:
    return Indicator.objects.select_related("commitment", "denominator", "element").get(code=code)


def _rows(indicator, unit, quarters: dict[str, list[tuple[int, int]]], targets=TARGETS):
    """The rows of an open year so far: each quarter of each category ("" the whole) as
    (on time, resolved), and the year of each; no status is judged here but the
    projection's."""
    rows = []
    for category, figures in quarters.items():
        for quarter, (num, den) in enumerate([*figures, (None, None)], start=1):
            year = quarter == len(figures) + 1
            if year:
                num, den = sum(n for n, _ in figures), sum(d for _, d in figures)
            rows.append(
                Status(
                    indicator=indicator,
                    unit=unit,
                    category=category,
                    year=2026,
                    quarter=engine.YEAR if year else quarter,
                    value=Decimal(100 * num) / den,
                    target=targets[category],
                    comparator=engine.GE,
                    status=engine.MET,
                    detail={"numerator": num, "denominator": den},
                )
            )
    return rows


def _reading(rows, unit) -> insights.IndicatorReading:
    cards = insights.commitment_cards(
        rows, unit=unit, quarter=engine.YEAR, is_open=True, category_names=NAMES, unit_names={}
    )
    return cards[0].indicators[0]


def test_a_field_that_would_miss_its_target_is_named_though_the_whole_would_meet(catalogue):
    unit = factories.department()
    # Crops hold 99% (≥ 98); land falls 97% → 95%, on course for 94% (< 96). The whole,
    # Σ/Σ, stays on course for above 98%.
    rows = _rows(
        _indicator("5.1"),
        unit,
        {
            "crop": [(990, 1000), (990, 1000)],
            "land": [(97, 100), (95, 100)],
            "": [(1087, 1100), (1085, 1100)],
        },
    )
    reading = _reading(rows, unit)
    assert reading.projection > 98  # the whole alone would read "met"
    assert reading.projection_status == engine.NOT_MET
    with translation.override("vi"):
        reading = _reading(rows, unit)
    assert reading.projection_misses == ["Đất đai 94% sẽ không đạt ≥ 96%"]
    assert reading.projection_note == ""


def test_every_field_on_course_for_its_target_is_met_though_the_whole_is_below_98(catalogue):
    unit = factories.department()
    # Land 97% (≥ 96) and crops 99% (≥ 98): the whole, 97.18%, is below 98.
    rows = _rows(
        _indicator("5.1"),
        unit,
        {"crop": [(99, 100)] * 2, "land": [(970, 1000)] * 2, "": [(1069, 1100)] * 2},
    )
    with translation.override("en"):
        reading = _reading(rows, unit)
    assert reading.projection < 98
    assert reading.projection_status == engine.MET
    assert reading.projection_misses == []
    assert reading.projection_note == "every field on track"


def test_a_ratio_judged_as_a_whole_is_projected_as_a_whole(catalogue):
    unit = factories.department()
    indicator = _indicator("4.1")  # satisfaction, ≥ 91%
    rows = _rows(indicator, unit, {"": [(95, 100), (85, 100)]}, targets={"": Decimal(91)})
    reading = _reading(rows, unit)
    # 95% then 85%: on course for 95 + 85 + 75 + 65 = 320 of 400 = 80%.
    assert reading.projection == 80
    assert reading.projection_status == engine.NOT_MET
    assert (reading.projection_misses, reading.projection_note) == ([], "")


# --- a unit against a department's coverage condition ------------------------------------


def _coverage(code: str, status: str) -> Status:
    indicator = _indicator(code)
    threshold = {"3.1": Decimal(30), "6.1": Decimal(100)}[code]
    return Status(
        indicator=indicator,
        category="",
        quarter=engine.YEAR,
        target=threshold,
        comparator=engine.GE,
        status=status,
        detail={"covered_units": ["vp"], "missing": ["cc", "ptc"]},
    )


def test_a_unit_that_misses_a_condition_every_unit_must_meet_fails_it(catalogue):
    assert insights.unit_condition(_coverage("6.1", engine.NOT_MET), "vp") == engine.MET
    assert insights.unit_condition(_coverage("6.1", engine.NOT_MET), "cc") == engine.NOT_MET
    # While the period is open, it is at risk like the department's row.
    assert insights.unit_condition(_coverage("6.1", engine.AT_RISK), "cc") == engine.AT_RISK


def test_a_unit_an_at_least_30_percent_target_does_not_ask_fails_nothing(catalogue):
    row = _coverage("3.1", engine.MET)
    assert insights.unit_condition(row, "cc") == insights.UNCOVERED
    assert insights.unit_condition(row, "vp") == engine.MET
    assert insights.unit_condition(row, "other") is None  # the row does not name it
