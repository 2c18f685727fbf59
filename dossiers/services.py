"""Importing dossier records and deriving the dossier figures from them (CONTRACT.md:
``import_dossiers FILE``).

All or nothing: every row is checked inside one transaction (in SQL after COPY for a CSV
file on PostgreSQL, ``fast_copy``; row by row in Python otherwise, or when the SQL finds
a row it is not sure of); one bad row and the transaction is rolled back,
``ImportFailed`` listing every bad row. Then the dossiers are upserted by code, and the
four dossier figures of every unit, field and quarter they touch (before and after) are
counted in SQL and written through the one figure service (``figures_save``) as
official, the reports they land in approved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from commitments.models import Category, DataElement, Figure, Unit
from commitments.services import figures, official
from commitments.services.figures import FigureInput
from commitments.tabular import ImportFailed
from dossiers import fast_copy, staging
from dossiers.models import DossierCount
from dossiers.reading import Lookups, file_rows, row_check

ELEMENTS = ("dossiers_received", "dossiers_online", "dossiers_resolved", "dossiers_on_time")
# How many rows between two reports of progress.
PROGRESS_EVERY = 50_000


@dataclass(frozen=True)
class DossierImportResult:
    rows: int
    figures: figures.ImportResult
    periods: int

    def __str__(self) -> str:
        return (
            f"{self.rows} dossiers imported; figures of {self.periods} unit quarter(s): "
            f"{self.figures}"
        )


def dossiers_import(
    *, path: str | Path, progress: Callable[[int], None] | None = None, user=None
) -> DossierImportResult:
    """Upsert the dossiers of a CSV or XLSX export by code and derive the dossier figures
    of the units, fields and quarters they touch (README: dossier records).

    ``progress`` is told the number of rows read every ``PROGRESS_EVERY`` rows.
    """
    now, zone = timezone.now(), settings.TIME_ZONE
    with transaction.atomic(), connection.cursor() as cursor:
        # A CSV file on PostgreSQL through COPY and SQL; otherwise, or when the SQL is not
        # sure of a row, row by row in Python (its messages for a bad row).
        imported = fast_copy.fast_import(cursor, path, now=now, zone=zone, progress=progress)
        if imported is None:
            lookups = Lookups(
                units=dict(Unit.objects.values_list("code", "pk")),
                fields=dict(
                    Category.objects.filter(kind=Category.Kind.FIELD).values_list("code", "pk")
                ),
                now=now,
                zone=ZoneInfo(zone),
            )
            imported = _import_rows(cursor, path, lookups, progress)
        rows, periods = imported
        result = counts_write(periods=periods, source=Path(path).name, user=user)
    return DossierImportResult(rows, result, len(periods))


def _import_rows(cursor, path, lookups: Lookups, progress) -> tuple[int, set]:
    """Read, check and stage the file row by row in Python (XLSX, SQLite, and a CSV
    file the SQL of ``fast_copy`` is not sure of), then upsert it; the rows and the
    (unit id, year, quarter) touched."""
    staging.stage_create(cursor)
    rows, errors = _stage_file(cursor, path, lookups, progress)
    errors += staging.stage_duplicates(cursor)
    if errors:
        raise ImportFailed(sorted(errors, key=_line))
    periods = staging.stage_periods(cursor)
    staging.stage_upsert(cursor)
    staging.stage_drop(cursor)
    return rows, periods


def _stage_file(cursor, path, lookups: Lookups, progress) -> tuple[int, list[str]]:
    """Check and stage every row of the file; the rows read and the problems found."""
    errors: list[str] = []
    rows = 0
    with staging.stage_writer(cursor) as write:
        for line, values in file_rows(path):
            rows += 1
            checked, problems = row_check(line, values, lookups)
            if problems:
                errors += problems
            elif not errors:  # once a row is bad nothing will be written: just check
                write(checked)
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(rows)
    if progress is not None:
        progress(rows)
    return rows, errors


def _line(problem: str) -> int:
    return int(problem.split(" ", 2)[1].rstrip(":")) if problem.startswith("line ") else 0


# One row per unit, quarter and field: received, online, resolved, on time, records.
COUNT_SQL = """
SELECT unit_id, y, q, category_id, SUM(rec), SUM(onl), SUM(res), SUM(ont), COUNT(DISTINCT id)
FROM (
  SELECT id, unit_id, received_year AS y, received_quarter AS q, category_id, 1 AS rec,
         CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS onl, 0 AS res, 0 AS ont
  FROM dossiers_dossier WHERE unit_id IN ({units}) AND received_year IN ({years})
  UNION ALL
  SELECT id, unit_id, resolved_year, resolved_quarter, category_id, 0, 0, 1,
         CASE WHEN on_time THEN 1 ELSE 0 END
  FROM dossiers_dossier
  WHERE on_time IS NOT NULL AND unit_id IN ({units}) AND resolved_year IN ({years})
) counted
GROUP BY unit_id, y, q, category_id
"""


def dossier_counts(periods: set[tuple[int, int, int]]) -> dict[tuple, tuple[int, ...]]:
    """(unit id, year, quarter, category id) -> (received, online, resolved, on time,
    records) for the periods asked, counted in SQL from the stored dossiers."""
    if not periods:
        return {}
    units = sorted({u for u, _, _ in periods})
    years = sorted({y for _, y, _ in periods})
    sql = COUNT_SQL.format(
        units=", ".join(["%s"] * len(units)), years=", ".join(["%s"] * len(years))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*units, *years, *units, *years])
        rows = cursor.fetchall()
    return {
        (u, y, q, c): tuple(int(v) for v in values)
        for u, y, q, c, *values in rows
        if (u, y, q) in periods
    }


def counts_write(*, periods: set[tuple[int, int, int]], source: str, user=None):
    """Derive the dossier figures of these (unit id, year, quarter) and write them as
    official through ``figures_save``, keeping beside each the records it rests on and
    the value typed by hand before the records replaced it."""
    counts = dossier_counts(periods)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=ELEMENTS)}
    stored = _stored_counts(periods)
    wanted = _wanted_counts(counts, stored, elements)
    if not wanted:
        return figures.ImportResult()
    typed = _typed_values(wanted, stored)
    by_id = {e.pk: e for e in elements.values()}
    units = Unit.objects.in_bulk({key[0] for key in wanted})
    categories = Category.objects.in_bulk({key[4] for key in wanted})
    inputs = [
        FigureInput(
            f"{units[u].code} {y}-Q{q} {categories[c].code}",
            y,
            q,
            units[u],
            by_id[e],
            categories[c],
            value,
        )
        for (u, y, q, e, c), (value, _records) in sorted(wanted.items())
    ]
    label = gettext("Hồ sơ một cửa: %(file)s") % {"file": source}
    result = figures.figures_save(inputs=inputs, user=user, source=label)
    official.reports_approve_trusted(
        periods={(units[u], y, q) for u, y, q, _e, _c in wanted},
        user=user,
        note=gettext("Duyệt khi tính số liệu từ hồ sơ %(file)s") % {"file": source},
    )
    _counts_store(wanted, stored, typed)
    return result


def _stored_counts(periods: set[tuple[int, int, int]]) -> dict[tuple, DossierCount]:
    rows = DossierCount.objects.filter(
        unit_id__in={u for u, _, _ in periods}, year__in={y for _, y, _ in periods}
    )
    return {
        (c.unit_id, c.year, c.quarter, c.element_id, c.category_id): c
        for c in rows
        if (c.unit_id, c.year, c.quarter) in periods
    }


def _wanted_counts(counts: dict, stored: dict, elements: dict) -> dict[tuple, tuple[int, int]]:
    """(unit, year, quarter, element id, category id) -> (value, records): the counts,
    and 0 for a figure derived before whose records have all moved elsewhere."""
    wanted = {key: (0, 0) for key in stored}
    for (u, y, q, c), (received, online, resolved, timely, records) in counts.items():
        for code, value in zip(ELEMENTS, (received, online, resolved, timely), strict=True):
            if code in elements:
                wanted[(u, y, q, elements[code].pk, c)] = (value, records)
    return wanted


def _typed_values(wanted: dict, stored: dict) -> dict[tuple, int]:
    """The values typed by hand for the figures the records take over for the first time."""
    new = [key for key in wanted if key not in stored]
    if not new:
        return {}
    found = Figure.objects.filter(
        unit_id__in={k[0] for k in new}, year__in={k[1] for k in new}
    ).values_list("unit_id", "year", "quarter", "element_id", "category_id", "value")
    return {tuple(key): value for *key, value in found if tuple(key) in set(new)}


def _counts_store(wanted: dict, stored: dict, typed: dict) -> None:
    changed = []
    for key, (value, records) in wanted.items():
        count = stored.get(key)
        if count is None:
            u, y, q, e, c = key
            count = DossierCount(unit_id=u, year=y, quarter=q, element_id=e, category_id=c)
            count.typed = typed.get(key)
        count.value, count.records = value, records
        changed.append(count)
    # Split before creating: PostgreSQL gives the created ones their keys.
    new = [c for c in changed if c.pk is None]
    updated = [c for c in changed if c.pk is not None]
    DossierCount.objects.bulk_create(new, batch_size=1000)
    DossierCount.objects.bulk_update(updated, ["value", "records", "updated_at"], 1000)
