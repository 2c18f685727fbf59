"""Data migrations, run forward on a database that holds data from before them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories


@pytest.mark.django_db(transaction=True)
def test_figures_stored_without_a_report_get_an_approved_one():
    executor = MigrationExecutor(connection)
    executor.migrate([("commitments", "0006_official_figures")])
    apps = executor.loader.project_state([("commitments", "0006_official_figures")]).apps
    Unit = apps.get_model("commitments", "Unit")
    DataElement = apps.get_model("commitments", "DataElement")
    Figure = apps.get_model("commitments", "Figure")
    QuarterlyReport = apps.get_model("commitments", "QuarterlyReport")
    unit = Unit.objects.create(code="vp", name="Văn phòng", kind="division")
    element = DataElement.objects.create(code="docs_issued", name_vi="Văn bản", aggregation="sum")
    for quarter in (1, 2):
        Figure.objects.create(year=2020, quarter=quarter, unit=unit, element=element, value=5)
    # A unit's own draft of Q2 is left as it is.
    QuarterlyReport.objects.create(unit=unit, year=2020, quarter=2, state="draft")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("commitments", "0007_approve_reports_of_imported_figures")])
    apps = executor.loader.project_state(
        [("commitments", "0007_approve_reports_of_imported_figures")]
    ).apps
    reports = apps.get_model("commitments", "QuarterlyReport").objects.order_by("quarter")
    assert [(r.quarter, r.state) for r in reports] == [(1, "approved"), (2, "draft")]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_year_pending_before_the_outbox_keeps_its_request():
    before, after = (
        ("commitments", "0009_bounded_figures"),
        ("commitments", "0010_recompute_outbox"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    state = apps.get_model("commitments", "RecomputeState")
    asked = factories.utc(2021, 4, 10, 8, 0)
    state.objects.create(year=2021, pending=True, requested_at=asked)
    state.objects.create(year=2022, pending=False, requested_at=asked)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    apps = executor.loader.project_state([after]).apps
    requests = apps.get_model("commitments", "RecomputeRequest").objects.all()
    assert [(r.year, r.requested_at) for r in requests] == [(2021, asked)]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_built_in_indicators_get_their_short_names():
    before, after = (
        ("commitments", "0012_calendar_days_withdrawn"),
        ("commitments", "0013_indicator_short_name"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    Commitment = apps.get_model("commitments", "Commitment")
    Indicator = apps.get_model("commitments", "Indicator")
    four = Commitment.objects.create(code="4", name_vi="Cam kết 4")
    Indicator.objects.create(
        code="4.1", commitment=four, kind="ratio",
        name_vi="Mức độ hài lòng của người dân và doanh nghiệp",
    )  # fmt: skip
    # An indicator an admin renamed, and one of another department's sheet.
    Indicator.objects.create(code="4.2", commitment=four, kind="ratio", name_vi="Tên khác")
    Indicator.objects.create(code="X.1", commitment=four, kind="ratio", name_vi="Chỉ tiêu khác")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    apps = executor.loader.project_state([after]).apps
    names = {
        i.code: (i.short_name_vi, i.short_name_en)
        for i in apps.get_model("commitments", "Indicator").objects.all()
    }
    assert names == {"4.1": ("Hài lòng", "Satisfaction"), "4.2": ("", ""), "X.1": ("", "")}
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
