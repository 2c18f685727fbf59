"""What a report's page shows of its results (``selectors.report_results.report_review``): the
unit's results with the report's figures, the change on the quarter before, the
statuses of the top unit the reader sees now and once it is approved, and the figures
far from the unit's history; in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from commitments import access, engine, selectors, services
from commitments.models import QuarterlyReport, Unit
from tests import factories
from tests.commitments.shortcuts import desk_report

# In the third quarter of 2021: Q2 is over, the year is not.
JULY = dt.date(2021, 7, 15)


def _review(report, user, *, as_of=JULY):
    with translation.override("vi"):  # names in Vietnamese, whatever a test before chose
        return selectors.report_results.report_review(
            report=report,
            scope=access.user_scope(user=user),
            as_of=as_of,
            catalogue=selectors.reports.report_catalogue(year=report.year, unit=report.unit),
        )


def _save(units, staff, quarter=2, **values):
    """The desk's report of a 2021 quarter saved as a draft with ``values`` (field:
    text)."""
    report = desk_report(units, quarter=quarter)
    typed = {tuple(field.split("__")) if "__" in field else (field, None): text
             for field, text in values.items()}  # fmt: skip
    services.reports.report_save(report=report, values=typed, version=report.version, user=staff)
    return report


def _result(review, code, category=""):
    return next(
        r for r in review.results if r.cell.indicator.code == code and r.cell.category == category
    )


def _status(review, code, category=""):
    return next(s for s in review.statuses if s.indicator.code == code and s.category == category)


def test_the_desks_results_count_the_reports_figures(units, staff, director):
    report = _save(units, staff, dossiers_resolved__land="200", dossiers_on_time__land="198")
    review = _review(report, director)
    land = _result(review, "5.1", "land")
    assert land.cell.value == 99  # 198 / 200, the draft's figures
    assert land.cell.target == 96
    assert land.cell.status == engine.MET
    assert land.category_name == "Đất đai"
    # Q1: 90 of 100 on time. Up 9 points.
    assert land.change == Decimal(9)
    assert not land.for_department  # 5.1 is judged unit by unit


def test_the_department_now_and_once_the_report_is_approved(units, staff, director):
    report = _save(units, staff, dossiers_resolved__land="200", dossiers_on_time__land="198")
    review = _review(report, director)
    assert review.top == units["department"]
    whole = _status(review, "5.1")
    # Q2 has no official figure yet; approved, the land reaches 99%.
    assert whole.quarter_now.status == engine.NO_DATA
    assert (whole.quarter_then.status, whole.quarter_then.value) == (engine.MET, 99)
    # The year to date: 90 / 100 now, 288 / 300 = 96% once approved, which meets 96.
    assert whole.year_now.status == engine.AT_RISK
    assert (whole.year_then.value, whole.year_then.status) == (96, engine.MET)
    assert [c.indicator.code for c in review.changes] == ["5.1"]
    assert [(q, now.status, then.status) for q, now, then in review.changes[0].rows[0].transitions] == [
        (2, engine.NO_DATA, engine.MET),
        (engine.YEAR, engine.AT_RISK, engine.MET),
    ]  # fmt: skip


def test_a_desk_is_judged_on_its_own_departments_sheet(units, staff, director):
    # Another department signed a sheet of its own: 99% on time in land, 4.1 left out.
    health, own = factories.department_with_sheet("soyt", without=["4.1"])
    land = factories.sheet_target(own, "5.1").overrides.get(category__code="land")
    land.threshold = 99
    land.save()
    desk = factories.unit("soyt-vp", parent=health, receives_dossiers=True)
    factories.figure(desk, "dossiers_resolved", 100, category="land")
    factories.figure(desk, "dossiers_on_time", 90, category="land")
    their_staff = factories.staff("chuyenvien-yte", desk)
    report = selectors.reports.report_for(unit=desk, year=2021, quarter=2)
    typed = {("dossiers_resolved", "land"): "200", ("dossiers_on_time", "land"): "196"}
    services.reports.report_save(
        report=report, values=typed, version=report.version, user=their_staff
    )

    review = _review(report, factories.director("giamdoc-yte", health))
    assert review.top == health
    # 196 / 200 = 98%: short of its own 99%, where the common sheet asks for 96%.
    assert (
        _result(review, "5.1", "land").cell.target,
        _result(review, "5.1", "land").cell.status,
    ) == (
        99,
        engine.NOT_MET,
    )
    assert _status(review, "5.1", "land").quarter_then.status == engine.NOT_MET
    assert "4.1" not in {s.indicator.code for s in review.statuses}
    assert {r.cell.indicator.sheet_id for r in review.results} == {own.pk}
    # The department on the common sheet reads its own targets, as before.
    dard = _save(units, staff, dossiers_resolved__land="200", dossiers_on_time__land="196")
    assert _result(_review(dard, director), "5.1", "land").cell.target == 96


def test_a_reopened_report_counts_its_new_figures_not_the_last_approved(
    units, staff, director, admin
):
    report = _save(units, staff, dossiers_resolved__land="200", dossiers_on_time__land="150")
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    services.reports.report_reopen(report=report, user=admin, reason="Sai số đúng hạn đất đai.")
    report.refresh_from_db()
    report = _save(units, staff, dossiers_resolved__land="200", dossiers_on_time__land="196")
    whole = _status(_review(report, director), "5.1")
    assert whole.quarter_now.value == 75  # the last approved values are official now
    assert whole.quarter_then.value == 98


def test_staff_see_their_own_unit_as_the_top(units, staff):
    report = _save(units, staff, dossiers_resolved__land="200", dossiers_on_time__land="198")
    review = _review(report, staff)
    assert review.top == units["desk"]
    # Only the indicators judged unit by unit have rows of the desk.
    assert {s.indicator.code for s in review.statuses} <= {"4.1", "5.1", "8.1"}
    assert _status(review, "5.1", "land").quarter_then.status == engine.MET


def test_an_indicator_of_the_department_is_read_on_the_units_own_figures(units, staff, director):
    report = _save(units, staff, feedback_due__portal_1022="10", feedback_on_time__portal_1022="9")
    result = _result(_review(report, director), "7.1")
    assert result.for_department
    assert (result.cell.value, result.cell.status) == (90, engine.NOT_MET)


def test_a_first_quarter_compares_with_the_last_of_the_year_before(units, staff, director):
    factories.figure(units["desk"], "dossiers_resolved", 100, year=2020, quarter=4, category="land")
    factories.figure(units["desk"], "dossiers_on_time", 95, year=2020, quarter=4, category="land")
    report = desk_report(units, quarter=1)
    land = _result(_review(report, director, as_of=dt.date(2021, 4, 5)), "5.1", "land")
    assert land.cell.value == 90
    assert land.change == Decimal(-5)


def test_figures_far_from_the_units_history_are_flagged(units, staff, director):
    desk = units["desk"]
    for year, quarter, value in ((2020, 3, 110), (2020, 4, 95), (2021, 1, 100)):
        if (year, quarter) != (2021, 1):  # Q1 2021 has 100 already
            factories.figure(desk, "dossiers_resolved", value, year=year, quarter=quarter,
                             category="land")  # fmt: skip
    review = _review(desk_report(units), director)
    key = ("dossiers_resolved", "land")
    assert review.history[key] == [100, 95, 110, None]
    assert review.outlier(key, "331").high  # over 3 x 100
    assert review.outlier(key, "300") is None
    assert not review.outlier(key, "32").high  # under a third of 100
    assert review.outlier(key, "abc") is None
    assert review.outlier(key, "9" * 5000) is None  # not a figure: the form says why
    assert review.outlier(("docs_issued", None), "5000") is None  # no history


@pytest.mark.parametrize("many", [False, True])
def test_the_review_reads_two_queries_whatever_the_number_of_units(units, staff, director, many):
    if many:
        Unit.objects.bulk_create(
            Unit(code=f"desk-{n}", name=f"Bộ phận {n}", parent=units["department"],
                 kind="affiliated_unit", receives_dossiers=True)
            for n in range(500)
        )  # fmt: skip
    report = _save(units, staff, dossiers_resolved__land="200", dossiers_on_time__land="198")
    scope = access.user_scope(user=director)
    catalogue = selectors.reports.report_catalogue(year=2021, unit=report.unit)
    with CaptureQueriesContext(connection) as queries:
        selectors.report_results.report_review(
            report=report, scope=scope, as_of=JULY, catalogue=catalogue
        )
    assert len(queries) == 2


def test_an_approved_report_changes_nothing(units, staff, director):
    report = _save(units, staff, dossiers_resolved__land="200", dossiers_on_time__land="198")
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    assert report.state == QuarterlyReport.State.APPROVED
    assert _review(report, director).changes == []
