"""The outbox of the recompute: a request is a row written with the change, in its
transaction; a recompute deletes the rows it covered when it commits; a drain
recomputes the years that have rows left (``services.recompute``)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from commitments import engine, selectors, services, tasks
from commitments.models import RecomputeRequest, RecomputeState, Status
from tests import factories


def _waiting() -> list[int]:
    return sorted(RecomputeRequest.objects.values_list("year", flat=True))


def _asked(years) -> None:
    services.recompute.recompute_request(years=years)


def test_a_request_is_written_with_the_change_and_announced_once_it_commits(
    catalogue, django_capture_on_commit_callbacks
):
    announced = []

    def receiver(sender, *, years, **kwargs):
        announced.append(years)

    services.recompute.recompute_needed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
            _asked([2021, 2022])
            _asked([2022])
            _asked([2023])
            assert _waiting() == [2021, 2022, 2023]  # in the transaction, before it commits
            assert announced == []
        for callback in callbacks:
            callback()
    finally:
        services.recompute.recompute_needed.disconnect(receiver)
    assert announced == [[2021, 2022, 2023]]  # one announcement for the transaction


def test_a_request_rolled_back_with_its_savepoint_is_asked_again(
    catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        _asked([2021])
        with pytest.raises(RuntimeError), transaction.atomic():
            _asked([2021, 2022])  # 2021 is asked already; 2022 is new, in the savepoint
            _asked([2023])
            raise RuntimeError("the import's second file is refused")
        assert _waiting() == [2021]
        # The outer transaction asks again for what the savepoint lost.
        _asked([2022, 2023])
        assert _waiting() == [2021, 2022, 2023]
    assert sorted(y for c in callbacks for y in c.years) == [2021, 2022, 2023]


def test_saves_each_in_a_savepoint_of_one_transaction_ask_once(
    catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for _ in range(3):
            with transaction.atomic():
                _asked([2021])
    assert _waiting() == [2021]
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_a_request_outside_a_transaction_is_committed_before_its_kick(monkeypatch):
    kicks = []
    monkeypatch.setattr(
        tasks.recompute_pending, "apply_async", lambda **options: kicks.append(_waiting())
    )
    _asked([2021])  # as the admin's "recompute now" does, outside any transaction
    assert kicks == [[2021]]


def test_a_recompute_deletes_the_requests_it_covered_and_no_other(catalogue, monkeypatch):
    _asked([2021, 2022])
    read = selectors.engine_inputs.engine_inputs

    def a_save_commits_meanwhile(*, year):
        RecomputeRequest.objects.create(year=2021, requested_at=timezone.now())
        return read(year=year)

    monkeypatch.setattr(selectors.engine_inputs, "engine_inputs", a_save_commits_meanwhile)
    services.recompute.statuses_recompute(year=2021)
    # 2021's first request is covered; the one written meanwhile and 2022's wait.
    assert _waiting() == [2021, 2022]
    monkeypatch.undo()
    services.recompute.statuses_recompute(year=2021)
    assert _waiting() == [2022]


def test_a_drain_recomputes_each_year_asked_for_once(catalogue, monkeypatch):
    _asked([2021])
    _asked([2021])
    reads = []
    read = selectors.engine_inputs.engine_inputs
    monkeypatch.setattr(
        selectors.engine_inputs,
        "engine_inputs",
        lambda *, year: reads.append(year) or read(year=year),
    )
    assert services.recompute.recompute_drain() == [2021]
    assert services.recompute.recompute_drain() == []
    assert reads == [2021]
    # A drain that finds its year's requests covered by another recompute meanwhile
    # (it waited for that one's lock) does nothing.
    assert services.recompute.statuses_recompute(year=2021, waiting_only=True) is None
    assert reads == [2021]


def test_a_year_that_fails_keeps_its_requests_and_does_not_stop_the_others(catalogue, monkeypatch):
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True)
    factories.figure(desk, "survey_responses", 100)
    factories.figure(desk, "survey_satisfied", 95)
    _asked([2020, 2021])
    compute = engine.compute_statuses

    def fails_for_2020(indicators, data, *, year, as_of):
        if year == 2020:
            raise LookupError("no target for 2020")
        return compute(indicators, data, year=year, as_of=as_of)

    monkeypatch.setattr(engine, "compute_statuses", fails_for_2020)
    with pytest.raises(LookupError):
        services.recompute.recompute_drain()
    assert _waiting() == [2020]
    assert Status.objects.get(indicator__code="4.1", unit=department, quarter=1).value == 95
    failed = RecomputeState.objects.get(year=2020)
    assert failed.failed and failed.pending
    assert failed.behind_since == failed.requested_at  # since the change, not the failure

    monkeypatch.undo()
    assert services.recompute.recompute_drain() == [2020]
    assert _waiting() == []


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite writes one transaction at a time"
)


def _waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_recompute_a_year_once(catalogue, monkeypatch):
    """A kick's drain and the beat's at the same moment: the second waits for the
    year's lock, then finds the requests covered."""
    RecomputeRequest.objects.create(year=2021, requested_at=timezone.now())
    inside, release = threading.Event(), threading.Event()
    reads: list[int] = []
    read = selectors.engine_inputs.engine_inputs

    def held(*, year):
        reads.append(year)
        if len(reads) == 1:
            inside.set()
            release.wait(10)
        return read(year=year)

    monkeypatch.setattr(selectors.engine_inputs, "engine_inputs", held)
    drained: dict[str, list[int]] = {}

    def drain(name: str) -> None:
        try:
            drained[name] = services.recompute.recompute_drain()
        finally:
            connection.close()

    first = threading.Thread(target=drain, args=["first"])
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=drain, args=["second"])
    second.start()
    deadline = time.monotonic() + 10
    while not _waits_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    release.set()
    first.join(10)
    second.join(10)
    assert drained == {"first": [2021], "second": []}
    assert reads == [2021]
    assert not RecomputeRequest.objects.exists()
