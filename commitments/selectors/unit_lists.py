"""A status's detail as a page reads it: without the whole lists of units.

A coverage row of a country's root names every unit it counts (``covered_units``) and
every unit it does not (``missing``): about a hundred kilobytes a row, a megabyte for
the root's year. A page names at most the first few units missing, or asks about the
units it shows. ``UnitLists`` is the detail cut to that in the database, so that
neither the wire nor Python carries the rest:

- ``covered_units`` and ``missing`` hold only the codes of ``codes`` when given (what
  a page asks about: the unit it shows); else ``covered_units`` is empty and
  ``missing`` holds its first ``listed`` codes;
- ``missing_count`` says how many units ``missing`` holds in all
  (``engine.Detail.missing_count``), so that "… and 4,113 other units" still counts
  them all.

A detail without a list of units is read as it is. On PostgreSQL the cut is done in
SQL: for the first few missing, from the row's short form that the database keeps
(``Status.detail_listed``, ``models.statuses.KeptLists``), without unpacking the whole
detail; for the units of ``codes``, from the whole lists. The embedded SQLite reads the
whole detail, which holds the same answers for what a page asks (it is never a
country's database).

Read a query's rows with ``listed`` (the detail deferred, the cut one annotated), then
``Basis.pick`` puts the cut detail in the place of the whole.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import F, Func, JSONField, QuerySet

from commitments.models.statuses import LISTED_KEPT

# The annotation that holds the cut detail until ``adopted`` puts it in ``detail``.
ANNOTATION = "listed_detail"


class UnitLists(Func):
    """The ``detail`` column with its lists of units cut (see the module)."""

    output_field = JSONField()

    def __init__(self, *, listed: int = 0, codes: Collection[str] | None = None):
        super().__init__(F("detail"), F("detail_listed"))
        self.listed = int(listed)
        self.codes = None if codes is None else sorted(set(codes))

    def as_sql(self, compiler, connection, **extra):
        # Any other database: the whole detail, as stored.
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra):
        detail, _params = compiler.compile(self.source_expressions[0])  # a column: none
        if self.codes is None and self.listed <= LISTED_KEPT:
            # The short form kept with the row, cut further if fewer are asked; the
            # whole detail (read only where the row has no list) otherwise.
            kept, _params = compiler.compile(self.source_expressions[1])
            missing = self._first(f"{kept} -> 'missing'")
            cut = (
                kept
                if self.listed == LISTED_KEPT
                else f"jsonb_set({kept}, '{{missing}}', {missing})"
            )
            return f"CASE WHEN {kept} IS NULL THEN {detail} ELSE {cut} END", []
        if self.codes is None:
            covered, missing, own = "'[]'::jsonb", self._first("parts.missing"), []
        else:
            covered, missing = self._among("parts.covered"), self._among("parts.missing")
            own = [self.codes] * 2
        # The stored detail is read (decompressed) once a part, in a row of its own
        # that is not folded into the expressions that use it (OFFSET 0): written out
        # in each, a country's row was decompressed a dozen times.
        sql = (
            "(SELECT CASE WHEN jsonb_typeof(parts.missing) = 'array'"
            " OR jsonb_typeof(parts.covered) = 'array'"
            " THEN parts.rest || jsonb_build_object("
            f"'covered_units', {covered}, 'missing', {missing}, 'missing_count',"
            " CASE WHEN jsonb_typeof(parts.missing) = 'array'"
            " THEN jsonb_array_length(parts.missing) ELSE 0 END)"
            " ELSE parts.rest END"
            f" FROM (SELECT {detail} -> 'missing' AS missing,"
            f" {detail} -> 'covered_units' AS covered,"
            f" {detail} - 'covered_units' - 'missing' AS rest OFFSET 0) AS parts)"
        )
        return sql, own

    def _first(self, array: str) -> str:
        if self.listed <= 0:
            return "'[]'::jsonb"
        return (
            f"CASE WHEN jsonb_typeof({array}) = 'array' THEN"
            f" jsonb_path_query_array({array}, '$[0 to {self.listed - 1}]')"
            " ELSE '[]'::jsonb END"
        )

    @staticmethod
    def _among(array: str) -> str:
        # The codes asked for that the list holds (in the codes' order: ``codes`` is
        # sorted).
        return (
            "(SELECT COALESCE(jsonb_agg(asked.code ORDER BY asked.n), '[]'::jsonb)"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS asked(code, n)"
            f" WHERE jsonb_typeof({array}) = 'array' AND jsonb_exists({array}, asked.code))"
        )


def listed(
    statuses: QuerySet, *, listed: int = 0, codes: Collection[str] | None = None
) -> QuerySet:
    """``statuses`` read with their detail cut (``UnitLists``): the whole deferred, the
    cut one annotated for ``adopted`` to put in its place."""
    cut = UnitLists(listed=listed, codes=codes)
    return statuses.defer("detail", "detail_listed").annotate(**{ANNOTATION: cut})


def adopted(status):
    """A row read through ``listed`` with its cut detail as ``detail``; any other row
    as it is."""
    values = status.__dict__
    if ANNOTATION in values:
        status.detail = values.pop(ANNOTATION)
    return status
