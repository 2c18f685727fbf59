"""A worker killed in the middle of a recompute (SIGKILL, as the kernel's out-of-memory
killer or an operator does it): nothing it wrote stays, the change it was covering
still waits in the outbox, and its year is recomputed, by the task handed back to the
queue when only the pool process died, or by the beat's drain once a worker is back.

To kill it in the middle, the test holds the change's request row: the recompute
writes every status, then waits for that row at its last write, before it commits."""

from __future__ import annotations

import contextlib
import os
import re
import signal

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from commitments import selectors, services
from commitments.models import RecomputeRequest
from reform.celery import app
from tests.faults.outages import land_on_time, nothing_waits, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _saved(world, *, on_time: int) -> None:
    report = selectors.reports.report_for(unit=world["desk"], year=2021, quarter=2)
    services.reports.report_save(
        report=report,
        values={("dossiers_resolved", "land"): "100", ("dossiers_on_time", "land"): str(on_time)},
        version=report.version,
        user=world["staff"],
    )


@contextlib.contextmanager
def _held_requests():
    """The requests waiting now, locked from another connection until the block ends."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    ) as other:
        other.execute("SELECT id FROM commitments_recomputerequest FOR UPDATE")
        yield
        other.rollback()


def _a_recompute_waits_for_the_held_row() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query LIKE 'DELETE%recomputerequest%'"
        )
        return cursor.fetchone()[0] == 1


def _only_this_connection() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] == 0


@pytest.fixture
def started(world, worker, broker, settings):
    """The world's statuses computed by a running worker; a save's kick leaves the test
    time to hold its request before the worker takes it."""
    worker.start()
    assert wait_for(nothing_waits), worker.text()[-3000:]
    settings.RECOMPUTE_DELAY_SECONDS = 3
    return worker


def test_a_pool_process_killed_mid_recompute_hands_its_task_back(world, started):
    worker = started
    seen = len(worker.text())
    _saved(world, on_time=50)
    with _held_requests():
        assert wait_for(_a_recompute_waits_for_the_held_row, timeout=15), worker.text()[seen:]
        worker_pid = worker.process.pid
        os.kill(worker.pool_process(), signal.SIGKILL)
        # The worker notices the loss and puts the task back in the queue.
        assert wait_for(lambda: "WorkerLostError" in worker.text()[seen:], timeout=15)
    assert wait_for(lambda: land_on_time(world) == 50 and nothing_waits(), timeout=30), (
        worker.text()[seen:]
    )
    assert worker.process.pid == worker_pid  # the same worker, a new pool process
    log = worker.text()[seen:]
    kicks = set(re.findall(r"recompute_pending\[([0-9a-f-]+)\] received", log))
    assert len(kicks) == 1  # one kick, run twice: handed back, not re-sent
    assert f"recompute_pending[{kicks.pop()}] succeeded" in log


def test_a_worker_killed_mid_recompute_leaves_its_year_to_the_next_drain(world, started):
    worker = started
    _saved(world, on_time=50)
    with _held_requests():
        assert wait_for(_a_recompute_waits_for_the_held_row, timeout=15), worker.text()[-3000:]
        worker.kill()  # the worker and its pool process: nothing is handed back
    # Its database session ends without a commit: nothing it wrote stays.
    assert wait_for(_only_this_connection, timeout=15)
    assert RecomputeRequest.objects.filter(year=2021).exists()
    assert land_on_time(world) is None

    # A worker is back; the beat's next minute queues a drain that repairs the year.
    seen = len(worker.text())
    worker.start()
    app.send_task(settings.CELERY_BEAT_SCHEDULE["recompute-pending"]["task"])
    assert wait_for(lambda: land_on_time(world) == 50 and nothing_waits(), timeout=30), (
        worker.text()[seen:]
    )
