"""The recompute service: set-based, bulk, idempotent, fast at national scale, and what
it stores behind each status reads back by attribute."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import engine, services
from commitments.demo import demo_load
from commitments.models import (
    Category,
    DataElement,
    Figure,
    RecomputeRequest,
    RecomputeState,
    Sheet,
    Status,
    Unit,
)
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


# --- a recompute that fails ------------------------------------------------------------


def _statuses_as_stored() -> set[tuple]:
    return {(s.pk, s.value, s.status, s.computed_at) for s in Status.every.all()}


def test_a_failed_recompute_is_recorded_and_a_successful_one_clears_it(catalogue, monkeypatch):
    _department_with_desks(2)
    services.recompute.statuses_recompute(year=2021)
    before = _statuses_as_stored()
    computed_at = RecomputeState.objects.get(year=2021).computed_at

    def broken(*args, **kwargs):
        raise ValueError("the figures of\n  desk-1 are unreadable " + "x" * 400)

    monkeypatch.setattr(engine, "compute_statuses", broken)
    with pytest.raises(ValueError, match="unreadable"):
        services.recompute.statuses_recompute(year=2021)
    state = RecomputeState.objects.get(year=2021)
    assert state.computed_at == computed_at
    assert state.failed_at > computed_at
    assert state.failed and state.behind_since == state.failed_at
    # One line a page can show: the class and the message, shortened; no traceback.
    assert state.last_error.startswith("ValueError: the figures of desk-1 are unreadable xx")
    assert "\n" not in state.last_error and len(state.last_error) <= 300
    assert state.last_error.endswith("…")
    assert _statuses_as_stored() == before

    monkeypatch.undo()
    services.recompute.statuses_recompute(year=2021)
    state.refresh_from_db()
    assert (state.failed_at, state.last_error) == (None, "")
    assert state.computed_at > computed_at
    assert not state.failed and state.behind_since is None


def test_a_recompute_failing_after_its_writes_rolls_them_back_but_not_the_failure(
    catalogue, monkeypatch
):
    _department_with_desks(2)
    services.recompute.statuses_recompute(year=2021)
    before = _statuses_as_stored()
    save = RecomputeState.save

    def save_fails_at_the_end(state, *args, **kwargs):
        if "computed_at" in kwargs.get("update_fields", []):
            raise RuntimeError("disk full")
        return save(state, *args, **kwargs)

    # The statuses are upserted and the stale ones deleted before the state is saved.
    monkeypatch.setattr(RecomputeState, "save", save_fails_at_the_end)
    with pytest.raises(RuntimeError):
        services.recompute.statuses_recompute(year=2021)
    assert _statuses_as_stored() == before
    assert RecomputeState.objects.get(year=2021).last_error == "RuntimeError: disk full"


def test_a_first_recompute_that_fails_leaves_a_state_saying_so(catalogue, monkeypatch):
    RecomputeState.objects.all().delete()
    monkeypatch.setattr(engine, "compute_statuses", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.recompute.statuses_recompute(year=2021)
    state = RecomputeState.objects.get(year=2021)
    assert state.computed_at is None and state.failed
    assert state.last_error == "ZeroDivisionError: division by zero"


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
    # (SQLite's 999 parameters over the status's columns, ~76 rows; PostgreSQL 2,000).
    # (The columns the database computes itself are not written.)
    columns = [f for f in Status._meta.concrete_fields if not f.primary_key and not f.generated]
    batch = min(2000, connection.ops.bulk_batch_size(columns, [None] * large_rows))
    assert batch >= 70
    assert large_inserts == -(-large_rows // batch)


def _in_lists_folded(statements: list[str]) -> list[str]:
    return [re.sub(r"IN \((?:N, )*N\)", "IN (…)", sql) for sql in statements]


def _departments_with_sheets(numbers: range) -> None:
    """Departments ``so-<n>``, each with a desk and its figures, and a sheet of its own
    started from DARD's (the catalogue's, which then applies to none of them)."""
    catalogue_sheet = Sheet.objects.get(code="hcmc-dard-2021")
    for n in numbers:
        department = factories.unit(f"so-{n}", kind="department")
        desk = factories.unit(f"so-{n}-vp", parent=department, receives_dossiers=True)
        factories.figure(desk, "survey_responses", 100)
        factories.figure(desk, "survey_satisfied", 90 + n % 5)
        services.targets.sheet_copy(sheet=catalogue_sheet, year=2021, department=department)


def test_recompute_reads_with_the_same_queries_whatever_the_departments_and_sheets(catalogue):
    _departments_with_sheets(range(2))
    RecomputeRequest.objects.all().delete()  # the same outbox both times: empty
    few_reads, _, few_rows = _recompute_queries()
    Status.objects.all().delete()
    _departments_with_sheets(range(2, 40))
    RecomputeRequest.objects.all().delete()
    many_reads, _, many_rows = _recompute_queries()
    assert many_rows == 20 * few_rows  # 40 departments judged, each on its own sheet...
    # ...with not one statement more (the overrides of more targets are read at once).
    assert _in_lists_folded(many_reads) == _in_lists_folded(few_reads)
    desk_row = Status.objects.get(unit__code="so-39-vp", indicator__code="4.1", quarter=1)
    assert desk_row.indicator.sheet.department.code == "so-39"
    assert (desk_row.value, desk_row.status) == (94, "met")


# --- national scale: 500 units with a full year of figures ---------------------------

UNITS = 500


def _build(units: int) -> int:
    """A department with ``units`` receiving desks and four quarters of figures each:
    dossiers in three fields, satisfaction, documents. Returns the figures written."""
    department = Unit.objects.create(code="root", name="Sở", kind="department")
    desks = Unit.objects.bulk_create(
        Unit(
            code=f"u{n}",
            name=f"Đơn vị {n}",
            parent=department,
            kind="affiliated_unit",
            receives_dossiers=True,
        )
        for n in range(units)
    )
    element = {e.code: e for e in DataElement.objects.all()}
    fields = list(Category.objects.filter(code__in=["land", "crop", "fisheries"]))
    figures = []
    for desk in desks:
        for quarter in (1, 2, 3, 4):
            for field in fields:
                for code, value in (("dossiers_resolved", 100), ("dossiers_on_time", 98)):
                    figures.append(
                        Figure(
                            year=2021,
                            quarter=quarter,
                            unit=desk,
                            element=element[code],
                            category=field,
                            value=value,
                        )
                    )
            for code, value in (
                ("survey_responses", 50),
                ("survey_satisfied", 46),
                ("docs_issued", 40),
                ("docs_signed_digitally", 30),
            ):
                figures.append(
                    Figure(
                        year=2021, quarter=quarter, unit=desk, element=element[code], value=value
                    )
                )
    Figure.objects.bulk_create(figures, batch_size=2000)
    return len(figures)


def test_recompute_of_500_units_takes_seconds_not_minutes(catalogue, capsys):
    figures = _build(UNITS)
    started = time.perf_counter()
    written = services.recompute.statuses_recompute(year=2021)
    elapsed = time.perf_counter() - started
    assert written == Status.objects.filter(year=2021).count()
    assert written > 20 * UNITS
    with capsys.disabled():
        print(
            f"\nrecompute: {UNITS} units, {figures} figures -> {written} statuses in {elapsed:.2f} s"
        )
    assert elapsed < 30  # a generous bound for a 2-core CI machine; typically a few seconds


# --- the numbers behind each value, as stored (engine.Detail, Status.facts) ----------

# Every field of a detail but the count a page reads beside a cut list of units
# (``selectors.unit_lists``), which the recompute never stores.
FIELDS = {f.name for f in dataclasses.fields(engine.Detail)} - {"missing_count"}


@pytest.mark.django_db
def test_every_key_the_recompute_stores_reads_back_by_attribute():
    demo_load(as_of=dt.date(2022, 3, 31))
    statuses = list(Status.objects.all())
    assert statuses
    seen: set[str] = set()
    for status in statuses:
        assert set(status.detail) <= FIELDS, status.detail
        seen.update(status.detail)
        # What is stored without a value reads as unset.
        stored = {
            k: v for k, v in status.detail.items() if v is not None and v is not False and v != []
        }
        assert status.facts.to_json() == stored
    # The demo stores every key an engine kind emits; "error" only a row that failed.
    assert seen == FIELDS - {"error"}
