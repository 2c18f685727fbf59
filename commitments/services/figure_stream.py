"""Figures from a file of any size into PostgreSQL: the import of ``imports.figures_import``
there.

The rows are streamed through ``COPY`` into a staging table, each checked on its way
with the checks and messages of ``figure_rows`` (a row that is plainly right is taken
without building anything for it). What needs the whole file is then set-based SQL
over the staging table: a figure given twice, the validation rules against the figures
stored, the changes, their audit entries and the approval of the reports touched. So
memory does not grow with the file, and the time stays within a small multiple of a
bare ``COPY`` and upsert into the figures' table (most of it is that upsert and the
checks of its foreign keys). All or nothing, as every import: one bad row and the
transaction rolls back, staging table and all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone, translation

from commitments.models import AuditEntry, Category, DataElement, Figure, Unit, ValidationRule
from commitments.services import figure_rows, figures, official, recompute
from commitments.services.figure_rows import FIGURE_COLUMNS, FIRST_YEAR, LAST_YEAR
from commitments.services.figures import MAX_DIGITS, FigureInput, ImportResult, RuleViolation
from commitments.tabular import ImportFailed, Row, line_number, row_cells

FIGURE = Figure._meta.db_table
STAGE = "import_figure"  # the file's rows that passed their own checks
CHANGE = "import_figure_change"  # those that change what is stored, with the old value
PERIOD = "import_figure_period"  # the reports the file writes to

CREATE_STAGE = f"""
CREATE TEMP TABLE {STAGE} (
    line integer NOT NULL,
    year integer NOT NULL,
    quarter smallint NOT NULL,
    unit_id bigint NOT NULL,
    element_id bigint NOT NULL,
    category_id bigint,
    value bigint NOT NULL
) ON COMMIT DROP
"""
COPY = f"COPY {STAGE} (line, year, quarter, unit_id, element_id, category_id, value) FROM STDIN"

# What the import's statements may hash or sort in memory: a national file (1.49 million
# figures) fits, where the server's default spilled to disk.
WORK_MEM = "256MB"

YEARS = {str(year): year for year in range(FIRST_YEAR, LAST_YEAR + 1)}
QUARTERS = {str(quarter): quarter for quarter in range(1, 5)}


def figures_stream_import(*, path: str | Path) -> ImportResult:
    """Upsert figures from a CSV or XLSX file (``imports.figures_import``) through a
    staging table: the same checks, messages, audit entries, approvals and recompute,
    in memory that does not grow with the file. PostgreSQL only."""
    source = Path(path).name
    known = _Known.load()
    with transaction.atomic(), connection.cursor() as cursor:
        # The checks hash the whole file: in memory rather than on disk. The statements
        # are simple, and compiling them (JIT) took longer than running them.
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {CHANGE}, {PERIOD}")
        cursor.execute(CREATE_STAGE)
        errors = _stage(cursor, row_cells(path, FIGURE_COLUMNS), known)
        staged = cursor.rowcount
        cursor.execute(f"ANALYZE {STAGE}")
        errors += _duplicates(cursor)
        if errors:
            # Every error of the file at once: the rules too, on the rows that parse.
            errors += [line for _, line in _violations(cursor, known)]
            raise ImportFailed(sorted(errors, key=lambda error: line_number(error)[0]))
        changes = _changes(cursor, staged)
        broken = _violations(cursor, known)
        if broken:
            raise ImportFailed(sorted((line for _, line in broken), key=line_number))
        total, years = _periods(cursor)
        created, updated = _write(cursor, changes, label=source, years=years)
        # An admin's import is a trusted channel: its figures are official on arrival
        # (DOMAIN.md), so the reports they land in are approved, and say so.
        official.reports_approve_listed(
            periods=f"SELECT unit_id, year, quarter, written FROM {PERIOD}",
            note=official.import_note(source),
        )
        cursor.execute(f"DROP TABLE {STAGE}, {CHANGE}, {PERIOD}")
        # The rest of a caller's transaction runs as it would have.
        cursor.execute("SET LOCAL work_mem TO DEFAULT")
        cursor.execute("SET LOCAL jit TO DEFAULT")
    return ImportResult(created, updated, total - created - updated)


@dataclass(frozen=True)
class _Known:
    """What the rows are checked against: the units, elements and categories by code,
    and, for a row that is plainly right, each (element, category) written as codes
    with its ids and the largest value it takes."""

    units: dict[str, Unit]
    elements: dict[str, DataElement]
    categories: dict[str, Category]
    unit_ids: dict[str, int]
    pairs: dict[tuple[str, str], tuple[int, int | None, int]]
    rules: list[tuple[int, int, int]]  # (id, element, bound) of each validation rule

    @classmethod
    def load(cls) -> _Known:
        units = {u.code: u for u in Unit.objects.only("pk", "code")}
        elements = {e.code: e for e in DataElement.objects.all()}
        categories = {c.code: c for c in Category.objects.all()}
        pairs = {}
        for element in elements.values():
            largest = min(1, element.max_value) if element.is_flag else element.max_value
            if not element.category_kind:
                pairs[(element.code, "")] = (element.pk, None, largest)
                continue
            for category in categories.values():
                if category.kind == element.category_kind:
                    pairs[(element.code, category.code)] = (element.pk, category.pk, largest)
        unit_ids = {code: unit.pk for code, unit in units.items()}
        rules = list(ValidationRule.objects.values_list("pk", "element_id", "bound_id"))
        return cls(units, elements, categories, unit_ids, pairs, rules)


def _stage(cursor, rows: Iterator[tuple[int, Sequence[str]]], known: _Known) -> list[str]:
    """Stream the rows into the staging table; returns the errors of those refused.

    A row written exactly as the checks want it (a known unit, element and category,
    plain digits in range) is written as it comes; any other goes through
    ``figure_rows.figure_row_parse``, which strips its cells, reads what it can (a
    value written ``+12`` or `` 12 ``) and words the errors of the rest. The plain
    test is written out in the loop: it runs for every row of the file.
    """
    errors: list[str] = []
    pairs, unit_ids, years, quarters = known.pairs, known.unit_ids, YEARS, QUARTERS
    with cursor.copy(COPY) as copy, translation.override("en"):
        write = copy.write_row
        for line, cells in rows:
            year, quarter, unit, element, category, value = cells
            pair = pairs.get((element, category))
            unit_id = unit_ids.get(unit)
            if (
                pair is not None
                and unit_id is not None
                and year in years
                and quarter in quarters
                and value.isdigit()
                and value.isascii()
                and len(value) <= MAX_DIGITS
                and (number := int(value)) <= pair[2]
            ):
                write((line, years[year], quarters[quarter], unit_id, pair[0], pair[1], number))
                continue
            values = {name: cell.strip() for name, cell in zip(FIGURE_COLUMNS, cells, strict=True)}
            item = figure_rows.figure_row_parse(
                Row(line, values), known.units, known.elements, known.categories, errors
            )
            if item is not None:
                write(_columns(item))
    return errors


def _columns(item: FigureInput) -> tuple:
    """A figure as the staging table's columns (its ``where``: the line)."""
    category = item.category.pk if item.category else None
    return (
        item.where,
        item.year,
        item.quarter,
        item.unit.pk,
        item.element.pk,
        category,
        item.value,
    )


KEY = ("year", "quarter", "unit_id", "element_id", "category_id")

# The later rows of a figure the file gives twice, with the line of its first.
DUPLICATES = f"""
WITH twice AS (
    SELECT {", ".join(KEY)}, min(line) AS first FROM {STAGE}
    GROUP BY {", ".join(KEY)} HAVING count(*) > 1
)
SELECT s.line, t.first FROM {STAGE} s JOIN twice t
    ON (s.year, s.quarter, s.unit_id, s.element_id) = (t.year, t.quarter, t.unit_id, t.element_id)
    AND s.category_id IS NOT DISTINCT FROM t.category_id AND s.line > t.first
ORDER BY s.line
"""


def _duplicates(cursor) -> list[str]:
    """The errors of the rows that repeat a figure of an earlier row, which are left
    out of the staging table (as the file's rules are checked without them)."""
    cursor.execute(
        f"SELECT EXISTS (SELECT FROM {STAGE} GROUP BY {', '.join(KEY)} HAVING count(*) > 1)"
    )
    if not cursor.fetchone()[0]:
        return []
    cursor.execute(DUPLICATES)
    twice = cursor.fetchall()
    cursor.execute(f"DELETE FROM {STAGE} WHERE line = ANY(%s)", [[line for line, _ in twice]])
    return [figure_rows.duplicate_line(line, first) for line, first in twice]


def _stored(side: str) -> str:
    """The stored value of the group's ``side`` element (``low`` or ``high``), found
    through the figure table's unique index for figures with and without category."""
    key = (
        f"f.year = g.year AND f.quarter = g.quarter AND f.unit_id = g.unit_id"
        f" AND f.element_id = g.{side}"
    )
    return (
        f"CASE WHEN g.category_id IS NULL"
        f" THEN (SELECT f.value FROM {FIGURE} f WHERE {key} AND f.category_id IS NULL)"
        f" ELSE (SELECT f.value FROM {FIGURE} f WHERE {key} AND f.category_id = g.category_id)"
        f" END"
    )


# Each rule ``low <= high`` within a quarter, unit and category that the file gives a
# figure of, the file's values taking the place of the stored ones (a missing bound is
# 0), reported on the file's ``low`` figure, else on its ``high`` one (the order of
# ``figures._item_violations``).
# The rules come as ``side``: (rule, element, low, high) for each element of a rule,
# written out in the statement, so that the planner knows how few they are.
VIOLATIONS = f"""
WITH side (id, element, low, high) AS (VALUES %s), g AS (
    SELECT s.year, s.quarter, s.unit_id, s.category_id, r.low, r.high,
        min(s.line) FILTER (WHERE s.element_id = r.low) AS low_line,
        min(s.value) FILTER (WHERE s.element_id = r.low) AS low_value,
        min(s.line) FILTER (WHERE s.element_id = r.high) AS high_line,
        min(s.value) FILTER (WHERE s.element_id = r.high) AS high_value
    FROM {STAGE} s JOIN side r ON r.element = s.element_id
    GROUP BY s.year, s.quarter, s.unit_id, s.category_id, r.id, r.low, r.high
), v AS (
    SELECT g.year, g.quarter, g.unit_id, g.category_id, g.low, g.high, g.low_line,
        g.high_line,
        CASE WHEN g.low_line IS NULL THEN {_stored("low")} ELSE g.low_value END AS low_value,
        coalesce(
            CASE WHEN g.high_line IS NULL THEN {_stored("high")} ELSE g.high_value END, 0
        ) AS high_value
    FROM g
)
SELECT coalesce(low_line, high_line), low_line IS NOT NULL, year, quarter, unit_id,
    category_id, low, low_value, high, high_value
FROM v WHERE low_value > high_value
"""


def _violations(cursor, known: _Known) -> list[tuple[tuple, str]]:
    """The validation rules the staged figures break, each as its sort key and its
    error line (``figure_rows.violation_line``), sorted as ``figures.figures_save``
    reports them."""
    if not known.rules:
        return []
    sides = [(rule, element, element, bound) for rule, element, bound in known.rules]
    sides += [(rule, bound, element, bound) for rule, element, bound in known.rules]
    values = ", ".join(["(%s, %s, %s, %s)"] * len(sides))
    cursor.execute(VIOLATIONS % values, [n for side in sides for n in side])
    units = {unit.pk: unit for unit in known.units.values()}
    elements = {element.pk: element for element in known.elements.values()}
    categories = {category.pk: category for category in known.categories.values()}
    broken = []
    with translation.override("en"):
        for row in cursor.fetchall():
            line, on_low, year, quarter, unit, category, low, low_value, high, high_value = row
            element, value = (low, low_value) if on_low else (high, high_value)
            where = (year, quarter, units[unit], elements[element], categories.get(category))
            item = FigureInput(line, *where, value)
            violation = RuleViolation(item, elements[low], low_value, elements[high], high_value)
            order = (line, elements[low].code, low_value, elements[high].code, high_value)
            broken.append((order, figure_rows.violation_line(violation)))
    return sorted(broken)


def _match(category: str) -> str:
    """The figure stored under a staged row's key, by the unique index of figures
    with (``category``: ``= s.category_id``) or without a category."""
    return (
        f"f.year = s.year AND f.quarter = s.quarter AND f.unit_id = s.unit_id"
        f" AND f.element_id = s.element_id AND f.category_id {category}"
    )


CHANGES = f"""
CREATE TEMP TABLE {CHANGE} ON COMMIT DROP AS
SELECT s.*, f.id AS figure_id, f.value AS old
FROM {STAGE} s LEFT JOIN {FIGURE} f ON {_match("= s.category_id")}
WHERE s.category_id IS NOT NULL AND f.value IS DISTINCT FROM s.value
UNION ALL
SELECT s.*, f.id AS figure_id, f.value AS old
FROM {STAGE} s LEFT JOIN {FIGURE} f ON {_match("IS NULL")}
WHERE s.category_id IS NULL AND f.value IS DISTINCT FROM s.value
"""

# The stored figures of the reports the file changes, locked before the rules read
# them: a report saved meanwhile cannot slip a figure past the rules.
LOCK = f"""
SELECT count(*) FROM (
    SELECT FROM {FIGURE} f
    WHERE (f.unit_id, f.year, f.quarter) IN (SELECT unit_id, year, quarter FROM {CHANGE})
    FOR UPDATE OF f
) locked
"""


# Staged figures from which they are matched to the stored ones by hashing both sides.
HASH_FROM = 20_000


def _changes(cursor, staged: int) -> int:
    """The staged figures that change what is stored (new, or another value), with the
    stored figure's id and value, in their table; the figures of their reports locked.
    Returns how many."""
    if staged >= HASH_FROM:
        # A large file meets most of the table: reading each side once and hashing one
        # was four times faster (national scale) than the planner's choice of an index
        # look-up per row, which suits a small file.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute("SET LOCAL enable_mergejoin = off")
    cursor.execute(CHANGES)
    changes = cursor.rowcount
    cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
    cursor.execute("SET LOCAL enable_mergejoin TO DEFAULT")
    cursor.execute(f"ANALYZE {CHANGE}")
    cursor.execute(LOCK)
    return changes


PERIODS = f"""
CREATE TEMP TABLE {PERIOD} ON COMMIT DROP AS
SELECT s.unit_id, s.year, s.quarter, s.figures, w.unit_id IS NOT NULL AS written
FROM (
    SELECT unit_id, year, quarter, count(*) AS figures FROM {STAGE}
    GROUP BY unit_id, year, quarter
) s
LEFT JOIN (SELECT DISTINCT unit_id, year, quarter FROM {CHANGE}) w
    USING (unit_id, year, quarter)
"""


def _periods(cursor) -> tuple[int, set[int]]:
    """The reports the file gives figures of, and whether it changes them, in their
    table; returns how many figures the file gives and of which years."""
    cursor.execute(PERIODS)
    cursor.execute(f"SELECT year, sum(figures) FROM {PERIOD} GROUP BY year")
    counts = dict(cursor.fetchall())
    return sum(counts.values()), set(counts)


# Figures written at once from which the table's statistics are refreshed.
ANALYZE_AFTER = 50_000

INSERT = f"""
INSERT INTO {FIGURE} (year, quarter, unit_id, element_id, category_id, value, updated_at)
SELECT year, quarter, unit_id, element_id, category_id, value, %(now)s
FROM {CHANGE} WHERE figure_id IS NULL
"""
UPDATE = f"""
UPDATE {FIGURE} f SET value = c.value, updated_at = %(now)s
FROM {CHANGE} c WHERE c.figure_id = f.id
"""
# One entry per report, its changes in the order of the file's lines, each figure's
# key as ``selectors.reports.audit_figure_key`` writes it: ``element[/category]``. The
# list is written as JSON text and read once (the values are whole numbers, the keys
# quoted by ``to_json``): a quarter faster than building it value by value.
AUDIT = f"""
WITH key AS (
    SELECT e.id AS element_id, coalesce(k.id, 0) AS category_id,
        '[' || to_json(concat_ws('/', e.code, k.code))::text || ',' AS opening
    FROM {DataElement._meta.db_table} e
    LEFT JOIN {Category._meta.db_table} k ON k.kind = e.category_kind
)
INSERT INTO {AuditEntry._meta.db_table}
    (at, user_id, unit_id, year, quarter, subject, action, label, changes, note, batch)
SELECT %(now)s, NULL, c.unit_id, c.year, c.quarter, %(subject)s, %(action)s, %(label)s,
    (
        '[' || string_agg(
            key.opening || coalesce('"' || c.old || '"', 'null') || ',"' || c.value || '"]',
            ',' ORDER BY c.line
        ) || ']'
    )::jsonb,
    '', %(batch)s
FROM {CHANGE} c
JOIN key ON key.element_id = c.element_id AND key.category_id = coalesce(c.category_id, 0)
GROUP BY c.unit_id, c.year, c.quarter
ORDER BY min(c.line)
"""


def _write(cursor, changes: int, *, label: str, years: set[int]) -> tuple[int, int]:
    """Write the ``changes``, record them in the audit log one entry per report (an
    import's entries share a batch) and ask for the recompute of the years that read
    ``years``; returns how many figures were created and updated."""
    if not changes:
        return 0, 0
    params = {
        "now": timezone.now(),
        "subject": AuditEntry.Subject.FIGURES,
        "action": AuditEntry.Action.IMPORTED,
        "label": label[:500],
        "batch": uuid.uuid4().hex,
    }
    cursor.execute(INSERT, params)
    created = cursor.rowcount
    if created < changes:
        cursor.execute(UPDATE, params)
    cursor.execute(AUDIT, params)
    if changes >= ANALYZE_AFTER:
        # The planner of every later page and recompute should know the table grew.
        cursor.execute(f"ANALYZE {FIGURE}")
    recompute.recompute_request(years=figures.years_affected(years))
    return created, changes - created
