"""Importing a CSV export on PostgreSQL at the speed of COPY: the header is read in
Python, the rest of the file's bytes go unparsed to ``COPY … FROM STDIN (FORMAT csv)``
into a temporary table of text columns, and one ``INSERT … SELECT … ON CONFLICT`` checks
and converts every row in SQL as ``reading.row_check`` and ``rules`` do.

The SQL only has to *detect* a row the Python path would refuse (or read differently):
it is at least as strict, and such a row fails the statement (a cast of a sentence to
boolean). Then, or when COPY itself fails (a malformed row, a blank line, a wrong number
of cells, not UTF-8 …), everything since the savepoint is rolled back and the caller reads
the file row by row in Python, which gives the exact ``line N: column: reason`` lines.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import logging
import re
import sys
import unicodedata
from pathlib import Path

import psycopg
from django.db import DatabaseError, connection, transaction

from commitments.models import Category, Unit
from commitments.tabular import ImportFailed
from dossiers import reading, rules
from dossiers.staging import STORED

logger = logging.getLogger(__name__)
RAW = "dossier_raw"
CHUNK = 1 << 20
# The csv module's default field size limit: a longer row goes the Python way.
LONGEST = 131_072
# A line of well-formed CSV: each cell bare (no quote) or quoted whole, quotes doubled
# inside, no carriage return but the line's end. Python's csv and PostgreSQL's COPY read
# such a line alike; a line with a quote of another kind goes the Python way.
_CELL = rb'(?:[^",\r\n]*|"(?:[^"\r\n]|"")*")'
_WELL_FORMED = re.compile(_CELL + rb"(?:," + _CELL + rb")*\r?")
# Before 1976 Hồ Chí Minh City's clock changed; after 2200 nothing is expected: such
# dates go the Python way.
EARLIEST, LATEST = dt.datetime(1976, 1, 1, tzinfo=dt.UTC), dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


class NotFast(Exception):
    """The file must be read row by row in Python."""


@functools.cache
def _odd_spaces() -> str:
    """Every character Python's str.strip() removes but a space and a tab: a row with
    one of them goes the Python way, so that SQL's btrim of spaces and tabs is strip()."""
    spaces = (c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c not in " \t")
    return "".join(spaces)


def _letters(keys) -> str:
    """A regular expression bracket of the characters a choice may be written with: those
    of its keys in either case and either Unicode form. Another character (a look-alike
    that one lower() would fold and another not) goes the Python way."""
    chars = set()
    for key in keys:
        for form in (key, key.upper()):
            chars |= set(form) | set(unicodedata.normalize("NFD", form))
    return "^[" + "".join(sorted(chars)).replace("-", "") + "]+$"


def fast_import(cursor, path, *, now: dt.datetime, zone: str, progress=None):
    """(rows, periods touched) once the CSV file is imported through COPY; None, with
    nothing written, when it must be read row by row (not PostgreSQL, not CSV, or any
    row the SQL is not sure of)."""
    path = Path(path)
    if connection.vendor != "postgresql" or path.suffix.lower() not in (".csv", ".txt", ""):
        return None
    if not path.is_file():
        return None
    try:
        with transaction.atomic():
            return _import(cursor, path, now, zone, progress)
    except (NotFast, ImportFailed, DatabaseError, psycopg.Error) as exc:
        logger.info("%s: read row by row (%s)", path.name, str(exc).strip() or type(exc).__name__)
        return None


def _import(cursor, path: Path, now, zone, progress):
    with path.open("rb") as handle:
        names = _header_names(handle.readline(1 << 16))
        columns = ", ".join(f"c{i} text" for i in range(len(names)))
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {RAW} "
            f"(line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), {columns})"
        )
        lines = _copy(cursor, handle, len(names), progress)
    # Every row on one line of its own: the lines are the Python path's line numbers.
    if cursor.cursor.rowcount != lines:
        raise NotFast
    cursor.execute(f"ANALYZE {RAW}")  # the plans below go by its size
    where = {name: i for i, name in enumerate(names) if name}
    cells = {name: _cell(where.get(name)) for name in reading.COLUMNS}
    periods, stored = _old_periods(cursor, cells["code"])
    rows, new = _upsert(cursor, cells, len(names), now, zone, stored=stored)
    cursor.execute(f"DROP TABLE {RAW}")
    if progress is not None:
        progress(rows)
    return rows, periods | new


def _header_names(first: bytes) -> list[str | None]:
    """The English column of each header cell, for a plain header line (no quote, no
    lone carriage return) ending in a new line."""
    if not first.endswith(b"\n"):
        raise NotFast
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    try:
        text = first.decode("utf-8").removesuffix("\n").removesuffix("\r")
    except UnicodeDecodeError as exc:
        raise NotFast from exc
    if '"' in text or "\r" in text:
        raise NotFast
    return reading._header(1, text.split(","))


def _copy(cursor, handle, width: int, progress) -> int:
    """Stream the rest of the file into the raw table; the lines it holds."""
    names = ", ".join(f"c{i}" for i in range(width))
    lines, told, tail = 0, 0, b""
    with cursor.cursor.copy(f"COPY {RAW} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
        while chunk := handle.read(CHUNK):
            data = tail + chunk
            cut = data.rfind(b"\n") + 1
            whole, tail = data[:cut], data[cut:]
            if len(tail) > LONGEST:
                raise NotFast
            _quotes_check(whole)
            lines += whole.count(b"\n")
            copy.write(chunk)
            if progress is not None and lines - told >= 50_000:
                told = lines
                progress(lines)
    if tail:
        _quotes_check(tail)
        lines += 1
    return lines


def _quotes_check(data: bytes) -> None:
    if b'"' not in data:
        return
    for line in data.split(b"\n"):
        if b'"' in line and _WELL_FORMED.fullmatch(line) is None:
            raise NotFast


def _cell(index: int | None) -> str:
    return "''" if index is None else rf"btrim(coalesce(r.c{index}, ''), E' \t')"


def _old_periods(cursor, code: str) -> tuple[set[tuple[int, int, int]], bool]:
    """The quarters the stored dossiers of the file's codes counted in, and whether any
    of them is stored."""
    cursor.execute(
        "SELECT d.unit_id, d.received_year, d.received_quarter, d.resolved_year, "
        "d.resolved_quarter FROM dossiers_dossier d "
        f"WHERE d.code IN (SELECT {code} FROM {RAW} r) GROUP BY 1, 2, 3, 4, 5"
    )
    rows = cursor.fetchall()
    return _periods(rows), bool(rows)


def _periods(rows) -> set[tuple[int, int, int]]:
    found = set()
    for unit, year, quarter, resolved_year, resolved_quarter, *_ in rows:
        found.add((unit, year, quarter))
        if resolved_year is not None:
            found.add((unit, resolved_year, resolved_quarter))
    return found


def _upsert(cursor, cells: dict[str, str], width: int, now, zone, *, stored: bool):
    """Check, convert and upsert every row; the rows and the quarters they count in.
    When none of the codes is ``stored`` yet, a plain insert (a code stored meanwhile, or
    twice in the file, then breaks the unique constraint: the Python path takes over)."""
    updates = ", ".join(f"{name} = excluded.{name}" for name in STORED if name != "code")
    conflict = f"ON CONFLICT (code) DO UPDATE SET {updates} " if stored else ""
    # Day first for 01/03/2021, as reading._parse_moment reads it (ISO dates are the same
    # whatever the style); the style is put back after.
    cursor.execute("SHOW DateStyle")
    style = cursor.fetchone()[0]
    cursor.execute("SET LOCAL DateStyle = 'ISO, DMY'")
    cursor.execute(
        f"WITH stored AS (INSERT INTO dossiers_dossier ({', '.join(STORED)}) "
        f"{_converted(cells, width)} {conflict}"
        "RETURNING unit_id, received_year, received_quarter, resolved_year, resolved_quarter) "
        "SELECT *, COUNT(*) FROM stored GROUP BY 1, 2, 3, 4, 5",
        {
            "zone": zone,
            "now": now,
            "earliest": EARLIEST,
            "latest": LATEST,
            "odd": _odd_spaces(),
            "longest": LONGEST,
            "naive": list(_shapes(offsets=False)),
            "offset": list(_shapes(offsets=True)),
            "channels": _letters(reading.CHANNELS),
            "statuses": _letters(reading.STATUSES),
        },
    )
    rows = cursor.fetchall()
    cursor.execute("SELECT set_config('DateStyle', %s, true)", [style])
    return sum(row[-1] for row in rows), _periods(rows)


def _shapes(*, offsets: bool) -> tuple[str, ...]:
    """The dates and moments the SQL reads, each digit written 0: ISO 2021-03-01 with an
    optional time (space or T, seconds optional), or 1/3/2021 with one after a space;
    a time with an offset (Z, +07:00) when ``offsets``, without one otherwise. Any other
    form reading._parse_moment may read goes the Python way."""
    days = ("0000-00-00", "0/0/0000", "00/0/0000", "0/00/0000", "00/00/0000")
    times = ("00:00", "00:00:00")
    zones = ("Z", "+00:00", "-00:00") if offsets else ("",)
    found = () if offsets else days
    for day in days:
        for sep in (" ", "T") if "-" in day else (" ",):
            found += tuple(f"{day}{sep}{time}{z}" for time in times for z in zones)
    return found


def _converted(cells: dict[str, str], width: int) -> str:
    """The SELECT of the stored columns (``staging.STORED``) from the raw rows."""
    counted = ", ".join(f"'{s}'" for s in rules.COUNTED)
    due_by = "p.due + p.paused * interval '24 hours'"
    timely = f"p.st IN ({counted}) AND p.resolved IS NOT NULL"
    return (
        f"SELECT p.code, u.id, c.id, p.procedure, p.ch, p.received, p.due, p.resolved, "
        f"p.paused, p.st, p.paid, {due_by}, "
        "extract(year FROM p.received_local)::int, "
        "extract(quarter FROM p.received_local)::int, "
        f"CASE WHEN {timely} THEN extract(year FROM p.resolved_local)::int END, "
        f"CASE WHEN {timely} THEN extract(quarter FROM p.resolved_local)::int END, "
        f"CASE WHEN {timely} THEN p.resolved <= {due_by} END "
        f"FROM ({_parsed(cells, width)}) p "
        f"LEFT JOIN {Unit._meta.db_table} u ON u.code = p.unit "
        f"LEFT JOIN {Category._meta.db_table} c "
        f"ON c.code = p.field AND c.kind = '{Category.Kind.FIELD.value}' "
        f"WHERE CASE WHEN {_sound(counted)} THEN true "
        "ELSE ('line ' || p.line || ' must be read row by row')::boolean END"
    )


def _sound(counted: str) -> str:
    """A row the Python path takes as it stands (every check of reading.row_check), read
    alike by both: text without a space strip() would take and SQL would keep."""
    ends = " AND ".join(
        f"strpos(%(odd)s, {end}(p.{name}, 1)) = 0"
        for name in ("code", "procedure")
        for end in ("left", "right")
    )
    return (
        "p.code <> '' AND char_length(p.code) <= 100 "
        "AND p.procedure <> '' AND char_length(p.procedure) <= 100 "
        f"AND {ends} AND p.fits AND p.clock "
        "AND u.id IS NOT NULL AND c.id IS NOT NULL AND p.ch IS NOT NULL AND p.st IS NOT NULL "
        "AND p.paused IS NOT NULL AND p.paid_online IN ('', '0', '1') "
        "AND p.received >= %(earliest)s AND p.received <= %(now)s "
        "AND p.due >= p.received AND p.due < %(latest)s "
        "AND (p.resolved IS NOT NULL OR p.resolved_at = '') "
        "AND (p.resolved IS NULL OR (p.resolved >= p.received AND p.resolved <= %(now)s)) "
        f"AND (p.resolved IS NOT NULL OR p.st NOT IN ({counted})) "
        "AND (p.resolved IS NULL OR p.st <> 'in_progress')"
    )


DATES = ("received_at", "due_at", "resolved_at")


def _parsed(cells: dict[str, str], width: int) -> str:
    """Each non-blank raw row, its cells trimmed, its dates, choices and numbers read
    (NULL when not read); each OFFSET 0 keeps what its level computes computed once."""
    shapes = ", ".join(f"{_kind('t.' + d)} AS {d}_kind" for d in DATES)
    clock = " AND ".join(_clock(f"t.{d}") for d in DATES)
    return (
        "SELECT i.*, "
        f"{_choice('i.channel', reading.CHANNELS, 'channels')} AS ch, "
        f"{_choice('i.status', reading.STATUSES, 'statuses')} AS st, "
        f"{_moment('i.received_at')}, {_moment('i.due_at', end_of_day=True)}, "
        f"{_moment('i.resolved_at')}, "
        "CASE WHEN i.paused_days = '' THEN 0 "
        "WHEN i.paused_days ~ '^[0-9]{1,5}$' THEN i.paused_days::int END AS paused, "
        "CASE i.paid_online WHEN '0' THEN false WHEN '1' THEN true END AS paid "
        f"FROM (SELECT t.*, {shapes}, {clock} AS clock "
        f"FROM ({_trimmed(cells, width)}) t OFFSET 0) i OFFSET 0"
    )


def _trimmed(cells: dict[str, str], width: int) -> str:
    """The raw rows but blank ones (every cell empty once trimmed), their cells trimmed;
    ``fits``: no cell left out is longer than the csv module reads."""
    trimmed = ", ".join(f"{expression} AS {name}" for name, expression in cells.items())
    used = {expression for expression in cells.values()}
    left_out = [f"r.c{i}" for i in range(width) if _cell(i) not in used]
    fits = " AND ".join(f"coalesce(octet_length({c}), 0) <= %(longest)s" for c in left_out)
    whole = "concat(" + ", ".join(f"r.c{i}" for i in range(width)) + ")"
    return (
        f"SELECT r.line, {trimmed}, {fits or 'true'} AS fits FROM {RAW} r "
        rf"WHERE {cells['code']} <> '' OR btrim({whole}, E' \t') <> '' OFFSET 0"
    )


def _clock(value: str) -> str:
    """No hour 24 and no second 60, which PostgreSQL reads and Python does not: the hour
    is the two characters before the first colon, the seconds three after it."""
    return (
        f"(strpos({value}, ':') = 0 "
        f"OR (substr({value}, strpos({value}, ':') - 2, 2) COLLATE \"C\" < '24' "
        f"AND substr({value}, strpos({value}, ':') + 4, 2) COLLATE \"C\" < '60'))"
    )


def _choice(value: str, choices: dict[str, str], letters: str) -> str:
    whens = " ".join(f"WHEN '{key}' THEN '{found}'" for key, found in choices.items())
    return (
        f"coalesce(CASE {value} {whens} END, CASE WHEN {value} ~ %({letters})s THEN "
        f"CASE lower(normalize({value}, NFC)) {whens} END END)"
    )


def _kind(value: str) -> str:
    """1 for a moment of a naive form the SQL reads, 2 for one with an offset, NULL
    for any other text (each digit written 0, compared with ``_shapes``)."""
    shape = f"translate({value}, '0123456789', '0000000000')"
    return (
        f"CASE WHEN {shape} = ANY(%(naive)s::text[]) THEN 1 "
        f"WHEN {shape} = ANY(%(offset)s::text[]) THEN 2 END"
    )


def _moment(value: str, *, end_of_day: bool = False) -> str:
    """A moment read as reading._moment reads it (NULL when not of a form the SQL is
    sure of), and the same on the department's clock: naive on that clock, a due date
    without a time at the end of its day."""
    name = value.removeprefix("i.").removesuffix("_at")
    naive = f"{value}::timestamp"
    if end_of_day:
        naive = (
            f"(CASE WHEN char_length({value}) <= 10 THEN {naive} + interval '23:59:59' "
            f"ELSE {naive} END)"
        )
    local = (
        f"CASE {value}_kind WHEN 1 THEN {naive} "
        f"WHEN 2 THEN {value}::timestamptz AT TIME ZONE %(zone)s END"
    )
    moment = (
        f"CASE {value}_kind WHEN 1 THEN {naive} AT TIME ZONE %(zone)s "
        f"WHEN 2 THEN {value}::timestamptz END"
    )
    return f"{moment} AS {name}, {local} AS {name}_local"
