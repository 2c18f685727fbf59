"""The city view's table (``commitments.city``), from rows built in memory: how the
departments are ranked, what each count holds, and which definitions are compared."""

from __future__ import annotations

from decimal import Decimal

from commitments import city, engine
from commitments.models import (
    Commitment,
    DefinitionVersion,
    Indicator,
    IndicatorDefinition,
    Sheet,
    Status,
    Unit,
)
from commitments.selectors.city import CityReading


def _row(code: str, *statuses: str) -> city.DepartmentRow:
    """A department whose sheet's commitments have these statuses ("" none judged)."""
    cells = [
        city.CommitmentCell(Commitment(code=str(n)), status, (), "", ())
        for n, status in enumerate(statuses, start=1)
    ]
    return city.DepartmentRow(Unit(code=code), Sheet(), cells)


def _ranked(*rows: city.DepartmentRow) -> list[str]:
    return [row.department.code for row in sorted(rows, key=city.DepartmentRow.rank_key)]


MET, AT_RISK, NOT_MET = engine.MET, engine.AT_RISK, engine.NOT_MET


def test_departments_are_ranked_by_shares_not_counts():
    # Two of four not met (a half) is worse than three of nine (a third).
    small = _row("so-a", NOT_MET, NOT_MET, MET, MET)
    large = _row("so-b", NOT_MET, NOT_MET, NOT_MET, *[MET] * 6)
    assert _ranked(large, small) == ["so-a", "so-b"]


def test_ties_on_failures_go_to_the_share_at_risk_then_the_smallest_share_met():
    risky = _row("so-a", NOT_MET, AT_RISK, MET, MET)
    calm = _row("so-b", NOT_MET, MET, MET, MET)
    unjudged = _row("so-c", NOT_MET, "", "", MET)
    assert _ranked(calm, unjudged, risky) == ["so-a", "so-c", "so-b"]


def test_a_sheet_without_commitments_comes_last():
    assert _ranked(_row("so-a"), _row("so-b", MET)) == ["so-b", "so-a"]


def test_what_is_not_judged_counts_apart():
    row = _row("so-a", MET, engine.NO_DATA, engine.TRACKED, "", NOT_MET)
    assert row.counts == [(MET, 1), (AT_RISK, 0), (NOT_MET, 1), (city.UNJUDGED, 3)]
    assert row.met_percent == 20
    assert _row("so-b", MET, *[NOT_MET] * 7).met_percent == 13  # 12.5, rounded half up


def _department(pk: int, code: str, sheet_pk: int, definitions, judged):
    """A department with its own sheet: an indicator for each of ``definitions`` (its
    commitment "1"), and a met row of the period for those in ``judged``."""
    unit = Unit(pk=pk, code=code, kind="department")
    sheet = Sheet(pk=sheet_pk, department=unit, year=2021)
    commitment = Commitment(pk=sheet_pk, sheet=sheet, code="1")
    indicators, rows = [], []
    for n, definition in enumerate(definitions, start=1):
        version = DefinitionVersion(pk=definition.pk, definition=definition, valid_from=2021)
        indicator = Indicator(
            pk=sheet_pk * 100 + n, sheet=sheet, commitment=commitment, version=version,
            code=f"1.{n}", kind=engine.RATIO, short_name_vi=f"Ngắn {definition.code}",
        )  # fmt: skip
        indicators.append(indicator)
        if definition.code in judged:
            rows.append(
                Status(indicator=indicator, unit=unit, status=MET, value=Decimal(90), year=2021)
            )
    return unit, sheet, commitment, indicators, rows


def test_a_definition_is_compared_when_two_departments_use_it_and_one_is_judged():
    shared, alone, yearly = (
        IndicatorDefinition(pk=n, code=code, position=n)
        for n, code in enumerate(("satisfaction", "own", "yearly"), start=1)
    )
    a = _department(1, "so-a", 1, [shared, alone, yearly], {"satisfaction", "own"})
    b = _department(2, "so-b", 2, [shared, yearly], {"satisfaction"})
    reading = CityReading(
        sheets={a[0]: a[1], b[0]: b[1]},
        commitments={1: [a[2]], 2: [b[2]]},
        indicators={1: a[3], 2: b[3]},
        statuses=a[4] + b[4],
    )
    rows, columns = city.city_table(reading, category_names={})
    # "own" is one department's; "yearly" is judged in neither: neither is compared.
    assert [c.definition.code for c in columns] == ["satisfaction"]
    assert columns[0].label == "Ngắn satisfaction"
    assert [[cell.status for cell in row.shared] for row in rows] == [[MET], [MET]]
    assert {row.department.code: row.cells[0].status for row in rows} == {
        "so-a": MET,
        "so-b": MET,
    }
