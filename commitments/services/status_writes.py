"""Writing computed statuses: the rows of a recompute replace the stored rows of what
it covered (``Scope``), in one set-based upsert that touches only the rows whose value,
target, status or detail changed, and a delete of the rows that no longer apply.

An unchanged row is not written at all: its ``computed_at`` says when its value last
changed, and the table does not fill with dead rows on every recompute.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from django.db import connection

from commitments.models import Status

# A stored status as the recompute writes it, in this order.
COLUMNS = (
    "indicator_id",
    "version_id",
    "unit_id",
    "category",
    "year",
    "quarter",
    "value",
    "target",
    "comparator",
    "status",
    "detail",
    "provisional",
    "differs",
)
# What makes a row: its natural key (``status_unique``) ...
KEY = ("indicator_id", "unit_id", "category", "year", "quarter", "provisional")
# ... and what is compared to decide whether it changed.
COMPARED = ("value", "target", "comparator", "status", "detail", "differs", "version_id")

Row = tuple  # in the order of COLUMNS

_TABLE = '"commitments_status"'


@dataclass(frozen=True)
class Scope:
    """The stored statuses a recompute replaces: those of ``year``, and only of the
    ``units`` and ``indicators`` (ids) when given."""

    year: int
    units: frozenset[int] | None = None
    indicators: frozenset[int] | None = None


def statuses_write(*, scope: Scope, rows: Sequence[Row], now: dt.datetime) -> int:
    """Replace the statuses of ``scope`` by ``rows`` (each in the order of
    ``COLUMNS``, its detail JSON-ready): rows new or changed are written with
    ``computed_at`` ``now``, unchanged rows are left as they are, and the rows of the
    scope that are not among ``rows`` are deleted. Returns how many were written.

    The stored rows of the scope are read once and compared here, so that what is
    sent is only what changed; called inside the recompute's transaction.
    """
    split = 1 + len(KEY)
    kept = {row[1:split]: (row[0], row[split:]) for row in _stored(scope)}
    key_of = itemgetter(*(COLUMNS.index(c) for c in KEY))
    compared_of = itemgetter(*(COLUMNS.index(c) for c in COMPARED))
    changed = []
    for row in rows:
        old = kept.pop(key_of(row), None)
        if old is None or old[1] != compared_of(row):
            changed.append(row)
    written = _upsert(changed, now)
    stale = [pk for pk, _ in kept.values()]
    for start in range(0, len(stale), 1000):
        Status.every.filter(pk__in=stale[start : start + 1000]).delete()
    return written


def _stored(scope: Scope) -> Iterable[tuple]:
    """The stored rows of the scope: id, key and compared values."""
    if connection.vendor != "postgresql":
        stored = Status.every.filter(year=scope.year)
        if scope.units is not None:
            stored = stored.filter(unit_id__in=scope.units)
        if scope.indicators is not None:
            stored = stored.filter(indicator_id__in=scope.indicators)
        return stored.order_by().values_list("pk", *KEY, *COMPARED)
    # As the database gives them (numbers as decimals), without the ORM's conversion
    # of every value: a national year holds a quarter of a million rows.
    sql = f"SELECT id, {', '.join(KEY)}, {', '.join(COMPARED)} FROM {_TABLE} WHERE year = %s"
    params: list = [scope.year]
    if scope.units is not None:
        sql += " AND unit_id = ANY(%s)"
        params.append(sorted(scope.units))
    if scope.indicators is not None:
        sql += " AND indicator_id = ANY(%s)"
        params.append(sorted(scope.indicators))
    detail = 1 + len(KEY) + COMPARED.index("detail")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows and isinstance(rows[0][detail], str):  # JSON as text: Django reads it so
        loads = json.loads
        return [(*row[:detail], loads(row[detail]), *row[detail + 1 :]) for row in rows]
    return rows


def _upsert(rows: Sequence[Row], now: dt.datetime) -> int:
    """Insert the rows, or update those stored (PostgreSQL: in one statement, which
    leaves a row equal to the stored one untouched all the same)."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        columns = [list(c) for c in zip(*rows, strict=True)]
        at = COLUMNS.index("detail")
        columns[at] = [json.dumps(d, separators=(",", ":")) for d in columns[at]]
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [now, *columns])
            return cursor.rowcount
    Status.every.bulk_create(
        [Status(**dict(zip(COLUMNS, row, strict=True)), computed_at=now) for row in rows],
        update_conflicts=True,
        unique_fields=["indicator", "unit", "category", "year", "quarter", "provisional"],
        update_fields=[*COMPARED, "computed_at"],
        batch_size=2000,
    )
    return len(rows)


# Array types of the columns, for ``unnest``.
_ARRAYS = {
    "indicator_id": "bigint[]",
    "version_id": "bigint[]",
    "unit_id": "bigint[]",
    "category": "text[]",
    "year": "integer[]",
    "quarter": "integer[]",
    "value": "numeric[]",
    "target": "numeric[]",
    "comparator": "text[]",
    "status": "text[]",
    "detail": "text[]",
    "provisional": "boolean[]",
    "differs": "boolean[]",
}

_UPSERT = (
    f"INSERT INTO {_TABLE} AS s ({', '.join(COLUMNS)}, computed_at)"
    f" SELECT {', '.join('i.detail::jsonb' if c == 'detail' else f'i.{c}' for c in COLUMNS)}, %s"
    f" FROM unnest({', '.join(f'%s::{_ARRAYS[c]}' for c in COLUMNS)}) AS i({', '.join(COLUMNS)})"
    # In the order of the key, so that two recomputes writing the same rows lock them
    # in the same order and wait for each other instead of deadlocking.
    f" ORDER BY {', '.join(f'i.{c}' for c in KEY)}"
    f" ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET"
    f" {', '.join(f'{c} = EXCLUDED.{c}' for c in (*COMPARED, 'computed_at'))}"
    f" WHERE ({', '.join(f's.{c}' for c in COMPARED)})"
    f" IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in COMPARED)})"
)
