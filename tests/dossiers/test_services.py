"""Importing dossier records: all or nothing, upsert by code, and the figures derived."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.models import AuditEntry, Figure, QuarterlyReport
from commitments.tabular import ImportFailed
from dossiers.models import Dossier, DossierCount
from dossiers.services import dossiers_import
from tests import factories
from tests.dossiers.conftest import HEADER, VI_HEADER, WORKED


def figures_of(unit, year=2021, quarter=1, category="land") -> dict[str, int]:
    rows = Figure.objects.filter(
        unit=unit, year=year, quarter=quarter, category__code=category
    ).values_list("element__code", "value")
    return dict(rows)


def test_the_worked_example_gives_the_figures_typed_by_hand(desk, write_file):
    """The desk counted by hand: 6 received, 3 online, 4 resolved, 3 on time."""
    hand = {
        "dossiers_received": 6,
        "dossiers_online": 3,
        "dossiers_resolved": 4,
        "dossiers_on_time": 3,
    }
    for element, value in hand.items():
        factories.figure(desk, element, value, category="land")
    result = dossiers_import(path=write_file("d.csv", HEADER + WORKED))
    assert result.rows == 6
    assert figures_of(desk) == hand
    assert result.figures.updated == 0 and result.figures.unchanged == 4
    counts = DossierCount.objects.filter(unit=desk, year=2021, quarter=1)
    assert {(c.element.code, c.value, c.records, c.typed) for c in counts} == {
        (element, value, 6, value) for element, value in hand.items()
    }


def test_derived_figures_are_official_and_audited(desk, write_file):
    dossiers_import(path=write_file("d.csv", HEADER + WORKED))
    report = QuarterlyReport.objects.get(unit=desk, year=2021, quarter=1)
    assert report.state == QuarterlyReport.State.APPROVED
    assert AuditEntry.objects.filter(
        subject=AuditEntry.Subject.FIGURES, label__contains="d.csv"
    ).exists()


def test_vietnamese_headers_and_values(desk, write_file):
    dossiers_import(path=write_file("d.csv", VI_HEADER + WORKED, bom=True))
    assert figures_of(desk)["dossiers_online"] == 3
    assert Dossier.objects.get(code="HS-5").status == "withdrawn"


def test_reimport_changes_nothing(desk, write_file):
    path = write_file("d.csv", HEADER + WORKED)
    dossiers_import(path=path)
    again = dossiers_import(path=path)
    assert Dossier.objects.count() == 6
    assert again.figures.created == again.figures.updated == 0
    assert figures_of(desk)["dossiers_received"] == 6


def test_a_dossier_whose_resolution_moved_moves_quarters(desk, write_file):
    dossiers_import(path=write_file("d.csv", HEADER + WORKED))
    moved = "HS-6,vp-mot-cua,land,TT-01,online,2021-03-10,2021-03-25,2021-04-02,0,resolved,\n"
    dossiers_import(path=write_file("later.csv", HEADER + moved))
    assert figures_of(desk)["dossiers_resolved"] == 4
    assert figures_of(desk, quarter=2) == {
        "dossiers_received": 0,
        "dossiers_online": 0,
        "dossiers_resolved": 1,
        "dossiers_on_time": 0,
    }
    back = "HS-6,vp-mot-cua,land,TT-01,online,2021-03-10,2021-03-25,2021-03-20,0,resolved,\n"
    dossiers_import(path=write_file("fixed.csv", HEADER + back))
    assert figures_of(desk)["dossiers_resolved"] == 5
    assert figures_of(desk)["dossiers_on_time"] == 4
    assert figures_of(desk, quarter=2)["dossiers_resolved"] == 0


def test_a_unit_that_reports_by_hand_keeps_its_figures(desk, write_file, catalogue):
    other = factories.unit("ccttbvtv", receives_dossiers=True)
    factories.figure(other, "dossiers_received", 40, category="crop")
    dossiers_import(path=write_file("d.csv", HEADER + WORKED))
    assert figures_of(other, category="crop") == {"dossiers_received": 40}


def test_one_bad_row_and_nothing_is_written(desk, write_file):
    bad = (
        "HS-7,nowhere,land,TT-01,fax,2021-03-10,2021-03-25,2021-03-01,0,resolved,2\n"
        "HS-8,vp-mot-cua,moon,TT-01,online,2099-01-01,2099-01-25,,0,in_progress,\n"
        "HS-1,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,resolved,\n"
    )
    with pytest.raises(ImportFailed) as failed:
        dossiers_import(path=write_file("d.csv", HEADER + WORKED + bad))
    assert failed.value.errors == [
        "line 8: unit: unknown unit 'nowhere'",
        "line 8: channel: 'fax' is not one of online, direct, postal, trực tuyến, trực tiếp, bưu chính",
        "line 8: paid_online: '2': 0, 1 or empty (no fee)",
        "line 8: resolved_at: before received_at",
        "line 9: field: unknown field 'moon'",
        "line 9: received_at: in the future",
        "line 10: resolved_at: required for a dossier resolved",
    ]
    assert not Dossier.objects.exists()
    assert not Figure.objects.exists()


def test_a_code_twice_in_the_file_is_refused(desk, write_file):
    twice = WORKED + WORKED.splitlines(keepends=True)[0]
    with pytest.raises(ImportFailed) as failed:
        dossiers_import(path=write_file("d.csv", HEADER + twice))
    assert failed.value.errors == ["line 8: code: dossier 'HS-1' is already on line 2"]
    assert not Dossier.objects.exists()


def test_missing_and_unknown_columns(desk, write_file):
    with pytest.raises(ImportFailed) as failed:
        dossiers_import(path=write_file("d.csv", "code,unit,colour\n"))
    assert failed.value.errors[0] == "line 1: colour: unknown column"
    assert "line 1: field: missing column" in failed.value.errors


def test_xlsx_export(desk, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in (HEADER + WORKED).splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "d.xlsx"
    book.save(path)
    dossiers_import(path=path)
    assert figures_of(desk)["dossiers_on_time"] == 3


def test_command_exits_1_with_one_line_per_bad_row(desk, write_file, capsys):
    path = write_file(
        "d.csv", HEADER + "HS-9,vp-mot-cua,land,TT-01,online,x,2021-01-02,,0,in_progress,\n"
    )
    with pytest.raises(CommandError) as failed:
        call_command("import_dossiers", path)
    assert failed.value.returncode == 1
    assert "line 2: received_at: 'x' is not a date" in capsys.readouterr().err


def test_command_imports(desk, write_file, capsys):
    call_command("import_dossiers", write_file("d.csv", HEADER + WORKED))
    assert "6 dossiers imported" in capsys.readouterr().out
