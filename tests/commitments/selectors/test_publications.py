"""Which periods may be published and how ready a department's period is: its units'
reports (``selectors.publications``)."""

from __future__ import annotations

import datetime as dt

import pytest

from commitments import selectors
from commitments.models import QuarterlyReport, Unit
from tests import factories


def test_a_period_is_over_the_day_after_its_last_day():
    ended = selectors.publications.period_ended
    assert not ended(year=2021, quarter=1, today=dt.date(2021, 3, 31))
    assert ended(year=2021, quarter=1, today=dt.date(2021, 4, 1))
    assert not ended(year=2021, quarter=0, today=dt.date(2021, 12, 31))
    assert not ended(year=2021, quarter=0, today=dt.date(2021, 10, 1))  # Q3 is over
    assert ended(year=2021, quarter=0, today=dt.date(2022, 1, 1))


# --- how ready a period is to be published ----------------------------------------------


def test_readiness_counts_each_state_of_a_quarter_and_names_the_units_behind(mix):
    """conftest.py's ``mix``: one unit in each situation of Q1 2021."""
    readiness = selectors.publications.publish_readiness(
        department=mix["department"], year=2021, quarter=1
    )
    assert (readiness.expected, readiness.approved, readiness.complete) == (7, 1, False)
    (q1,) = readiness.quarters
    # Approved; on time, late and resubmitted; a draft and a returned one; not started.
    assert (q1.quarter, q1.approved, q1.submitted, q1.being_written, q1.not_started) == (
        1,
        1,
        3,
        2,
        1,
    )
    # Furthest behind first: not started, being written, waiting for a decision.
    assert [(row.unit.code, row.behind) for row in readiness.missing] == [
        ("u1-chua", ((1, "not_started"),)),
        ("u2-nhap", ((1, "draft"),)),
        ("u3-tralai", ((1, "returned"),)),
        ("a1-dunghan", ((1, "submitted"),)),
        ("a2-muon", ((1, "submitted"),)),
        ("a4-guilai", ((1, "submitted"),)),
    ]
    assert readiness.as_json() == {"expected": 7, "approved": 1}


def test_the_year_is_ready_for_a_unit_when_its_four_quarters_are_approved(mix):
    approved = QuarterlyReport.State.APPROVED
    for quarter in (2, 3, 4):
        factories.report(mix["approved"], quarter=quarter, state=approved)
        factories.report(mix["draft"], quarter=quarter, state=approved)
    readiness = selectors.publications.publish_readiness(
        department=mix["department"], year=2021, quarter=0
    )
    assert [q.quarter for q in readiness.quarters] == [1, 2, 3, 4]
    assert [(q.approved, q.not_started) for q in readiness.quarters] == [
        (1, 1),
        (2, 5),
        (2, 5),
        (2, 5),
    ]
    assert (readiness.expected, readiness.approved) == (7, 1)
    behind = {row.unit.code: row.behind for row in readiness.missing}
    assert "a3-duyet" not in behind
    # A draft in Q1 and nothing else behind.
    assert behind["u2-nhap"] == ((1, "draft"),)
    assert behind["a1-dunghan"] == (
        (1, "submitted"),
        (2, "not_started"),
        (3, "not_started"),
        (4, "not_started"),
    )


def test_readiness_counts_the_units_of_the_department_only(mix):
    other = factories.department("so-khac")
    factories.unit("khac-phong", parent=other)
    factories.report(factories.unit("khac-duyet", parent=other), state="approved")
    readiness = selectors.publications.publish_readiness(department=other, year=2021, quarter=1)
    assert [row.unit.code for row in readiness.units] == ["khac-duyet", "khac-phong"]
    assert (readiness.expected, readiness.approved) == (2, 1)
    # Nor does the department count the other's units.
    mine = selectors.publications.publish_readiness(
        department=mix["department"], year=2021, quarter=1
    )
    assert mine.expected == 7


def test_a_department_without_units_is_ready(db):
    readiness = selectors.publications.publish_readiness(
        department=factories.department(), year=2021, quarter=1
    )
    assert (readiness.expected, readiness.approved, readiness.complete) == (0, 0, True)


@pytest.mark.parametrize("count", [5, 60])
def test_readiness_reads_three_queries_whatever_the_number_of_units(
    db, django_assert_num_queries, count
):
    department = factories.department()
    for n in range(count):
        unit = factories.unit(f"dv-{n:03}", parent=department)
        for quarter in (1, 2, 3):
            factories.report(unit, quarter=quarter, state="approved" if n % 2 else "draft")
    department = Unit.objects.get(pk=department.pk)
    with django_assert_num_queries(3):  # the tree, the units, their reports
        readiness = selectors.publications.publish_readiness(
            department=department, year=2021, quarter=0
        )
        missing = readiness.missing
    assert len(missing) == count
    assert readiness.quarters[0].approved == count // 2


def test_a_publication_keeps_its_readiness_or_says_nothing():
    read = selectors.publications.published_readiness
    assert read({"commitments": []}) is None  # published before it was kept
    kept = read({"readiness": {"expected": 16, "approved": 14}})
    assert (kept.approved, kept.expected, kept.complete) == (14, 16, False)
    assert read({"readiness": {"expected": 16, "approved": 16}}).complete
