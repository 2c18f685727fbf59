"""Tasks, the outbox they drain, and once end to end with a real worker on Redis."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal
from unittest import mock

import pytest
from celery.signals import before_task_publish, task_postrun
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from commitments import engine, selectors, services, tasks
from commitments.models import DataElement, RecomputeRequest, RecomputeState, Status
from commitments.services.figures import FigureInput
from commitments.tabular import Row
from reform.celery import app
from tests import factories
from tests.commitments.shortcuts import mail_recipients


def _receiving_unit():
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True)
    return department, desk


def _figure_saved(unit, element: str, value: int, *, quarter: int = 1) -> None:
    """Save a 2021 figure as the pages and imports do (``figures_save``), which asks
    for the recompute."""
    element = DataElement.objects.get(code=element)
    inputs = [FigureInput(Row(0, {}), 2021, quarter, unit, element, None, value)]
    services.figures.figures_save(inputs=inputs)


@pytest.fixture
def published():
    """The names of the tasks published to the broker during the test."""
    names: list[str] = []

    def record(sender=None, **kwargs):
        names.append(sender)

    before_task_publish.connect(record, weak=False)
    yield names
    before_task_publish.disconnect(record)


def test_recompute_year_task_writes_statuses(catalogue):
    department, desk = _receiving_unit()
    factories.figure(desk, "survey_responses", 100)
    factories.figure(desk, "survey_satisfied", 95)
    written = tasks.recompute_year(2021)
    assert written == Status.objects.filter(year=2021).count() > 0
    row = Status.objects.get(indicator__code="4.1", unit=department, year=2021, quarter=1)
    assert row.value == 95
    assert row.status == "met"


def test_saving_a_figure_queues_a_recompute_on_commit(
    catalogue, django_capture_on_commit_callbacks
):
    department, desk = _receiving_unit()
    with django_capture_on_commit_callbacks(execute=True):
        _figure_saved(desk, "survey_responses", 100)
        _figure_saved(desk, "survey_satisfied", 80)
    row = Status.objects.get(indicator__code="4.1", unit=department, year=2021, quarter=1)
    assert (row.value, row.status) == (80, "not_met")
    assert RecomputeState.objects.get(year=2021).computed_at is not None


def test_a_burst_of_saves_in_one_transaction_queues_one_recompute(
    catalogue, django_capture_on_commit_callbacks, published
):
    app.conf.task_always_eager = False  # publish to the broker; nothing runs here
    _, desk = _receiving_unit()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for quarter in (1, 2, 3, 4):
            _figure_saved(desk, "survey_responses", 10, quarter=quarter)
    assert len(callbacks) == 1
    assert published == ["commitments.tasks.recompute_pending"]
    assert list(RecomputeRequest.objects.values_list("year", flat=True)) == [2021]


@pytest.fixture
def recomputes(monkeypatch):
    """The years each recompute read, in order (one read of the engine's inputs each:
    the year's, or, for a change that names the figures it wrote, what it touched)."""
    years: list[int] = []
    read = selectors.engine_inputs.engine_inputs
    read_part = selectors.part_inputs.part_inputs

    def counted(*, year):
        years.append(year)
        return read(year=year)

    def counted_part(*, year, **part):
        years.append(year)
        return read_part(year=year, **part)

    monkeypatch.setattr(selectors.engine_inputs, "engine_inputs", counted)
    monkeypatch.setattr(selectors.part_inputs, "part_inputs", counted_part)
    return years


def test_saves_in_separate_transactions_are_recomputed_once(
    catalogue, django_capture_on_commit_callbacks, published, recomputes
):
    app.conf.task_always_eager = False
    _, desk = _receiving_unit()
    for quarter in (1, 2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            _figure_saved(desk, "survey_responses", 10, quarter=quarter)
    # Each transaction kicks a drain; the first drain covers the three changes, the
    # others find nothing left.
    assert published == ["commitments.tasks.recompute_pending"] * 3
    assert RecomputeRequest.objects.count() == 3
    assert [tasks.recompute_pending() for _ in published] == [[2021], [], []]
    assert recomputes == [2021]
    assert not RecomputeRequest.objects.exists()

    # The next save asks for the next recompute.
    with django_capture_on_commit_callbacks(execute=True):
        _figure_saved(desk, "survey_responses", 10, quarter=4)
    assert published == ["commitments.tasks.recompute_pending"] * 4
    assert tasks.recompute_pending() == [2021]
    assert recomputes == [2021, 2021]


def test_a_save_during_a_recompute_leads_to_another(catalogue, monkeypatch):
    RecomputeRequest.objects.create(year=2021, requested_at=timezone.now())
    read = selectors.engine_inputs.engine_inputs
    reads = []

    def a_save_commits_meanwhile(*, year):
        # Another transaction's change, committed once this recompute has noted the
        # requests it covers: the figures it reads may miss it.
        reads.append(year)
        if len(reads) == 1:
            RecomputeRequest.objects.create(year=2021, requested_at=timezone.now())
        return read(year=year)

    monkeypatch.setattr(selectors.engine_inputs, "engine_inputs", a_save_commits_meanwhile)
    assert tasks.recompute_pending() == [2021]
    assert RecomputeRequest.objects.count() == 1  # the later change still waits
    assert RecomputeState.objects.get(year=2021).pending
    assert tasks.recompute_pending() == [2021]
    assert not RecomputeRequest.objects.exists()
    assert not RecomputeState.objects.get(year=2021).pending


def test_a_rolled_back_save_queues_nothing(catalogue, published):
    app.conf.task_always_eager = False
    _, desk = _receiving_unit()
    with pytest.raises(RuntimeError), transaction.atomic():
        _figure_saved(desk, "survey_responses", 10)
        raise RuntimeError("rolled back")
    assert published == []
    assert not RecomputeRequest.objects.exists()


def test_a_broker_that_refuses_the_kick_is_logged_and_the_save_stands(
    catalogue, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    department, desk = _receiving_unit()

    def refused(*args, **kwargs):
        raise KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.recompute_pending, "apply_async", refused)
    with django_capture_on_commit_callbacks(execute=True):
        _figure_saved(desk, "survey_responses", 100)
        _figure_saved(desk, "survey_satisfied", 80)
    assert "Queueing the recompute of 2021 failed" in caplog.text
    assert RecomputeRequest.objects.filter(year=2021).count() == 1
    assert RecomputeState.objects.get(year=2021).pending
    assert not Status.objects.filter(unit=desk).exists()

    # The beat's drain, once the broker is back.
    monkeypatch.undo()
    assert tasks.recompute_pending() == [2021]
    row = Status.objects.get(indicator__code="4.1", unit=department, year=2021, quarter=1)
    assert (row.value, row.status) == (80, "not_met")
    assert not RecomputeState.objects.get(year=2021).pending


class WorkerLost(BaseException):
    """What a worker killed mid-run amounts to for its transaction: it never commits."""


def test_a_drain_that_dies_before_committing_leaves_the_requests(catalogue, monkeypatch):
    department, desk = _receiving_unit()
    factories.figure(desk, "survey_responses", 100)
    factories.figure(desk, "survey_satisfied", 95)
    services.recompute.recompute_request(years=[2021])
    delete = QuerySet.delete

    def killed_before_the_commit(queryset):
        if queryset.model is RecomputeRequest:  # the last write before the commit
            raise WorkerLost
        return delete(queryset)

    monkeypatch.setattr(QuerySet, "delete", killed_before_the_commit)
    with pytest.raises(WorkerLost):
        tasks.recompute_pending()
    assert not Status.objects.filter(unit=desk).exists()  # its writes rolled back
    assert RecomputeRequest.objects.filter(year=2021).count() == 1

    monkeypatch.undo()
    assert tasks.recompute_pending() == [2021]  # the next drain: redelivered, or the beat
    row = Status.objects.get(indicator__code="4.1", unit=department, year=2021, quarter=1)
    assert row.value == 95
    assert not RecomputeRequest.objects.exists()


@pytest.mark.parametrize("task", [tasks.recompute_year, tasks.recompute_pending])
def test_a_recompute_whose_worker_dies_goes_back_to_the_queue(task):
    assert task.acks_late and task.reject_on_worker_lost


def test_a_failing_recompute_task_records_why_and_still_raises(catalogue, monkeypatch):
    _, desk = _receiving_unit()
    factories.figure(desk, "survey_responses", 100)

    def broken(*args, **kwargs):
        raise LookupError("no target for 4.1")

    monkeypatch.setattr(engine, "compute_statuses", broken)
    with pytest.raises(LookupError):
        tasks.recompute_year.delay(2021)
    state = RecomputeState.objects.get(year=2021)
    assert state.failed and state.last_error == "LookupError: no target for 4.1"
    assert not Status.objects.filter(unit=desk).exists()

    monkeypatch.undo()
    tasks.recompute_year.delay(2021)
    state.refresh_from_db()
    assert not state.failed and state.last_error == ""
    assert Status.objects.filter(unit=desk).exists()


def test_a_recompute_task_retries_a_database_error_and_records_each_failure(catalogue, monkeypatch):
    attempts = []

    def unreachable(*args, **kwargs):
        attempts.append(1)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(engine, "compute_statuses", unreachable)
    # In process, each retry runs at once instead of raising Retry to a worker.
    propagates, app.conf.task_eager_propagates = app.conf.task_eager_propagates, False
    try:
        result = tasks.recompute_year.delay(2021)
    finally:
        app.conf.task_eager_propagates = propagates
    assert isinstance(result.result, OperationalError)
    assert len(attempts) == 1 + tasks.recompute_year.max_retries
    assert RecomputeState.objects.get(year=2021).last_error == (
        "OperationalError: server closed the connection unexpectedly"
    )


def test_recompute_all_queues_every_year_with_targets(catalogue):
    assert tasks.recompute_all() == [2021]


def test_nightly_schedule_names_a_registered_task():
    schedule = settings.CELERY_BEAT_SCHEDULE["recompute-nightly"]
    assert schedule["task"] in app.tasks


def test_the_beat_drains_the_outbox_every_minute():
    schedule = settings.CELERY_BEAT_SCHEDULE["recompute-pending"]
    assert schedule["task"] == tasks.recompute_pending.name
    assert schedule["task"] in app.tasks
    assert schedule["schedule"] == dt.timedelta(minutes=1)
    assert schedule["options"]["expires"] <= 60  # missed minutes do not pile up


def test_the_task_reminds_with_the_local_date(reminder_units, django_capture_on_commit_callbacks):
    with (
        mock.patch("django.utils.timezone.localdate", return_value=dt.date(2021, 4, 15)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.report_reminders() == 3
        assert tasks.report_reminders() == 0
    assert mail_recipients() == ["hoa@so.gov.vn", "lan@so.gov.vn", "minh@so.gov.vn"]


# --- a real worker on the Redis broker ---------------------------------------

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set")


@pytest.fixture
def celery_app():
    """Our own app, publishing to the real broker."""
    app.conf.task_always_eager = False
    app.control.purge()  # messages left by an earlier run must not reach this worker
    yield app
    app.conf.task_always_eager = True


@pytest.fixture
def celery_worker_parameters():
    # No result backend: the ping check would wait for a result it cannot get.
    return {"perform_ping_check": False}


@pytest.fixture
def executed():
    """Task names the worker ran; the worker thread closes its database connections
    after each task so the test database can be dropped at the end."""
    names: list[str] = []
    done = threading.Event()

    def after(sender=None, **kwargs):
        names.append(sender.name)
        connections.close_all()
        done.set()

    task_postrun.connect(after, weak=False)
    yield names, done
    task_postrun.disconnect(after)


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@needs_redis
@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_recomputes_after_a_figure_is_saved(
    settings, celery_app, celery_worker, executed, recomputes
):
    settings.RECOMPUTE_DELAY_SECONDS = 1
    names, _ = executed
    services.catalogue.catalogue_load(name="hcmc-dard-2021")
    assert _wait_for(lambda: "commitments.tasks.recompute_pending" in names)
    assert _wait_for(lambda: not RecomputeRequest.objects.exists())
    names.clear()
    recomputes.clear()
    department, desk = _receiving_unit()

    # A burst of saves, each in its own transaction: one recompute covers them all.
    _figure_saved(desk, "survey_responses", 200)
    _figure_saved(desk, "survey_satisfied", 181)
    _figure_saved(desk, "survey_responses", 100, quarter=2)

    def computed():
        row = Status.objects.filter(
            indicator__code="4.1", unit=department, year=2021, quarter=0
        ).first()
        return row is not None and row.value is not None

    assert _wait_for(computed), "the worker did not recompute the year"
    row = Status.objects.get(indicator__code="4.1", unit=department, year=2021, quarter=0)
    # Year to date: 181 satisfied / 300 responses = 60.33%, short of 91%.
    assert round(row.value, 2) == Decimal("60.33")
    assert row.status == "not_met"
    # Each save kicked a drain; the first covered the three.
    assert _wait_for(lambda: len(names) == 3)
    assert names == ["commitments.tasks.recompute_pending"] * 3
    assert recomputes == [2021]
    assert RecomputeState.objects.get(year=2021).pending is False
