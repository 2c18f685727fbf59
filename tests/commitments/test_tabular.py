"""Reading a file row by row (``tabular.row_cells``), as the streamed imports do, and
whole (``tabular.read_rows``): the same rows, lines and refusals."""

from __future__ import annotations

import pytest

from commitments.tabular import ImportFailed, read_rows, row_cells

COLUMNS = ("year", "unit", "value")


def _rows(path, columns=COLUMNS) -> list[tuple[int, tuple[str, ...]]]:
    return [(line, tuple(cells)) for line, cells in row_cells(path, columns)]


def test_cells_come_in_the_order_of_the_columns_as_written(write_file):
    path = write_file("t.csv", "Unit, value ,YEAR\n vp ,12,2021\nsonn, 3 ,2020\n")
    assert _rows(path) == [
        (2, ("2021", " vp ", "12")),
        (3, ("2020", "sonn", " 3 ")),
    ]
    assert [(r.line, r.values) for r in read_rows(path, COLUMNS)] == [
        (2, {"year": "2021", "unit": "vp", "value": "12"}),
        (3, {"year": "2020", "unit": "sonn", "value": "3"}),
    ]


def test_blank_rows_are_skipped_and_short_rows_padded(write_file):
    text = "year,unit,value\n\n,,\n , ,\n2021,vp\n2021,vp,5,,\n"
    assert _rows(write_file("t.csv", text)) == [
        (5, ("2021", "vp", "")),
        (6, ("2021", "vp", "5")),
    ]


def test_a_column_named_twice_reads_its_last_cell(write_file):
    path = write_file("t.csv", "year,unit,value,value\n2021,vp,1,2\n")
    assert _rows(path) == [(2, ("2021", "vp", "2"))]


def test_the_header_is_checked_before_any_row_is_read(write_file):
    path = write_file("t.csv", "year,unit,amount\n2021,vp,1\n")
    with pytest.raises(ImportFailed) as failed:
        row_cells(path, COLUMNS)  # not iterated
    assert failed.value.errors == [
        "line 1: value: missing column",
        "line 1: amount: unknown column",
    ]


def test_a_row_that_cannot_be_read_fails_where_it_is(write_file, tmp_path):
    rows = row_cells(write_file("t.csv", "year,unit,value\n2021,vp,1\n2021,vp,1,9\n"), COLUMNS)
    assert next(rows) == (2, ["2021", "vp", "1"])
    with pytest.raises(ImportFailed) as failed:
        next(rows)
    assert failed.value.errors == ["line 3: row: more cells than columns in the header"]

    path = tmp_path / "t.csv"
    path.write_bytes(b"year,unit,value\n" + b"2021,vp,1\n" * 5000 + "Đ,vp,1\n".encode("cp1258"))
    with pytest.raises(ImportFailed) as failed:
        list(row_cells(path, COLUMNS))
    assert failed.value.errors == [
        "line 5002: file: not UTF-8; save it as UTF-8 (it looks like Windows-1258)"
    ]


def test_a_cell_over_several_lines_is_numbered_by_its_last(write_file):
    path = write_file("t.csv", 'year,unit,value\n2021,"v\np",1\n2021,vp,2\n')
    assert _rows(path) == [(3, ("2021", "v\np", "1")), (4, ("2021", "vp", "2"))]
