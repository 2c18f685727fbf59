"""The floors each measure is set against, measured in the same run on the same
database: what PostgreSQL alone takes for the same work, written by hand.

- **import**: the file sent with ``COPY … FROM STDIN`` (what ``psql``'s ``\\copy`` does)
  into a staging table, then one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` per unique
  index of the figures (with a category, without) into a table shaped like the figures'
  (its columns, constraints, indexes and foreign keys, which PostgreSQL checks row by
  row as it checks the figures'), resolving the codes by joins. ``LIKE … INCLUDING
  ALL`` copies everything but the foreign keys: they are added from the figures' own
  definitions. Without them (``foreign_keys=False``), for comparison.
- **recompute**: one ``GROUP BY`` over the year's figures and the unit tree (each unit
  with every ancestor, a recursive query): the sum of every element for every unit,
  category and quarter and for the year, which is every sum behind a ratio's value.
"""

from __future__ import annotations

import time
from pathlib import Path

import psycopg

FIGURE_TABLE = "commitments_figure"
FLOOR_TABLE = "bench_floor_figure"

STAGING = """
CREATE TEMP TABLE bench_staging (
    year integer, quarter smallint, unit text, element text, category text, value bigint
)"""

UPSERT = """
INSERT INTO {table} (year, quarter, unit_id, element_id, category_id, value, updated_at)
SELECT s.year, s.quarter, u.id, e.id, c.id, s.value, now()
FROM bench_staging s
JOIN commitments_unit u ON u.code = s.unit
JOIN commitments_dataelement e ON e.code = s.element
{category_join}
WHERE {category_where}
ON CONFLICT (year, quarter, unit_id, element_id{category_key}) WHERE {conflict_where}
DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
WHERE {table}.value IS DISTINCT FROM EXCLUDED.value
"""

AGGREGATE = """
CREATE TEMP TABLE bench_floor_sums AS
WITH RECURSIVE up (unit_id, ancestor_id) AS (
    SELECT id, id FROM commitments_unit
    UNION ALL
    SELECT up.unit_id, u.parent_id
    FROM up JOIN commitments_unit u ON u.id = up.ancestor_id
    WHERE u.parent_id IS NOT NULL
)
SELECT up.ancestor_id, f.element_id, f.category_id, f.quarter, sum(f.value) AS total
FROM commitments_figure f JOIN up ON up.unit_id = f.unit_id
WHERE f.year = %s
GROUP BY GROUPING SETS (
    (up.ancestor_id, f.element_id, f.category_id, f.quarter),
    (up.ancestor_id, f.element_id, f.category_id),
    (up.ancestor_id, f.element_id, f.quarter),
    (up.ancestor_id, f.element_id)
)
"""


FOREIGN_KEYS = """
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname
"""


def floor_table(database: str, *, table: str = FLOOR_TABLE, foreign_keys: bool = True) -> None:
    """The floor's own table (empty), shaped like the figures': constraints and
    indexes, and their foreign keys unless ``foreign_keys`` is false."""
    drop_table(database, table)
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute(f"CREATE TABLE {table} (LIKE {FIGURE_TABLE} INCLUDING ALL)")
        keys = connection.execute(FOREIGN_KEYS, (FIGURE_TABLE,)).fetchall() if foreign_keys else []
        for n, (_name, definition) in enumerate(keys, start=1):
            connection.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_fk{n} {definition}")


def drop_table(database: str, table: str) -> None:
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute(f"DROP TABLE IF EXISTS {table}")


def import_floor(database: str, figures_csv: Path, *, table: str = FLOOR_TABLE) -> float:
    """Seconds to copy ``figures_csv`` into a staging table and upsert it into the
    floor's ``table``, in one transaction."""
    started = time.monotonic()
    with psycopg.connect(database) as connection:
        connection.execute(STAGING)
        with connection.cursor() as cursor, figures_csv.open("rb") as source:
            with cursor.copy("COPY bench_staging FROM STDIN (FORMAT csv, HEADER true)") as copy:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
            for with_category in (True, False):
                cursor.execute(UPSERT.format(table=table, **_category(with_category)))
        connection.commit()
    return time.monotonic() - started


def _category(with_category: bool) -> dict[str, str]:
    if with_category:
        return {
            "category_join": "JOIN commitments_category c ON c.code = s.category",
            "category_where": "s.category IS NOT NULL AND s.category <> ''",
            "category_key": ", category_id",
            "conflict_where": "category_id IS NOT NULL",
        }
    return {
        "category_join": "LEFT JOIN commitments_category c ON false",
        "category_where": "s.category IS NULL OR s.category = ''",
        "category_key": "",
        "conflict_where": "category_id IS NULL",
    }


def recompute_floor(database: str, year: int) -> tuple[float, int]:
    """Seconds for the hand-written aggregation of ``year``, and how many sums it made."""
    started = time.monotonic()
    with psycopg.connect(database) as connection:
        connection.execute(AGGREGATE, (year,))
        rows = connection.execute("SELECT count(*) FROM bench_floor_sums").fetchone()[0]
        connection.rollback()
    return time.monotonic() - started, rows


def vacuum(database: str) -> None:
    """Statistics and visibility maps fresh, as a production database's autovacuum keeps
    them, before the pages are timed."""
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
