"""A department's sheet loaded from a file (``services.sheet_files.sheet_load``): the
sample files load as signed (CSV and XLSX alike), DARD's file gives the catalogue's
sheet and the same statuses, a second load writes nothing, a replacement keeps what
the file keeps and is refused over published results, and a bad file writes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import Workbook

from commitments import selectors, services, sheet_file
from commitments.models import (
    AuditEntry,
    Commitment,
    DefinitionVersion,
    Indicator,
    IndicatorDefinition,
    Milestone,
    Publication,
    QuarterlyReport,
    Sheet,
    Status,
    Target,
    TargetChange,
)
from tests import factories

DATA = Path(settings.BASE_DIR) / "commitments" / "data"
STNMT = DATA / "stnmt-2021.csv"
DARD = DATA / "hcmc-dard-2021.csv"


def load(path, department: str = "stnmt", year: int = 2021, **options):
    """Load a sheet's file with the messages in English, as the command gives them."""
    with translation.override("en"):
        return services.sheet_files.sheet_load(
            path=path, department=department, year=year, **options
        )


def refusal(path, department: str = "stnmt", year: int = 2021, **options) -> list[str]:
    """The problems of a load that must fail (its warnings apart)."""
    with pytest.raises(services.sheet_files.SheetLoadFailed) as failed:
        load(path, department, year, **options)
    return failed.value.errors


def rows_of(sheet: Sheet) -> list[dict[str, str]]:
    """The sheet as the rows of its file: everything the file says of it."""
    return sheet_file.sheet_rows(selectors.sheets.sheet_contents(sheet=sheet))


@pytest.fixture
def stnmt(catalogue):
    return factories.unit("stnmt", kind="department", name="Sở Tài nguyên và Môi trường")


def xlsx_copy(csv_path: Path, folder: Path) -> Path:
    """The rows of a CSV file in a workbook's first sheet, numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    with csv_path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append([int(cell) if cell.isdigit() else cell for cell in row])
    path = folder / (csv_path.stem + ".xlsx")
    workbook.save(path)
    return path


# --- the sample files ---------------------------------------------------------------------


def test_the_stnmt_sample_loads_its_commitments_indicators_and_targets(stnmt):
    loaded = load(STNMT)

    sheet = loaded.sheet
    assert (loaded.created, sheet.department, sheet.year) == (True, stnmt, 2021)
    assert loaded.counts == {"commitments": 4, "indicators": 5, "overrides": 1}
    assert loaded.definitions_added == ["land-records-digitised", "online-share"]
    assert loaded.warnings == []
    commitments = list(sheet.commitments.order_by("position"))
    assert [c.code for c in commitments] == ["4", "5", "6", "8"]
    assert commitments[1].name_vi.startswith("97% hồ sơ trên từng lĩnh vực")
    assert commitments[1].name_en.startswith("97% of dossiers in each field")
    assert not any(c.to_review for c in commitments)  # loaded as signed
    indicators = {i.code: i for i in sheet.indicators.select_related("version__definition")}
    # Shared with DARD's catalogue: the same definitions, the same versions.
    assert (
        indicators["4.1"].version
        == Indicator.objects.get(sheet__code="hcmc-dard-2021", code="4.1").version
    )
    assert indicators["5.1"].version.definition.code == "on-time-by-field"
    assert indicators["5.1"].per_category and indicators["5.1"].quarterly
    # Its own: a ratio of its desks, and a milestone; first versions valid from 2021.
    online = indicators["8.3"]
    assert (online.kind, online.numerator.code, online.denominator.code) == (
        "ratio",
        "dossiers_online",
        "dossiers_received",
    )
    assert (online.level, online.scope_receives_dossiers) == ("unit", True)
    assert online.version.valid_from == 2021
    assert (indicators["8.4"].kind, indicators["8.4"].source) == ("milestone", "milestones")
    land = Target.objects.get(indicator=indicators["5.1"])
    assert (land.threshold, land.comparator) == (Decimal(97), ">=")
    assert land.wording == "97% hồ sơ trên từng lĩnh vực (lĩnh vực đất đai từ 95% trở lên)"
    assert [(o.category.code, o.threshold, o.comparator) for o in land.overrides.all()] == [
        ("land", Decimal(95), ">=")
    ]
    assert Target.objects.get(indicator=indicators["8.4"]).deadline == dt.date(2021, 11, 30)


def test_the_load_is_in_the_history_of_targets_and_the_audit_log(stnmt):
    admin = factories.superuser()

    with translation.override("vi"):
        services.sheet_files.sheet_load(path=STNMT, department="stnmt", year=2021, user=admin)

    history = TargetChange.objects.filter(year=2021, indicator_code__in=["4.1", "8.4"])
    assert {(c.indicator_code, c.action, c.user) for c in history} >= {
        ("8.4", "created", admin),
    }
    assert all(c.note == "Nạp từ tệp stnmt-2021.csv" for c in history)
    entry = AuditEntry.objects.get(subject="sheet", action="imported")
    assert (entry.unit, entry.year, entry.label, entry.user) == (
        stnmt,
        2021,
        "stnmt-2021.csv",
        admin,
    )


def test_an_xlsx_file_loads_the_same_sheet_as_its_csv(stnmt, tmp_path):
    factories.unit("stnmt-b", kind="department")
    from_csv = load(STNMT).sheet

    from_xlsx = load(xlsx_copy(STNMT, tmp_path), department="stnmt-b").sheet

    assert rows_of(from_xlsx) == rows_of(from_csv)
    assert rows_of(from_csv) == [
        {column: row.get(column, "") for column in sheet_file.COLUMNS}
        for row in _file_rows(STNMT)
        if row["type"] != "definition"
    ]


def _file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_dards_file_is_the_catalogues_sheet_written_out(catalogue):
    """The sample is what the writer makes of the catalogue's sheet: a change to the
    catalogue that the file does not follow fails here."""
    common = Sheet.objects.get(code="hcmc-dard-2021")

    written = sheet_file.csv_text(rows_of(common))

    assert DARD.read_text(encoding="utf-8") == written


def _dard_like(code: str) -> dict:
    """A department with a receiving desk, two divisions and a school, and the same
    figures and evidence of 2021 as every other built here, its reports approved."""
    department = factories.unit(code, kind="department")
    desk = factories.unit(f"{code}-vp", parent=department, receives_dossiers=True)
    division = factories.unit(f"{code}-tccb", parent=department)
    school = factories.unit(
        f"{code}-school",
        parent=department,
        kind="affiliated_unit",
        sector="education",
        public_service=True,
    )
    for quarter, (resolved, on_time, land_on_time) in enumerate(
        [(500, 492, 97), (520, 508, 95), (300, 298, 99), (480, 475, 96)], start=1
    ):
        factories.figure(desk, "dossiers_resolved", resolved, quarter=quarter, category="crop")
        factories.figure(desk, "dossiers_on_time", on_time, quarter=quarter, category="crop")
        factories.figure(desk, "dossiers_resolved", 100, quarter=quarter, category="land")
        factories.figure(desk, "dossiers_on_time", land_on_time, quarter=quarter, category="land")
        factories.figure(desk, "survey_responses", 100, quarter=quarter)
        factories.figure(desk, "survey_satisfied", 90 + quarter, quarter=quarter)
        factories.figure(desk, "dossiers_received", 600, quarter=quarter, category="crop")
        factories.figure(
            desk, "dossiers_online", 200 + 10 * quarter, quarter=quarter, category="crop"
        )
        factories.figure(
            desk, "dossiers_received", 600, year=2020, quarter=quarter, category="crop"
        )
        factories.figure(desk, "dossiers_online", 190, year=2020, quarter=quarter, category="crop")
        factories.figure(school, "epayment_applied", int(quarter > 2), quarter=quarter)
        for unit in (desk, division, school):
            factories.report(unit, quarter=quarter, state=QuarterlyReport.State.APPROVED)
            factories.report(unit, year=2020, quarter=quarter, state=QuarterlyReport.State.APPROVED)
    factories.evidence(division, "inspection_surprise", dt.date(2021, 2, 3), subject=desk)
    factories.evidence(desk, "initiative", dt.date(2021, 6, 1))
    return {"department": department, "units": [department, desk, division, school]}


def _statuses(department) -> dict:
    """The department's statuses of 2021, its units named by their place, not code."""
    prefix = department.code
    return {
        (s.indicator.code, s.unit.code.replace(prefix, "D", 1), s.category, s.quarter): (
            s.value,
            s.target,
            s.comparator,
            s.status,
        )
        for s in Status.objects.filter(year=2021, unit__code__startswith=prefix).select_related(
            "indicator", "unit"
        )
    }


def test_dards_file_loads_to_the_catalogues_sheet_and_the_same_statuses(
    catalogue, django_capture_on_commit_callbacks
):
    """Two departments alike, with the same figures: one signs the catalogue's sheet,
    the other loads DARD's file; every status of one is the other's."""
    signed = _dard_like("sonn")
    loaded_by_file = _dard_like("sokhac")
    common = Sheet.objects.get(code="hcmc-dard-2021")
    services.sheets.sheet_assign(sheet=common, department=signed["department"])

    with django_capture_on_commit_callbacks(execute=True):
        sheet = load(DARD, department="sokhac").sheet
    services.recompute.statuses_recompute(year=2021, as_of=dt.date(2022, 3, 31))

    assert rows_of(sheet) == rows_of(common)
    assert [
        (i.code, i.version_id, i.kind, i.per_category, i.level, i.scope_kinds, i.tracked)
        for i in sheet.indicators.order_by("position")
    ] == [
        (i.code, i.version_id, i.kind, i.per_category, i.level, i.scope_kinds, i.tracked)
        for i in common.indicators.order_by("position")
    ]
    by_catalogue, by_file = _statuses(signed["department"]), _statuses(loaded_by_file["department"])
    assert len(by_file) > 100
    assert by_file == by_catalogue
    # Some of them judge: land misses 96 in Q2 (95 of 100), the year meets it.
    assert by_file[("5.1", "D", "land", 2)][3] == "not_met"
    assert by_file[("4.1", "D", "", 0)][3] == "met"


def test_a_loaded_sheet_computes_its_statuses_through_the_recompute(
    stnmt, django_capture_on_commit_callbacks
):
    """Loading asks for its year's recompute; the sheet's own targets judge its units:
    land at 95.5% meets STNMT's 95 where DARD's 96 would not, the rest 97."""
    desk = factories.unit("stnmt-vpdk", parent=stnmt, receives_dossiers=True)
    factories.figure(desk, "dossiers_resolved", 1000, category="land")
    factories.figure(desk, "dossiers_on_time", 955, category="land")
    factories.figure(desk, "dossiers_resolved", 200, category="crop")
    factories.figure(desk, "dossiers_on_time", 193, category="crop")
    factories.figure(desk, "dossiers_received", 1000, category="land")
    factories.figure(desk, "dossiers_online", 380, category="land")
    factories.report(desk, state=QuarterlyReport.State.APPROVED)
    Status.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        load(STNMT)

    rows = {
        (s.indicator.code, s.unit.code, s.category, s.quarter): s
        for s in Status.objects.filter(year=2021, indicator__sheet__department=stnmt)
    }
    land = rows[("5.1", "stnmt", "land", 1)]
    assert (land.value.quantize(Decimal("0.01")), land.target, land.status) == (
        Decimal("95.50"),
        Decimal(95),
        "met",
    )
    crop = rows[("5.1", "stnmt", "crop", 1)]
    assert (crop.target, crop.status) == (Decimal(97), "not_met")  # 96.50% < 97
    online = rows[("8.3", "stnmt-vpdk", "", 1)]
    assert (online.value, online.status) == (Decimal(38), "not_met")
    assert rows[("8.3", "stnmt", "", 1)].version.definition.code == "online-share"


# --- a second load, a replacement -------------------------------------------------------


def test_loading_the_same_file_again_with_replace_writes_nothing(stnmt):
    first = load(STNMT)
    before = (
        list(Sheet.objects.values()),
        list(Indicator.objects.values()),
        list(Target.objects.values()),
        TargetChange.objects.count(),
        AuditEntry.objects.count(),
        IndicatorDefinition.objects.count(),
        DefinitionVersion.objects.count(),
    )

    again = load(STNMT, replace=True)

    assert (again.created, again.written, again.sheet) == (False, 0, first.sheet)
    assert str(again).endswith("unchanged: 4 commitments, 5 indicators, 1 overrides")
    assert before == (
        list(Sheet.objects.values()),
        list(Indicator.objects.values()),
        list(Target.objects.values()),
        TargetChange.objects.count(),
        AuditEntry.objects.count(),
        IndicatorDefinition.objects.count(),
        DefinitionVersion.objects.count(),
    )


def test_a_sheet_stored_for_the_department_and_year_is_refused_without_replace(stnmt):
    load(STNMT)

    assert refusal(STNMT) == [
        "line 0: year: stnmt already has a sheet of 2021: replace it (--replace) to load "
        "this file instead"
    ]


def _edited(path: Path, tmp_path: Path, edit) -> Path:
    """A copy of a sample file, its rows (dicts, by column) changed by ``edit``."""
    rows = _file_rows(path)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(edit(rows))
    edited = tmp_path / path.name
    edited.write_text(out.getvalue(), encoding="utf-8")
    return edited


def test_a_replacement_keeps_what_the_file_keeps_and_drops_the_rest(stnmt, tmp_path):
    sheet = load(STNMT).sheet
    kept = Indicator.objects.get(sheet=sheet, code="4.1")
    Milestone.objects.create(
        indicator=Indicator.objects.get(sheet=sheet, code="8.4"),
        unit=stnmt,
        year=2021,
        done_on=dt.date(2021, 11, 22),
        evidence_reference="QĐ 12",
    )

    def edit(rows):
        for row in rows:
            if row["code"] == "4.1":
                row["threshold"], row["wording"] = "92", "đạt từ 92% trở lên"
        return [row for row in rows if row["code"] not in ("6", "6.1")]

    replaced = load(_edited(STNMT, tmp_path, edit), replace=True)

    assert (replaced.created, replaced.sheet) == (False, sheet)
    assert Indicator.objects.get(sheet=sheet, code="4.1").pk == kept.pk
    assert sorted(sheet.indicators.values_list("code", flat=True)) == ["4.1", "5.1", "8.3", "8.4"]
    assert sorted(sheet.commitments.values_list("code", flat=True)) == ["4", "5", "8"]
    assert Target.objects.get(indicator=kept).threshold == 92
    change = TargetChange.objects.get(indicator_code="4.1", action="updated")
    assert change.changes == {
        "threshold": ["90", "92"],
        "wording": ["đạt từ 90% trở lên", "đạt từ 92% trở lên"],
    }
    assert Milestone.objects.filter(indicator__sheet=sheet).count() == 1


def test_a_replacement_that_drops_an_indicator_with_milestones_is_refused(stnmt, tmp_path):
    sheet = load(STNMT).sheet
    Milestone.objects.create(
        indicator=Indicator.objects.get(sheet=sheet, code="8.4"),
        unit=stnmt,
        year=2021,
        done_on=dt.date(2021, 11, 22),
        evidence_reference="QĐ 12",
    )
    dropped = _edited(STNMT, tmp_path, lambda rows: [r for r in rows if r["code"] != "8.4"])

    assert refusal(dropped, replace=True) == [
        "line 0: code: indicator 8.4 of the stored sheet has milestones recorded, and the "
        "file does not hold it"
    ]
    assert sheet.indicators.filter(code="8.4").exists()


def test_a_sheet_whose_results_are_published_is_not_replaced(stnmt, tmp_path):
    sheet = load(STNMT).sheet
    Publication.objects.create(
        unit=stnmt, year=2021, quarter=2, published_at=dt.datetime(2021, 7, 20, tzinfo=dt.UTC)
    )
    raised = _edited(
        STNMT,
        tmp_path,
        lambda rows: [{**r, "threshold": "92"} if r["code"] == "4.1" else r for r in rows],
    )

    assert refusal(raised, replace=True) == [
        "line 0: year: the results of 2021 of stnmt have been published (2021-Q2): a "
        "published sheet cannot be changed"
    ]
    assert Target.objects.get(indicator__sheet=sheet, indicator__code="4.1").threshold == 90
    # The same file again changes nothing, and so is no refusal.
    assert load(STNMT, replace=True).written == 0


def test_a_department_that_published_on_the_common_sheet_gets_no_sheet_of_its_own(catalogue):
    department = factories.department()
    Publication.objects.create(
        unit=department, year=2021, quarter=1, published_at=dt.datetime(2021, 4, 20, tzinfo=dt.UTC)
    )

    assert refusal(DARD, department="sonn") == [
        "line 0: year: the results of 2021 of sonn have been published (2021-Q1): a "
        "published sheet cannot be changed"
    ]
    assert not Sheet.objects.filter(department=department).exists()


# --- all or nothing ---------------------------------------------------------------------


def test_a_bad_last_row_leaves_nothing_written(stnmt, tmp_path):
    before = (
        Sheet.objects.count(),
        Commitment.objects.count(),
        IndicatorDefinition.objects.count(),
        TargetChange.objects.count(),
    )
    bad = _edited(
        STNMT,
        tmp_path,
        lambda rows: [*rows, {**rows[-1], "code": "8.5", "comparator": "<="}],
    )

    assert refusal(bad) == [
        "line 14: comparator: '<=' is not a comparator of the wording table: use >= (từ … "
        "trở lên, ít nhất, tăng, X%) or > (trên X%)"
    ]
    assert before == (
        Sheet.objects.count(),
        Commitment.objects.count(),
        IndicatorDefinition.objects.count(),
        TargetChange.objects.count(),
    )
    assert not Sheet.objects.filter(department=stnmt).exists()
    assert not IndicatorDefinition.objects.filter(code="online-share").exists()


def test_the_readmes_example_of_the_sheet_file_loads(stnmt, tmp_path):
    """The example the README gives loads as it says: a definition of its own, 5.1
    with land's override, 8.3's comparator read from its words."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**The sheet file**") :]
    example = section[
        section.index("```csv\n") + 7 : section.index("```\n", section.index("```csv"))
    ]
    path = tmp_path / "example.csv"
    path.write_text(example, encoding="utf-8")

    loaded = load(path)

    assert (loaded.counts, loaded.warnings) == (
        {"commitments": 2, "indicators": 2, "overrides": 1},
        [],
    )
    online = Target.objects.get(indicator__sheet=loaded.sheet, indicator__code="8.3")
    assert (online.threshold, online.comparator) == (40, ">=")
    assert online.indicator.version.definition.code == "online-share"
