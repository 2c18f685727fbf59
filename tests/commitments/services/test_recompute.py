"""The recompute service: set-based, bulk, idempotent."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import services
from commitments.models import Figure, RecomputeState, Status
from tests import factories


def _department_with_desks(count: int):
    """A department with ``count`` receiving desks, each with a quarter of figures."""
    department = factories.department()
    for n in range(count):
        desk = factories.unit(f"desk-{n}", parent=department, receives_dossiers=True)
        factories.figure(desk, "survey_responses", 100)
        factories.figure(desk, "survey_satisfied", 90 + n % 5)
        factories.figure(desk, "dossiers_resolved", 50, category="land")
        factories.figure(desk, "dossiers_on_time", 49, category="land")
    return department


def test_recompute_twice_leaves_the_same_rows(catalogue):
    _department_with_desks(3)
    first = services.recompute.statuses_recompute(year=2021)
    before = {
        (s.pk, s.indicator_id, s.unit_id, s.category, s.quarter, s.value, s.status)
        for s in Status.objects.all()
    }
    second = services.recompute.statuses_recompute(year=2021)
    after = {
        (s.pk, s.indicator_id, s.unit_id, s.category, s.quarter, s.value, s.status)
        for s in Status.objects.all()
    }
    assert first == second == len(before) > 0
    assert before == after  # same rows, updated in place
    state = RecomputeState.objects.get(year=2021)
    assert state.status_count == first


def test_rows_that_no_longer_apply_are_removed(catalogue):
    department = _department_with_desks(1)
    services.recompute.statuses_recompute(year=2021)
    assert Status.objects.filter(indicator__code="5.1", category="land").exists()
    Figure.objects.filter(category__code="land").delete()
    services.recompute.statuses_recompute(year=2021)
    assert not Status.objects.filter(indicator__code="5.1", category="land").exists()
    whole = Status.objects.get(indicator__code="5.1", unit=department, category="", quarter=1)
    assert whole.status == "no_data"


def test_statuses_are_judged_as_of_the_given_date(catalogue):
    department = _department_with_desks(1)
    services.recompute.statuses_recompute(year=2021, as_of=dt.date(2021, 2, 15))
    row = Status.objects.get(indicator__code="4.1", unit=department, quarter=1)
    assert (row.value, row.status) == (90, "at_risk")
    services.recompute.statuses_recompute(year=2021, as_of=dt.date(2021, 4, 1))
    row.refresh_from_db()
    assert row.status == "not_met"


def _recompute_queries() -> tuple[list[str], int, int]:
    """The statements other than the status INSERTs, how many INSERTs, and the rows."""
    with CaptureQueriesContext(connection) as queries:
        written = services.recompute.statuses_recompute(year=2021)
    statements = [q["sql"] for q in queries.captured_queries]
    inserts = [sql for sql in statements if sql.startswith('INSERT INTO "commitments_status"')]
    # Digits vary (savepoint names, timestamps, ids); the statements must not.
    others = [re.sub(r"\d+", "N", sql) for sql in statements if sql not in inserts]
    return others, len(inserts), written


@pytest.mark.parametrize("sizes", [(10, 60)])
def test_recompute_reads_with_the_same_queries_whatever_the_units(catalogue, sizes):
    small, large = sizes
    _department_with_desks(small)
    small_reads, _, small_rows = _recompute_queries()
    Status.objects.all().delete()
    for n in range(small, large):
        desk = factories.unit(
            f"desk-{n}", parent=Figure.objects.first().unit.parent, receives_dossiers=True
        )
        factories.figure(desk, "survey_responses", 100)
        factories.figure(desk, "dossiers_resolved", 50, category="land")
    large_reads, large_inserts, large_rows = _recompute_queries()
    assert large_rows > 3 * small_rows  # more units, many more statuses...
    assert large_reads == small_reads  # ...and not one statement more
    assert len(small_reads) <= 15  # 9 reads, the lock, the delete, the state, savepoints
    # Writes are multi-row INSERTs: as many as the database's batch size requires
    # (SQLite takes ~90 rows a statement, PostgreSQL 2,000).
    per_statement = -(-large_rows // large_inserts)
    assert per_statement >= 80
