"""The staging table an import writes its checked rows to before they replace the
stored dossiers: on PostgreSQL with COPY (psycopg 3's ``cursor.copy``), elsewhere
(SQLite) in batches of parameterised inserts. The same SQL then finds duplicates, the
quarters touched and upserts by dossier code on both."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from django.db import connection

from dossiers.reading import STAGED

STAGE = "dossier_stage"
BATCH = 5000
TYPES = {
    "postgresql": (
        "line integer, code varchar(100), unit_id bigint, category_id bigint, "
        "procedure varchar(100), channel varchar(10), received_at timestamptz, "
        "due_at timestamptz, resolved_at timestamptz, paused_days integer, "
        "status varchar(12), paid_online boolean, due_by timestamptz, received_year integer, "
        "received_quarter smallint, resolved_year integer, resolved_quarter smallint, "
        "on_time boolean"
    ),
}
DATETIMES = tuple(i for i, name in enumerate(STAGED) if name.endswith(("_at", "_by")))
# The dossier's own columns: all the staged ones but the line.
STORED = STAGED[1:]


def stage_create(cursor) -> None:
    """A fresh, empty staging table, private to this connection."""
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    columns = TYPES.get(connection.vendor, ", ".join(STAGED))
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns})")


def stage_drop(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


@contextlib.contextmanager
def stage_writer(cursor) -> Iterator[Callable[[tuple], None]]:
    """A function that stages one checked row (a tuple of ``STAGED`` values)."""
    if connection.vendor == "postgresql":
        names = ", ".join(STAGED)
        with cursor.cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
            yield copy.write_row
        return
    batch: list[tuple] = []
    sql = f"INSERT INTO {STAGE} VALUES ({', '.join(['%s'] * len(STAGED))})"
    adapt = connection.ops.adapt_datetimefield_value

    def write(row: tuple) -> None:
        batch.append(tuple(adapt(v) if i in DATETIMES else v for i, v in enumerate(row)))
        if len(batch) >= BATCH:
            cursor.executemany(sql, batch)
            batch.clear()

    yield write
    if batch:
        cursor.executemany(sql, batch)


def stage_duplicates(cursor) -> list[str]:
    """``line N: code: …`` for each row whose dossier code an earlier row already has."""
    cursor.execute(
        f"SELECT s.line, s.code, f.first FROM {STAGE} s JOIN "
        f"(SELECT code, MIN(line) AS first FROM {STAGE} GROUP BY code HAVING COUNT(*) > 1) f "
        "ON f.code = s.code WHERE s.line > f.first ORDER BY s.line"
    )
    return [
        f"line {line}: code: dossier {code!r} is already on line {first}"
        for line, code, first in cursor.fetchall()
    ]


def stage_periods(cursor) -> set[tuple[int, int, int]]:
    """The (unit id, year, quarter) whose figures the import changes: those the staged
    dossiers count in, and those the stored dossiers of the same codes counted in."""
    cursor.execute(
        f"SELECT unit_id, received_year, received_quarter FROM {STAGE} "
        f"UNION SELECT unit_id, resolved_year, resolved_quarter FROM {STAGE} "
        "WHERE resolved_year IS NOT NULL "
        f"UNION SELECT d.unit_id, d.received_year, d.received_quarter FROM dossiers_dossier d "
        f"JOIN {STAGE} s ON s.code = d.code "
        f"UNION SELECT d.unit_id, d.resolved_year, d.resolved_quarter FROM dossiers_dossier d "
        f"JOIN {STAGE} s ON s.code = d.code WHERE d.resolved_year IS NOT NULL"
    )
    return {tuple(row) for row in cursor.fetchall()}


def stage_upsert(cursor) -> int:
    """Every staged dossier stored, replacing the one of the same code; how many."""
    names = ", ".join(STORED)
    updates = ", ".join(f"{name} = excluded.{name}" for name in STORED if name != "code")
    # WHERE true: SQLite reads ON CONFLICT after a bare SELECT as a join constraint.
    cursor.execute(
        f"INSERT INTO dossiers_dossier ({names}) SELECT {names} FROM {STAGE} WHERE true "
        f"ON CONFLICT (code) DO UPDATE SET {updates}"
    )
    return cursor.rowcount
