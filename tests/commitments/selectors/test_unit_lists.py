"""A coverage row read by a page without its whole lists of units
(``selectors.unit_lists``): what the page says is what the whole row says.

A country's root names thousands of units in each coverage row. The pages read the
first few of those missing and how many there are in all, or, for one unit, whether
the row counts it; on PostgreSQL the database cuts the lists, the embedded SQLite
reads them whole. Either way the page's answers are those of the whole row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from commitments import access, engine, insights, print_report, selectors
from commitments.models import Indicator, Status
from commitments.models.statuses import LISTED_KEPT
from commitments.selectors import unit_lists
from tests import factories

# More than a page names, and than the printed report names, so that "… and N other
# units" has to count past the cut.
MISSING = [f"unit-m{n:03}" for n in range(230)]
COVERED = [f"unit-c{n:03}" for n in range(31)]
CUT_IN_SQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the embedded SQLite reads the lists whole"
)


@pytest.fixture
def department(catalogue):
    department = factories.department()
    coverage = Indicator.objects.get(code="4.4")
    ratio = Indicator.objects.get(code="4.1")
    common = {
        "unit": department,
        "year": 2021,
        "category": "",
        "target": Decimal(100),  # every unit must: one missing fails it
        "computed_at": factories.utc(2021, 4, 10, 8, 0),
    }
    Status.objects.bulk_create(
        [
            Status(
                indicator=coverage,
                quarter=quarter,
                value=Decimal(35),
                comparator=engine.GE,
                status=engine.NOT_MET,
                detail={
                    "units": 88,
                    "covered": 31,
                    "covered_units": COVERED,
                    "missing": MISSING,
                },
                **common,
            )
            for quarter in (1, engine.YEAR)
        ]
        + [
            # A row whose kind names no units, and one whose list is stored as null.
            Status(indicator=ratio, quarter=1, value=Decimal(95), comparator=engine.GE,
                   status=engine.MET, detail={"numerator": 95, "denominator": 100}, **common),
            Status(indicator=ratio, quarter=engine.YEAR, value=None, comparator=engine.GE,
                   status=engine.NO_DATA, detail={"numerator": None, "missing": None},
                   **common),
        ]
    )  # fmt: skip
    return department


def _whole(status: Status) -> engine.Detail:
    return Status.objects.get(pk=status.pk).facts


def test_a_page_names_the_first_units_missing_and_counts_them_all(department):
    rows = selectors.statuses.year_statuses(year=2021, unit=department)
    coverage = [row for row in rows if row.indicator.code == "4.4"]
    assert len(coverage) == 2
    for row in coverage:
        whole = _whole(row)
        named = row.facts.missing[: insights.NAMED_AT_MOST]
        assert named == tuple(MISSING[: insights.NAMED_AT_MOST])
        assert row.facts.missing_total == whole.missing_total == len(MISSING)
        # What the row says of its units in words is the whole row's.
        names = {code: code.upper() for code in MISSING}
        assert insights.named_units(
            row.facts.missing, names, row.facts.missing_total
        ) == insights.named_units(whole.missing, names)
        assert "220" in insights.named_units(row.facts.missing, names, row.facts.missing_total)
        # Everything else in the detail is read as stored.
        assert (row.facts.units, row.facts.covered) == (88, 31)


def test_a_row_without_lists_of_units_reads_as_stored(department):
    rows = selectors.statuses.year_statuses(year=2021, unit=department)
    for row in (row for row in rows if row.indicator.code == "4.1"):
        assert row.facts == _whole(row)
        assert row.facts.missing_total == 0


@pytest.mark.parametrize(
    ("code", "state"),
    [(COVERED[7], engine.MET), (MISSING[40], engine.NOT_MET), ("unit-elsewhere", None)],
)
def test_one_units_standing_is_the_whole_rows(department, code, state):
    rows = selectors.statuses.coverage_statuses(year=2021, quarter=1, codes=[code])
    assert [row.indicator.code for row in rows] == ["4.4"]
    (row,) = rows
    assert insights.unit_condition(row, code) == state
    assert insights.unit_condition(Status.objects.get(pk=row.pk), code) == state


def test_the_printed_report_counts_every_unit_it_does_not_name(department):
    report = print_report.period_report(year=2021, quarter=1, scope=access.ALL_UNITS)
    (section,) = report.departments
    (missing,) = section.units_missing
    assert missing.units == MISSING[: print_report.UNITS_LISTED]  # no such units: codes
    assert missing.more == len(MISSING) - print_report.UNITS_LISTED == 30


@CUT_IN_SQL
def test_on_postgresql_the_database_cuts_the_lists(department):
    row = unit_lists.adopted(
        unit_lists.listed(Status.objects.filter(indicator__code="4.4", quarter=1), listed=3).get()
    )
    assert row.detail["missing"] == MISSING[:3]
    assert row.detail["covered_units"] == []
    assert row.detail["missing_count"] == len(MISSING)
    asked = [MISSING[5], COVERED[2], "unit-elsewhere"]
    row = unit_lists.adopted(
        unit_lists.listed(
            Status.objects.filter(indicator__code="4.4", quarter=1), codes=asked
        ).get()
    )
    assert row.detail["missing"] == [MISSING[5]]
    assert row.detail["covered_units"] == [COVERED[2]]


@CUT_IN_SQL
def test_on_postgresql_the_database_keeps_each_rows_short_form(department):
    """What a page reads of a row with lists is kept as the row is written: the lists
    cut to ``LISTED_KEPT``, the count of the whole; a row without lists keeps none."""
    kept = dict(Status.objects.values_list("indicator__code", "detail_listed").filter(quarter=1))
    assert kept["4.4"] == {
        "units": 88,
        "covered": 31,
        "covered_units": [],
        "missing": MISSING[:LISTED_KEPT],
        "missing_count": len(MISSING),
    }
    assert kept["4.1"] is None
    assert Status.objects.get(indicator__code="4.1", quarter=engine.YEAR).detail_listed is None
    # Written again (as the recompute upserts it), the short form follows.
    Status.objects.filter(indicator__code="4.4").update(
        detail={"units": 3, "covered": 1, "covered_units": ["a"], "missing": ["b", "c"]}
    )
    assert Status.objects.filter(indicator__code="4.4", quarter=1).get().detail_listed == {
        "units": 3,
        "covered": 1,
        "covered_units": [],
        "missing": ["b", "c"],
        "missing_count": 2,
    }


@CUT_IN_SQL
def test_a_page_reads_the_short_form_and_asking_for_more_reads_the_whole(department):
    coverage = Status.objects.filter(indicator__code="4.4", quarter=1)
    query = str(unit_lists.listed(coverage, listed=3).query)
    assert '"detail_listed" IS NULL THEN "commitments_status"."detail"' in query
    for listed in (LISTED_KEPT, LISTED_KEPT + 20):
        row = unit_lists.adopted(unit_lists.listed(coverage, listed=listed).get())
        assert row.detail["missing"] == MISSING[:listed]
        assert row.detail["missing_count"] == len(MISSING)
        assert row.detail["covered_units"] == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL cuts them")
def test_on_sqlite_the_lists_are_read_whole(department):
    row = unit_lists.adopted(
        unit_lists.listed(Status.objects.filter(indicator__code="4.4", quarter=1), listed=3).get()
    )
    assert row.detail["missing"] == MISSING
    assert Status.objects.filter(detail_listed__isnull=False).count() == 0
