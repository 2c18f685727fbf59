"""The import through COPY and SQL (PostgreSQL, CSV) against the row-by-row Python path:
the same files give the same dossiers, counts and figures, and a file with any bad row
falls back to the Python path, whose messages it gives, nothing written."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

import pytest
from django.db import connection, transaction

from commitments.models import Figure, Unit
from commitments.tabular import ImportFailed
from dossiers import fast_copy
from dossiers.models import Dossier, DossierCount
from dossiers.services import dossiers_import
from tests import factories
from tests.dossiers.conftest import HEADER, VI_HEADER, WORKED

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and the SQL checks are PostgreSQL's"
)

UNITS = ("vp-mot-cua", "ccttbvtv")
FIELDS = ("land", "crop", "investment")
NFD = "NFD"


class _Undo(Exception):
    pass


@pytest.fixture
def desks(desk):
    factories.unit("ccttbvtv", receives_dossiers=True)
    return desk


def _state() -> dict:
    dossiers = list(
        Dossier.objects.order_by("code").values_list(
            *(f.attname for f in Dossier._meta.concrete_fields if f.attname != "id")
        )
    )
    counts = sorted(
        DossierCount.objects.values_list(
            "unit_id", "year", "quarter", "element_id", "category_id", "value", "records", "typed"
        )
    )
    figures = sorted(
        Figure.objects.values_list(
            "unit_id", "year", "quarter", "element_id", "category_id", "value"
        )
    )
    return {"dossiers": dossiers, "counts": counts, "figures": figures}


def _run(paths, monkeypatch, *, fast: bool) -> tuple[list, dict, list[bool]]:
    """Import the files in turn, the fast way when it takes them or row by row; what
    each import gave (or its errors), what was stored, and which went the fast way.
    Everything is rolled back after."""
    real = fast_copy.fast_import
    used: list[bool] = []

    def spied(*args, **kwargs):
        found = real(*args, **kwargs) if fast else None
        used.append(found is not None)
        return found

    monkeypatch.setattr(fast_copy, "fast_import", spied)
    outcomes: list = []
    try:
        with transaction.atomic():
            for path in paths:
                try:
                    result = dossiers_import(path=path)
                    figures = result.figures
                    outcomes.append((result.rows, result.periods, str(figures)))
                except ImportFailed as failed:
                    outcomes.append(failed.errors)
            state = _state()
            raise _Undo
    except _Undo:
        pass
    monkeypatch.setattr(fast_copy, "fast_import", real)
    return outcomes, state, used


def _same_both_ways(paths, monkeypatch) -> tuple[list, dict, list[bool]]:
    fast = _run(paths, monkeypatch, fast=True)
    slow = _run(paths, monkeypatch, fast=False)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    return fast


def _moment(rng: random.Random, moment: dt.datetime, *, date_only: bool = False) -> str:
    """A local moment written in one of the forms the files use."""
    if date_only:
        return rng.choice((f"{moment:%Y-%m-%d}", f"{moment.day}/{moment.month}/{moment.year}"))
    utc = moment - dt.timedelta(hours=7)
    seconds = (
        f"{moment:%Y-%m-%dT%H:%M:%S}",
        f"{moment:%Y-%m-%d %H:%M:%S}+07:00",
        f"{utc:%Y-%m-%dT%H:%M:%S}Z",
        f"{moment:%d/%m/%Y %H:%M:%S}",
    )
    if moment.second:
        return rng.choice(seconds)
    return rng.choice(
        (
            *seconds,
            f"{moment:%Y-%m-%d %H:%M}",
            f"{moment:%Y-%m-%d %H:%M}+07:00",
            f"{utc:%Y-%m-%d %H:%M}+00:00",
            f"{moment.day}/{moment.month}/{moment.year} {moment:%H:%M}",
        )
    )


def _choice(rng: random.Random, english: str, vietnamese: str) -> str:
    text = rng.choice((english, vietnamese))
    return rng.choice(
        (text, text.upper(), f" {text} ", unicodedata.normalize(NFD, text), text.title())
    )


CHANNELS = (("online", "trực tuyến"), ("direct", "trực tiếp"), ("postal", "bưu chính"))
STATUSES = {
    "in_progress": "đang giải quyết",
    "resolved": "đã giải quyết",
    "withdrawn": "rút hồ sơ",
    "refused": "từ chối",
}
# Received at the edges of quarters, on the department's clock.
EDGES = (
    dt.datetime(2021, 3, 31, 23, 30),
    dt.datetime(2021, 4, 1, 0, 30),
    dt.datetime(2021, 6, 30, 23, 59, 59),
    dt.datetime(2021, 12, 31, 23, 30),
    dt.datetime(2021, 1, 1, 0, 0),
)


def _row(rng: random.Random, n: int, *, code: str | None = None) -> list[str]:
    """One sound dossier, with the tricky forms a real export may hold."""
    received = rng.choice(EDGES) if rng.random() < 0.2 else dt.datetime(2021, 1, 1, 8)
    received += (
        dt.timedelta(minutes=rng.randrange(300 * 24 * 60)) if received.hour == 8 else dt.timedelta()
    )
    received_date_only = rng.random() < 0.15
    if received_date_only:
        received = received.replace(hour=0, minute=0, second=0)
    due_date_only = rng.random() < 0.4
    due = received + dt.timedelta(days=rng.choice((0, 1, 5, 15)))
    due_moment = due.replace(hour=23, minute=59, second=59) if due_date_only else due
    paused = rng.choice((0, 0, 0, 2, 3))
    status = rng.choices(list(STATUSES), (20, 60, 10, 10))[0]
    resolved = ""
    if status != "in_progress" and not (status == "withdrawn" and rng.random() < 0.5):
        # exactly at the due date that counts, a second after it, or anywhere near it
        at = rng.choice(
            (
                due_moment + dt.timedelta(days=paused),
                due_moment + dt.timedelta(days=paused, seconds=1),
                due_moment + dt.timedelta(days=rng.randrange(-3, 4)),
            )
        )
        resolved = _moment(rng, max(at, received).replace(microsecond=0))
    name = code or rng.choice(
        (f"HS-{n:05d}", unicodedata.normalize(NFD, f"Hồ sơ {n}"), f"Hồ sơ, số {n}")
    )
    return [
        name,
        rng.choice(UNITS),
        rng.choice(FIELDS),
        rng.choice((f"1.{n % 7:06d}", 'thủ tục "đất", 2')),
        _choice(rng, *rng.choice(CHANNELS)),
        _moment(rng, received, date_only=received_date_only),
        _moment(rng, due, date_only=due_date_only),
        resolved,
        rng.choice(("", str(paused))) if paused == 0 else str(paused),
        _choice(rng, status, STATUSES[status]),
        rng.choice(("", "0", "1")),
    ]


def _csv(rows: list[list[str]], *, header: str = HEADER, newline: str = "\n") -> str:
    def cell(text: str) -> str:
        if any(c in text for c in ',"'):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [header.rstrip("\n")] + [",".join(cell(c) for c in row) for row in rows]
    return newline.join(lines) + newline


def test_generated_files_give_the_same_dossiers_and_figures(desks, write_file, monkeypatch):
    rng = random.Random(766)
    rows = [_row(rng, n) for n in range(400)]
    rows.insert(100, [""] * 11)  # a row of empty cells: skipped
    path = write_file("generated.csv", _csv(rows))
    outcomes, state, used = _same_both_ways([path], monkeypatch)
    assert used == [True]
    assert outcomes[0][0] == 400
    assert len(state["dossiers"]) == 400
    assert {d[-1] for d in state["dossiers"]} == {True, False, None}  # on time, late, not counted


def test_vietnamese_headers_crlf_bom_and_columns_in_another_order(desks, write_file, monkeypatch):
    rng = random.Random(1)
    rows = [_row(rng, n) for n in range(150)]
    order = [3, 0, 9, 1, 2, 4, 5, 6, 7, 8, 10]
    names = [unicodedata.normalize(NFD, n) for n in VI_HEADER.rstrip("\n").split(",")]
    header = ",".join(names[i] for i in order) + ",\n"  # and a column without a name
    text = _csv(
        [[row[i] for i in order] + ["ignored"] for row in rows], header=header, newline="\r\n"
    )
    path = write_file("vi.csv", text, bom=True)
    _outcomes, state, used = _same_both_ways([path], monkeypatch)
    assert used == [True]
    assert len(state["dossiers"]) == 150


def test_optional_columns_left_out_and_a_column_named_twice(desks, write_file, monkeypatch):
    header = "code,unit,field,procedure,channel,received_at,due_at,status,Mã đơn vị\n"
    text = header + (
        "A-1,nowhere,land,TT-1,online,2021-03-31 23:30,2021-04-02,in_progress,vp-mot-cua\n"
        "A-2,nowhere,crop,TT-1,direct,2021-02-01,2021-02-01,in_progress,ccttbvtv\n"
    )
    _outcomes, state, used = _same_both_ways([write_file("short.csv", text)], monkeypatch)
    assert used == [True]
    assert [d[1] for d in state["dossiers"]] == [
        Unit.objects.get(code=c).pk for c in ("vp-mot-cua", "ccttbvtv")
    ]


def test_the_worked_example_and_a_reimport_moving_dossiers(desks, write_file, monkeypatch):
    rng = random.Random(5)
    first = [_row(rng, n) for n in range(200)]
    moved = [_row(rng, n, code=row[0]) for n, row in enumerate(first[:120])]
    paths = [
        write_file("worked.csv", HEADER + WORKED),
        write_file("first.csv", _csv(first)),
        write_file("moved.csv", _csv(moved)),
        write_file("worked-vi.csv", VI_HEADER + WORKED),
    ]
    _outcomes, state, used = _same_both_ways(paths, monkeypatch)
    assert used == [True, True, True, True]
    assert len(state["dossiers"]) == 206


GOOD = "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04 08:00,2021-01-15,2021-01-15 16:30,0,resolved,1"
# Each line: a row the Python path refuses (its messages are the ones to give).
BAD = (
    "HS-9,nowhere,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,",
    "HS-9,vp-mot-cua,moon,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,",
    ",vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,,online,2021-01-04,2021-01-15,,0,in_progress,",
    f"{'X' * 101},vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,",
    f"HS-9,vp-mot-cua,land,{'é' * 101},online,2021-01-04,2021-01-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,fax,2021-01-04,2021-01-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,lost,",
    "HS-9,vp-mot-cua,land,TT-01,,2021-01-04,2021-01-15,,0,,",
    "HS-9,vp-mot-cua,land,TT-01,online,x,2021-01-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,,2021-01-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-02-30,2021-03-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04 24:00,2021-03-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04 10:00:60,2021-03-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04 10:60,2021-03-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,13/13/2021,2021-03-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2099-01-04,2099-01-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,2099-01-01,0,resolved,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-03,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,2021-01-03,0,resolved,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,resolved,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,refused,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,2021-01-05,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,x,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,-1,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,2",
    "HS-1,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,",  # code twice
)


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_row_gives_the_python_messages_and_writes_nothing(
    desks, write_file, monkeypatch, bad
):
    path = write_file(
        "bad.csv", HEADER + WORKED + bad + "\n" + GOOD.replace("HS-9", "HS-10") + "\n"
    )
    outcomes, state, used = _same_both_ways([path], monkeypatch)
    assert used == [False]
    assert isinstance(outcomes[0], list) and outcomes[0]
    assert all(problem.startswith("line 8: ") for problem in outcomes[0])
    assert state == {"dossiers": [], "counts": [], "figures": []}


# Each line: a row the Python path takes (or refuses) that the SQL is not sure of: the
# file goes the Python way, with the same outcome.
ODD = (
    "\u00a0HS-9\u00a0,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01\u3000,online,2021-01-04,2021-01-15,,0,in_progress,",
    'HS-9,vp-mot-cua,land,TT"01,online,2021-01-04,2021-01-15,,0,in_progress,',
    '"HS-9"x,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,',
    '"HS-9\n2",vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,',
    "HS-9,vp-mot-cua,land,TT-01,online,1/3/21,2021-03-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04 10:00:00.5,2021-03-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,20210104,2021-03-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,1975-01-04,2021-03-15,,0,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,٣,in_progress,",
    "HS-9,vp-mot-cua,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,,",
    "HS-9,vp-mot-cua,land,TT-01,ONLİNE,2021-01-04,2021-01-15,,0,in_progress,",
    "",  # a blank line
    "   ",
)


@pytest.mark.parametrize("odd", ODD)
def test_a_row_the_sql_is_not_sure_of_goes_the_python_way(desks, write_file, monkeypatch, odd):
    path = write_file(
        "odd.csv", HEADER + WORKED + odd + "\n" + GOOD.replace("HS-9", "HS-10") + "\n"
    )
    _outcomes, _state, used = _same_both_ways([path], monkeypatch)
    assert used == [False]


def test_a_long_cell_in_a_column_left_out(desks, write_file, monkeypatch):
    header = HEADER.rstrip("\n") + ",\n"
    rows = [line + ",x" for line in WORKED.splitlines()] + [GOOD + "," + "y" * 140_000]
    outcomes, _state, used = _same_both_ways(
        [write_file("long.csv", header + "\n".join(rows) + "\n")], monkeypatch
    )
    assert used == [False]
    assert outcomes[0][0].startswith("line 8: file: not a readable CSV row")


def test_a_file_not_utf8_goes_the_python_way(desks, tmp_path, monkeypatch):
    path = tmp_path / "latin.csv"
    path.write_bytes(
        (HEADER + WORKED).encode() + "HS-9,vp-mot-cua,land,café".encode("latin-1") + b"\n"
    )
    outcomes, _state, used = _same_both_ways([str(path)], monkeypatch)
    assert used == [False]
    assert outcomes[0][0].endswith(": file: not UTF-8; save it as UTF-8")


def test_a_bad_header_gives_the_python_messages(desks, write_file, monkeypatch):
    outcomes, _state, used = _same_both_ways(
        [write_file("h.csv", "code,unit,colour\nA,b,c\n")], monkeypatch
    )
    assert used == [False]
    assert outcomes[0][0] == "line 1: colour: unknown column"


def test_a_code_twice_over_stored_dossiers_gives_the_python_messages(
    desks, write_file, monkeypatch
):
    twice = WORKED + WORKED.splitlines(keepends=True)[0]
    paths = [write_file("worked.csv", HEADER + WORKED), write_file("twice.csv", HEADER + twice)]
    outcomes, _state, used = _same_both_ways(paths, monkeypatch)
    assert used == [True, False]
    assert outcomes[1] == ["line 8: code: dossier 'HS-1' is already on line 2"]


@pytest.mark.parametrize(
    "text", [HEADER + WORKED.rstrip("\n"), HEADER], ids=["no last new line", "header only"]
)
def test_a_last_line_without_its_new_line_and_a_header_alone(desks, write_file, monkeypatch, text):
    _outcomes, state, used = _same_both_ways([write_file("d.csv", text)], monkeypatch)
    assert used == [True]
    assert len(state["dossiers"]) == (6 if "HS-6" in text else 0)
