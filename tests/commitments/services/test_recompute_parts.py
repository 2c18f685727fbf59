"""A year recomputed in parts (``services.recompute`` with ``selectors.part_inputs``):
part after part in one process, or as a run of part tasks that workers take; either
way the statuses stored are those of the year computed at once, and a second
recompute writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import engine, selectors, services, tasks
from commitments.demo import demo_load
from commitments.models import QuarterlyReport, RecomputeRequest, RecomputeState, Status, Unit
from tests import factories

AS_OF = dt.date(2022, 3, 31)


def _stored() -> dict:
    """The statuses as a reader sees them: the official rows, and the provisional view
    (each row's provisional version where there is one, whether it differs)."""
    rows = {
        (s.indicator_id, s.unit_id, s.category, s.year, s.quarter, s.provisional): (
            s.value,
            s.target,
            s.comparator,
            s.status,
            s.detail,
            s.differs,
        )
        for s in Status.every.all()
    }
    official = {key[:-1]: value for key, value in rows.items() if not key[-1]}
    typed = {key[:-1]: value for key, value in rows.items() if key[-1]}
    shown = {key: typed.get(key, (*value[:-1], False)) for key, value in official.items()}
    return {"official": official, "provisional": shown}


@pytest.fixture
def demo(db):
    """The demo department (17 units, reports in every state), one of its approved
    reports reopened and typed over, so that kept official values are read too."""
    demo_load(as_of=AS_OF)
    report = QuarterlyReport.objects.filter(
        year=2021, state=QuarterlyReport.State.APPROVED, unit__code="sonn-vp"
    ).first()
    services.reports.report_reopen(report=report, user=factories.superuser(), reason="Sửa")
    report.refresh_from_db()
    field = ("dossiers_on_time", "land")
    services.reports.report_save(
        report=report, values={field: "1"}, version=report.version, user=None
    )
    return report


def _recompute_all(year: int = 2021) -> None:
    Status.every.filter(year=year).delete()
    services.recompute.statuses_recompute(year=year, as_of=AS_OF)


def test_a_year_in_parts_stores_what_it_stores_at_once(demo, settings):
    _recompute_all()
    at_once = _stored()
    assert at_once["official"] != at_once["provisional"]  # some figures wait
    settings.RECOMPUTE_PART_UNITS = 3
    units = selectors.engine_inputs.unit_nodes()
    assert len(engine.parts_of(units, limit=3)) > 5
    _recompute_all()
    assert _stored() == at_once


def test_a_second_recompute_in_parts_writes_nothing(demo, settings):
    settings.RECOMPUTE_PART_UNITS = 3
    _recompute_all()
    before = {s.pk: s.computed_at for s in Status.every.all()}
    services.recompute.statuses_recompute(year=2021, as_of=AS_OF)
    assert {s.pk: s.computed_at for s in Status.every.all()} == before


def test_a_part_reads_the_same_queries_whatever_its_size(catalogue):
    department = factories.department()
    for n in range(12):
        desk = factories.unit(f"desk-{n}", parent=department, receives_dossiers=True)
        factories.figure(desk, "survey_responses", 10 + n)
    units = selectors.engine_inputs.unit_nodes()
    desks = [u.id for u in units if u.id != department.pk]
    parts = [
        engine.Part(frozenset(desks[:2])),
        engine.Part(frozenset(desks)),
        engine.Part(frozenset(desks[:2]) | {department.pk}),
        engine.Part(frozenset([*desks, department.pk])),
        engine.Part(frozenset({department.pk}), summed=True),
    ]
    counts = []
    for part in parts:
        with CaptureQueriesContext(connection) as queries:
            selectors.part_inputs.part_inputs(year=2021, part=part, units=units)
        counts.append(len(queries))
    # Targets (2), the departments with a sheet of their own, elements, figures; with the
    # department, its evidence, plan tasks and milestones; for the top, its figures in
    # three reads.
    assert counts == [5, 5, 8, 8, 10]


# --- a run of parts on workers --------------------------------------------------------


@pytest.fixture
def queued():
    """The parts a run queues, as ``tasks.recompute_parts_queue`` receives them."""
    runs: list[dict] = []

    def fan_out(**run):
        runs.append(run)

    fan_out.runs = runs
    return fan_out


def _tree(units: int = 12) -> Unit:
    """A department with two divisions of receiving desks, each with figures."""
    department = factories.department()
    for d in range(2):
        division = factories.unit(f"div-{d}", parent=department)
        for n in range(units // 2):
            desk = factories.unit(f"desk-{d}-{n}", parent=division, receives_dossiers=True)
            factories.figure(desk, "survey_responses", 50 + n)
            factories.figure(desk, "survey_satisfied", 45 + n % 7)
            factories.figure(desk, "dossiers_resolved", 20 + n, category="land")
            factories.figure(desk, "dossiers_on_time", 19 + n % 2, category="land")
    return department


def test_a_run_of_parts_is_recorded_then_closed_by_its_last_part(
    catalogue, settings, queued, django_capture_on_commit_callbacks
):
    _tree()
    services.recompute.statuses_recompute(year=2021, as_of=AS_OF)
    at_once = _stored()
    Status.every.all().delete()
    settings.RECOMPUTE_PART_UNITS = 4
    services.recompute.recompute_request(years=[2021])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recompute.statuses_recompute(year=2021, as_of=AS_OF, fan_out=queued) == 0
    (run,) = queued.runs
    state = RecomputeState.objects.get(year=2021)
    assert state.run["id"] == run["run"] and len(state.run["left"]) == len(run["parts"]) > 2
    assert RecomputeRequest.objects.exists()  # covered, not yet done
    *first, last = run["parts"]
    for part in first:
        for _delivered in range(2):  # once more, as after a worker lost before its ack
            assert _part_done(run, part) is not None
            assert RecomputeState.objects.get(year=2021).run is not None
    assert _part_done(run, last) is not None
    state.refresh_from_db()
    assert state.run is None and not RecomputeRequest.objects.exists()
    assert state.status_count == len(at_once["official"])
    assert _stored() == at_once


def test_a_part_of_a_run_replaced_by_a_newer_one_does_nothing(
    catalogue, settings, queued, django_capture_on_commit_callbacks
):
    _tree()
    settings.RECOMPUTE_PART_UNITS = 4
    settings.RECOMPUTE_RUN_TIMEOUT_SECONDS = 0  # its parts lost: the next run replaces it
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute.statuses_recompute(year=2021, as_of=AS_OF, fan_out=queued)
        services.recompute.statuses_recompute(year=2021, as_of=AS_OF, fan_out=queued)
    old, new = queued.runs
    assert _part_done(old, old["parts"][0]) is None
    assert not Status.every.exists()
    assert RecomputeState.objects.get(year=2021).run["id"] == new["run"]


def test_a_drain_leaves_a_year_to_its_run_but_not_a_change_it_touched(
    catalogue, settings, queued, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks.recompute_pending, "apply_async", lambda **options: None)
    department = _tree()
    services.recompute.statuses_recompute(year=2021, as_of=AS_OF)
    settings.RECOMPUTE_PART_UNITS = 4

    def committed(**request):
        with django_capture_on_commit_callbacks(execute=True):
            services.recompute.recompute_request(years=[2021], **request)

    committed()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recompute.recompute_drain(as_of=AS_OF, fan_out=queued) == [2021]
    # Another change of the year waits for the run's end; the drain does not start a
    # second run over the first.
    committed()
    assert services.recompute.recompute_drain(as_of=AS_OF, fan_out=queued) == []
    assert len(queued.runs) == 1
    desk = Unit.objects.get(code="desk-0-0")
    factories.figure(desk, "survey_satisfied", 1, quarter=2)
    factories.figure(desk, "survey_responses", 1, quarter=2)
    committed(touched=[(desk.pk, _element(c)) for c in ("survey_satisfied", "survey_responses")])
    assert services.recompute.recompute_drain(as_of=AS_OF, fan_out=queued) == [2021]
    row = Status.objects.get(indicator__code="4.1", unit=department, year=2021, quarter=2)
    assert (row.value, row.detail["numerator"]) == (100, 1)
    assert RecomputeRequest.objects.filter(touched__isnull=True).count() == 2


def _element(code: str) -> int:
    return selectors.part_inputs.elements().ids[code]


def test_the_nightly_task_recomputes_a_large_tree_in_parts(
    catalogue, settings, django_capture_on_commit_callbacks, monkeypatch
):
    _tree()
    services.recompute.statuses_recompute(year=2021)
    at_once = _stored()
    Status.every.all().delete()
    settings.RECOMPUTE_PART_UNITS = 4
    published = []
    part_task = tasks.recompute_part.delay

    def counted(*args):
        published.append(args)
        return part_task(*args)

    monkeypatch.setattr(tasks.recompute_part, "delay", counted)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recompute_year(2021) == 0
    assert len(published) > 2
    assert _stored() == at_once
    assert RecomputeState.objects.get(year=2021).run is None


def _part_done(run: dict, part: dict) -> int | None:
    return services.recompute.statuses_recompute_part(
        year=2021, run=run["run"], units=part["units"], summed=part["summed"], as_of=run["as_of"]
    )


def test_parts_judge_each_department_on_its_own_sheet(catalogue, settings):
    """Two departments' sheets number their indicators alike with different targets
    (4.1: DARD's 91%, Health's 60%): a year in parts stores what it stores at once,
    each unit's rows judged against its own department's sheet."""
    from tests.commitments import shortcuts

    departments = shortcuts.two_departments()
    for n in range(4):
        desk = factories.unit(f"soyt-d{n}", parent=departments["health"], receives_dossiers=True)
        factories.figure(desk, "survey_responses", 10)
        factories.figure(desk, "survey_satisfied", 6 + n)
    _recompute_all()
    at_once = _stored()
    settings.RECOMPUTE_PART_UNITS = 2
    units = selectors.engine_inputs.unit_nodes()
    assert len(engine.parts_of(units, limit=2)) > 3
    _recompute_all()
    assert _stored() == at_once
    targets = {
        (s.unit.code, s.indicator.sheet_id): s.target
        for s in Status.objects.filter(
            indicator__code="4.1", quarter=1, category=""
        ).select_related("unit", "indicator")
    }
    health_sheet = departments["health_sheet"].pk
    assert targets[("soyt", health_sheet)] == 60
    assert targets[("soyt-d0", health_sheet)] == 60
    assert {t for (code, sheet), t in targets.items() if sheet != health_sheet} == {91}
