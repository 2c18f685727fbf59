"""The figures import on PostgreSQL (``figure_stream``): streamed through a staging
table, it must agree with the import that reads the file whole
(``imports.figures_import_in_memory``) on every file, good or bad: the same result or
the same error lines, the same figures, audit entries, reports and kept values; and
its queries and memory must not grow with the file."""

from __future__ import annotations

import itertools
import json
import random
import tracemalloc

import pytest
from django.db import connection, transaction

from commitments import services
from commitments.models import (
    AuditEntry,
    Figure,
    OfficialFigure,
    QuarterlyReport,
    RecomputeRequest,
)
from commitments.tabular import ImportFailed
from tests import factories
from tests.commitments.services.importing import FIGURES_HEADER, write_xlsx

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the streamed import is PostgreSQL's"
)

# What the rows of the files below are made of: right, nearly right and wrong.
YEARS = ["2021"] * 6 + ["2020", " 2021", "+2021", "21", "2101", "abc", ""]
QUARTERS = ["1", "2", "3", "4"] * 3 + ["5", "0", " 2", ""]
UNITS = ["vp"] * 4 + ["ccttbvtv"] * 3 + ["sonn", "khong-co", " vp", "VP"]
PAIRS = [
    ("dossiers_resolved", "land"),
    ("dossiers_on_time", "land"),
    ("dossiers_received", "crop"),
    ("dossiers_online", "crop"),
    ("survey_responses", ""),
    ("survey_satisfied", ""),
    ("survey_published", ""),
    ("epayment_applied", ""),
    ("feedback_due", "portal_1022"),
    ("feedback_on_time", "portal_1022"),
]
BAD_PAIRS = [
    ("dossiers_resolved", ""),
    ("survey_responses", "land"),
    ("feedback_due", "land"),
    ("ho_so_la", "land"),
    ("dossiers_resolved", "rice"),
    (" survey_responses", ""),
    ("dossiers_resolved", " land "),
]
ODD_VALUES = ["007", "+5", " 12 ", "-3", "1.5", "", "9" * 17, "\u0663", "\u00b2", "2"]


def _fuzzed(seed: int, rows: int, *, clean: bool) -> str:
    """A figures file of ``rows`` rows drawn with ``seed``; ``clean``: only right rows."""
    draw = random.Random(seed)
    lines = []
    for _ in range(rows):
        if clean:
            year, quarter, unit = "2021", draw.choice("1234"), draw.choice(["vp", "ccttbvtv"])
            element, category = draw.choice(PAIRS)
        else:
            year, quarter, unit = draw.choice(YEARS), draw.choice(QUARTERS), draw.choice(UNITS)
            element, category = draw.choice(PAIRS + BAD_PAIRS[: draw.randint(0, 7)])
        value = str(
            draw.randint(0, 1)
            if element in ("survey_published", "epayment_applied")
            else draw.randint(0, 120)
        )
        if not clean and draw.random() < 0.15:
            value = draw.choice(ODD_VALUES)
        lines.append(f"{year},{quarter},{unit},{element},{category},{value}")
        if not clean and draw.random() < 0.03:
            lines.append(draw.choice(["", ",,,,,", " , , ", "2021,1"]))
    return FIGURES_HEADER + "\n".join(lines) + "\n"


def _clean(text: str) -> str:
    """The rows of a clean file with the validation rules kept: each later figure of a
    key wins, the smaller element of each rule at most its bound."""
    rows = {}
    for line in text.splitlines()[1:]:
        year, quarter, unit, element, category, value = line.split(",")
        rows[(year, quarter, unit, element, category)] = int(value)
    bounds = {
        "dossiers_on_time": "dossiers_resolved",
        "dossiers_online": "dossiers_received",
        "survey_satisfied": "survey_responses",
        "feedback_on_time": "feedback_due",
    }
    for (year, quarter, unit, element, category), value in list(rows.items()):
        if element in bounds:
            bound = (year, quarter, unit, bounds[element], category)
            rows[bound] = max(rows.get(bound, 0), value)
    body = [",".join([*key, str(value)]) for key, value in rows.items()]
    return FIGURES_HEADER + "\n".join(body) + "\n"


@pytest.fixture
def stored(stored_units):
    """Figures and reports stored before the file: some it repeats, updates or breaks a
    rule against; an approved report, a submitted one, a reopened one's kept values."""
    vp, cc = stored_units["vp"], stored_units["cc"]
    for quarter in (1, 2):
        factories.figure(vp, "dossiers_resolved", 60, quarter=quarter, category="land")
        factories.figure(vp, "dossiers_on_time", 50, quarter=quarter, category="land")
        factories.figure(cc, "survey_responses", 40, quarter=quarter)
        factories.figure(cc, "survey_satisfied", 30, quarter=quarter)
    factories.report(vp, quarter=1, state=QuarterlyReport.State.APPROVED)
    factories.report(vp, quarter=2, state=QuarterlyReport.State.SUBMITTED)
    factories.report(cc, quarter=1, state=QuarterlyReport.State.DRAFT, version=3)
    kept = Figure.objects.get(unit=cc, quarter=1, element__code="survey_responses")
    OfficialFigure.objects.create(unit=cc, year=2021, quarter=1, element=kept.element, value=7)
    return stored_units


def _state() -> dict:
    """What an import leaves, without ids, times and batches."""
    audit = AuditEntry.objects.values_list(
        "subject", "action", "unit_id", "year", "quarter", "label", "changes", "note", "batch"
    )
    return {
        "figures": sorted(
            Figure.objects.values_list(
                "year", "quarter", "unit_id", "element_id", "category_id", "value"
            ),
            key=str,
        ),
        "reports": sorted(
            QuarterlyReport.objects.values_list(
                "unit_id", "year", "quarter", "state", "version", "decided_by_id", "comment"
            )
        ),
        "decided": QuarterlyReport.objects.filter(decided_at__isnull=False).count(),
        "audit": sorted((*a[:6], json.dumps(a[6]), a[7], bool(a[8])) for a in audit),
        "kept": sorted(OfficialFigure.objects.values_list("unit_id", "year", "quarter", "value")),
        "recompute": sorted(set(RecomputeRequest.objects.values_list("year", flat=True))),
    }


def _outcome(importer, path) -> tuple:
    """The result (or error lines) of an import and what it left, then undone."""
    with transaction.atomic():
        try:
            said = str(importer(path=path))
        except ImportFailed as failed:
            said = failed.errors
        state = _state()
        transaction.set_rollback(True)
    return said, state


def _agree(path) -> object:
    """Both imports of ``path`` give the same; returns what they said."""
    in_memory = _outcome(services.imports.figures_import_in_memory, path)
    streamed = _outcome(services.figure_stream.figures_stream_import, path)
    assert streamed[0] == in_memory[0]
    assert streamed[1] == in_memory[1]
    return streamed[0]


@pytest.mark.parametrize("seed", range(6))
def test_a_file_with_every_kind_of_mistake_is_told_the_same(stored, write_file, seed):
    said = _agree(write_file("so-lieu.csv", _fuzzed(seed, 300, clean=False)))
    assert isinstance(said, list) and len(said) > 10  # refused, with many lines


@pytest.mark.parametrize("seed", range(3))
def test_a_right_file_writes_the_same(stored, write_file, seed):
    said = _agree(write_file("so-lieu.csv", _clean(_fuzzed(seed, 300, clean=True))))
    assert isinstance(said, str) and "created" in said
    # Imported twice, the second changes nothing, as the first did in the other way.
    path = write_file("so-lieu.csv", _clean(_fuzzed(seed, 300, clean=True)))
    services.figure_stream.figures_stream_import(path=path)
    assert _agree(path).startswith("0 created, 0 updated")


def test_rules_broken_alone_are_told_the_same(stored, write_file):
    text = FIGURES_HEADER + (
        "2021,1,vp,dossiers_on_time,land,61\n"  # over the stored 60
        "2021,2,vp,dossiers_resolved,land,49\n"  # under the stored 50: on the bound
        "2021,3,vp,dossiers_on_time,land,5\n"  # no bound anywhere: 0
        "2021,3,ccttbvtv,survey_satisfied,,9\n"
        "2021,3,ccttbvtv,survey_responses,,8\n"  # both in the file: on the smaller
        "2021,4,vp,dossiers_on_time,crop,3\n"
        "2021,4,vp,dossiers_resolved,crop,3\n"  # equal is fine
    )
    said = _agree(write_file("so-lieu.csv", text))
    assert [line.split(":")[0] for line in said] == ["line 2", "line 3", "line 4", "line 5"]


def test_columns_in_another_order_with_odd_cells(stored, write_file):
    text = (
        "Value,element,unit,quarter,year,category\n"
        " 12 ,docs_issued,vp, 3,2021,\n"
        "+5,docs_signed_digitally,vp,3,2021,\n"
        ",,,,,\n"
        "007,dossiers_resolved,ccttbvtv,3,2021, land\n"
    )
    assert _agree(write_file("so-lieu.csv", text)) == "3 created, 0 updated, 0 unchanged"


def test_an_excel_file_agrees(stored, tmp_path):
    text = _clean(_fuzzed(7, 200, clean=True))
    rows = [line.split(",") for line in text.splitlines()]
    rows = [
        rows[0],
        *[[int(r[0]), int(r[1]), r[2], r[3], r[4] or None, int(r[5])] for r in rows[1:]],
    ]
    assert "created" in _agree(write_xlsx(tmp_path, "so-lieu.xlsx", rows))


def test_a_bad_byte_far_down_the_file_fails_it_whole(stored, tmp_path):
    good = _clean(_fuzzed(3, 3000, clean=True)).encode()
    path = tmp_path / "so-lieu.csv"
    path.write_bytes(good + b"2021,1,vp,docs_issued,,1\n" + "Đ".encode("cp1258") + b"\n")
    lines = good.count(b"\n") + 2
    before = _state()
    with pytest.raises(ImportFailed) as failed:
        services.figure_stream.figures_stream_import(path=path)
    assert failed.value.errors == [
        f"line {lines}: file: not UTF-8; save it as UTF-8 (it looks like Windows-1258)"
    ]
    assert _state() == before


def _file(rows: int) -> str:
    """A right file of ``rows`` figures: the documents of units ``u0``, ``u1``… in
    every quarter of 2000 to 2100 (808 figures a unit)."""
    lines = (
        f"{year},{quarter},u{unit},{element},,{value}"
        for unit in range(rows // 808 + 1)
        for year in range(2000, 2101)
        for quarter in (1, 2, 3, 4)
        for element, value in (("docs_issued", 9), ("docs_signed_digitally", 4))
    )
    return FIGURES_HEADER + "\n".join(itertools.islice(lines, rows)) + "\n"


def _units(rows: int) -> None:
    for unit in range(rows // 808 + 1):
        factories.unit(f"u{unit}")


@pytest.mark.parametrize("rows", [50, 3000])
def test_the_queries_do_not_grow_with_the_file(
    stored, write_file, django_assert_max_num_queries, rows
):
    _units(rows)
    path = write_file("so-lieu.csv", _file(rows))
    with django_assert_max_num_queries(40):
        result = services.figure_stream.figures_stream_import(path=path)
    assert result.created == rows


def test_memory_does_not_grow_with_the_file(stored, write_file):
    _units(20_000)
    peaks = []
    for rows in (50, 2_000, 20_000):  # the first loads what any import loads once
        path = write_file(f"so-lieu-{rows}.csv", _file(rows))
        tracemalloc.start()
        with transaction.atomic():
            services.figure_stream.figures_stream_import(path=path)
            transaction.set_rollback(True)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # Read whole, the larger file would take some 2 KB a row: 40 MB.
    assert peaks[2] < peaks[1] * 1.5 + 128 * 1024, peaks
    assert peaks[2] < 2 * 1024 * 1024, peaks
