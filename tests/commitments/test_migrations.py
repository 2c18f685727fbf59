"""Data migrations, run forward on a database that holds data from before them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commitments import catalogue, demo, engine, services
from commitments.models import Commitment, Sheet, Status
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


# --- targets move to signed sheets ---------------------------------------------------------

BEFORE_SHEETS = ("commitments", "0013_indicator_short_name")
AS_OF = dt.date(2026, 11, 30)


def _catalogue_before_sheets(apps, years: list[int]) -> None:
    """The built-in catalogue as ``load_catalogue`` stored it before sheets: one set of
    commitments and indicators, with the targets of 2021 and of each later year as a
    copy of them (deadlines moved, growth on the year before)."""
    spec = catalogue.CATALOGUES["hcmc-dard-2021"]
    model = {name: apps.get_model("commitments", name) for name in MODELS_BEFORE}
    categories = {
        code: model["Category"].objects.create(code=code, kind=kind, name_vi=vi, name_en=en)
        for code, kind, vi, en in spec["categories"]
    }
    elements = {
        code: model["DataElement"].objects.create(
            code=code, aggregation=agg, category_kind=split, is_flag=flag, name_vi=vi, name_en=en
        )
        for code, agg, split, flag, vi, en in spec["elements"]
    }
    commitments = {
        code: model["Commitment"].objects.create(code=code, name_vi=vi, name_en=en, position=n)
        for n, (code, vi, en) in enumerate(spec["commitments"])
    }
    for position, item in enumerate(spec["indicators"]):
        fields = {k: v for k, v in item.items() if k not in NOT_STORED}
        for key in ("numerator", "denominator", "element"):
            fields[key] = elements[fields[key]] if fields.get(key) else None
        indicator = model["Indicator"].objects.create(
            code=item["code"], commitment=commitments[item["commitment"]], position=position,
            **fields,
        )  # fmt: skip
        for year in years:
            target = dict(item["target"])
            overrides = target.pop("overrides", [])
            if target.get("deadline"):
                target["deadline"] = target["deadline"].replace(year=year)
            if target.get("baseline_year"):
                target["baseline_year"] = year - 1
            stored = model["Target"].objects.create(indicator=indicator, year=year, **target)
            for o in overrides:
                model["TargetOverride"].objects.create(
                    target=stored, category=categories[o["category"]], threshold=o["threshold"],
                    comparator=o["comparator"],
                )  # fmt: skip


MODELS_BEFORE = ("Category", "DataElement", "Commitment", "Indicator", "Target", "TargetOverride")
NOT_STORED = {"code", "definition", "definition_name", "target", "commitment"}


def _demo_department_before_sheets(apps) -> None:
    """The demo department's units, its 2020 and 2021 figures, and 2021's replayed in
    2025 and 2026, with its 2021 evidence and milestones."""
    Unit = apps.get_model("commitments", "Unit")
    units = {}
    for code, parent, kind, sector, public, receives, name, _en in demo.UNITS:
        units[code] = Unit.objects.create(
            code=code, parent=units.get(parent), kind=kind, sector=sector,
            public_service=public, receives_dossiers=receives, name=name,
        )  # fmt: skip
    elements = {e.code: e for e in apps.get_model("commitments", "DataElement").objects.all()}
    categories = {c.code: c for c in apps.get_model("commitments", "Category").objects.all()}
    rows = demo._figure_rows()
    rows += [(2025, *r[1:]) for r in rows if r[0] == 2020]
    rows += [(2026, *r[1:]) for r in rows if r[0] == 2021 and r[1] <= 3]
    apps.get_model("commitments", "Figure").objects.bulk_create(
        apps.get_model("commitments", "Figure")(
            year=year, quarter=quarter, unit=units[unit], element=elements[element],
            category=categories.get(category), value=value,
        )
        for year, quarter, unit, element, category, value in rows
    )  # fmt: skip
    for date, unit, kind, subject, reference, title in demo._evidence_records():
        apps.get_model("commitments", "Evidence").objects.create(
            date=date, unit=units[unit], kind=kind, subject_unit=units.get(subject),
            reference=reference, title=title,
        )  # fmt: skip
    Indicator = apps.get_model("commitments", "Indicator")
    for code, title, done_on, reference in demo.MILESTONES:
        apps.get_model("commitments", "Milestone").objects.create(
            indicator=Indicator.objects.get(code=code), unit=units["sonn"], year=2021,
            title=title, done_on=done_on, evidence_reference=reference,
        )  # fmt: skip


def _judged_before_sheets(apps, year: int) -> set[tuple]:
    """The statuses of ``year`` as the recompute computed them before sheets: every
    indicator with a target of the year, for every department (stored figures with no
    report are official)."""
    model = {n: apps.get_model("commitments", n) for n in ("Target", "Unit", "DataElement")}
    targets = (
        model["Target"]
        .objects.filter(year=year)
        .select_related("indicator__numerator", "indicator__denominator", "indicator__element")
    )
    specs = [_spec_before_sheets(t) for t in targets]
    units = [
        engine.UnitNode(u.pk, u.code, u.parent_id, u.kind, u.sector, u.public_service,
                        u.receives_dossiers)
        for u in model["Unit"].objects.all()
    ]  # fmt: skip
    data = engine.Dataset(
        units=units,
        aggregations=dict(model["DataElement"].objects.values_list("code", "aggregation")),
        figures=[
            engine.FigureRow(f.year, f.quarter, f.unit_id, f.element.code,
                             f.category.code if f.category else None, f.value)
            for f in apps.get_model("commitments", "Figure").objects.filter(year__in=[year, year - 1])
        ],
        evidence=[
            engine.EvidenceRow(e.unit_id, e.kind, e.date, e.subject_unit_id)
            for e in apps.get_model("commitments", "Evidence").objects.filter(date__year=year)
        ],
        milestones=[
            engine.MilestoneRow(m.indicator.code, m.unit_id, m.year, m.done_on,
                                bool(m.evidence_reference))
            for m in apps.get_model("commitments", "Milestone").objects.filter(year=year)
        ],
    )  # fmt: skip
    codes = {u.id: u.code for u in units}
    return {
        (r.indicator, codes[r.unit_id], r.category, r.quarter, engine.rounded(r.value, places=10),
         r.target, r.comparator or "", r.status)
        for r in engine.compute_statuses(specs, data, year=year, as_of=AS_OF)
    }  # fmt: skip


def _spec_before_sheets(target) -> engine.IndicatorSpec:
    i = target.indicator
    return engine.IndicatorSpec(
        code=i.code, kind=i.kind, source=i.source, tracked=i.tracked,
        per_category=i.per_category, quarterly=i.quarterly, yearly=i.yearly, level=i.level,
        scope=engine.UnitFilter(frozenset(i.scope_kinds), frozenset(i.scope_sectors),
                                i.scope_public_service, i.scope_receives_dossiers),
        numerator=i.numerator.code if i.numerator else "",
        denominator=i.denominator.code if i.denominator else "",
        element=i.element.code if i.element else "", evidence_kind=i.evidence_kind,
        distinct_subjects=i.distinct_subjects, coverage_rule=i.coverage_rule,
        condition_min=i.condition_min,
        target=engine.TargetSpec(
            year=target.year, threshold=target.threshold, comparator=target.comparator or None,
            deadline=target.deadline, baseline_year=target.baseline_year,
            baseline_value=target.baseline_value,
            overrides=tuple(
                engine.Override(o.threshold, o.comparator, o.category.code if o.category else None,
                                o.unit_kind, o.unit_sector)
                for o in target.overrides.all()
            ),
        ),
    )  # fmt: skip


def _judged_with_sheets(year: int) -> set[tuple]:
    services.recompute.statuses_recompute(year=year, as_of=AS_OF)
    return {
        (s.indicator.code, s.unit.code, s.category, s.quarter, s.value, s.target, s.comparator,
         s.status)
        for s in Status.objects.filter(year=year).select_related("indicator", "unit")
    }  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_dard_statuses_are_the_same_once_its_targets_are_a_signed_sheet():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_SHEETS])
    apps = executor.loader.project_state([BEFORE_SHEETS]).apps
    _catalogue_before_sheets(apps, [2021, 2026])
    _demo_department_before_sheets(apps)
    before = {year: _judged_before_sheets(apps, year) for year in (2021, 2026)}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    for year in (2021, 2026):
        assert len(before[year]) > 300
        assert _judged_with_sheets(year) == before[year]
    sheets = {s.year: s for s in Sheet.objects.select_related("department")}
    assert sheets[2021].code == "hcmc-dard-2021" and sheets[2021].department.code == "sonn"
    assert (sheets[2026].department.code, sheets[2026].copied_from) == ("sonn", sheets[2021])
    first = sheets[2026].commitments.get(code="1")
    assert first.to_review and "năm 2026" in first.name_vi and "2021" not in first.name_vi
    assert sheets[2026].indicators.get(code="4.2").name_vi.endswith("so với năm 2025")
    # Each year's sheet keeps the short names of the matrix's column headers.
    for year in (2021, 2026):
        assert sheets[year].indicators.get(code="4.1").short_name == "Hài lòng"
    assert not sheets[2021].commitments.filter(to_review=True).exists()
    assert Status.objects.filter(version__isnull=True).count() == 0
    # The catalogue loads again onto the migrated sheet: nothing new.
    services.catalogue.catalogue_load(name="hcmc-dard-2021")
    assert Sheet.objects.count() == 2 and Commitment.objects.count() == 18
