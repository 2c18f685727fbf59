"""The tally of a desk's answers: one for a burst of them, and every answer counted,
in process and with a real worker on the real broker."""

from __future__ import annotations

import os
import threading
import time

import pytest
from celery.signals import task_postrun
from django.core.cache import cache
from django.db import connections

from commitments.models import AuditEntry, Figure, Status
from surveys import services, tasks
from tests import factories
from tests.surveys.conftest import answer

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")


@pytest.fixture
def queued(monkeypatch):
    """The tallies queued (instead of run) by stored answers."""
    calls: list[dict] = []
    monkeypatch.setattr(tasks.survey_tally, "apply_async", lambda **kw: calls.append(kw))
    cache.delete(tasks.TALLY_KEY)
    yield calls
    cache.delete(tasks.TALLY_KEY)


def test_a_burst_of_answers_queues_one_tally(
    desks, queued, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(25):
            answer(desks["desk"])
        answer(desks["other"])
    assert len(queued) == 1
    assert queued[0]["countdown"] == settings.SURVEY_TALLY_SECONDS
    # The tally counts every answer of the burst, at both desks.
    assert tasks.survey_tally() == 2
    values = dict(
        Figure.objects.filter(element__code="survey_responses").values_list("unit__code", "value")
    )
    assert values == {"mot-cua": 25, "ccts": 1}
    # Once it has run, the next answer queues the next tally.
    with django_capture_on_commit_callbacks(execute=True):
        answer(desks["desk"])
    assert len(queued) == 2


def test_an_answer_is_stored_when_the_queue_cannot_be_reached(
    desks, monkeypatch, django_capture_on_commit_callbacks
):
    def down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.survey_tally, "apply_async", down)
    cache.delete(tasks.TALLY_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        stored = answer(desks["desk"])
    assert stored.pk is not None and not stored.tallied
    # The beat's tally counts it.
    assert tasks.survey_tally() == 1
    cache.delete(tasks.TALLY_KEY)


def test_the_tally_is_idempotent(desks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer(desks["desk"], 5)
        answer(desks["desk"], 2)
    assert tasks.survey_tally() == 0
    assert services.survey_figures_tally() == 0
    assert (
        Figure.objects.get(unit=desks["desk"], element__code="survey_satisfied", quarter=1).value
        == 1
    )


@pytest.fixture
def celery_worker_parameters():
    return {"perform_ping_check": False}


@pytest.fixture
def executed():
    names: list[str] = []

    def after(sender=None, **kwargs):
        names.append(sender.name)
        connections.close_all()

    task_postrun.connect(after, weak=False)
    yield names
    task_postrun.disconnect(after)


def _wait_for(predicate, timeout=40.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@needs_redis
@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_counts_a_stream_of_answers_in_few_tallies(
    settings, celery_app, celery_worker, executed
):
    settings.SURVEY_TALLY_SECONDS = 2
    settings.RECOMPUTE_DELAY_SECONDS = 1
    cache.delete(tasks.TALLY_KEY)
    from commitments import services as commitments_services

    commitments_services.catalogue.catalogue_load(name="hcmc-dard-2021")
    department = factories.department()
    desk = factories.unit("mot-cua", parent=department, receives_dossiers=True)
    services.questionnaire_ensure(year=2021)

    # 40 answers from several threads over about two seconds: 37 satisfied.
    def send(start: int) -> None:
        for i in range(start, 40, 4):
            answer(desk, 5 if i >= 3 else 2)
            time.sleep(0.15)
        connections.close_all()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def counted() -> bool:
        figure = Figure.objects.filter(unit=desk, element__code="survey_responses").first()
        return figure is not None and figure.value == 40

    assert _wait_for(counted), "the worker did not count every answer"

    def judged() -> bool:
        row = Status.objects.filter(indicator__code="4.1", unit=desk, quarter=1).first()
        return row is not None and row.value is not None and int(row.value) == 92

    assert _wait_for(judged), "the worker did not recompute 4.1 of the desk"
    tallies = executed.count("surveys.tasks.survey_tally")
    # One tally for every couple of seconds of answers, not one per answer.
    assert 1 <= tallies <= 4, tallies
    assert AuditEntry.objects.filter(action="counted", unit=desk).count() <= tallies
