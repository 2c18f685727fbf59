"""Reads, one module a concern: what the engine reads for a year (``engine_inputs``)
and for one part of it (``part_inputs``),
the statuses the pages and exports show (``statuses``), the targets page
(``targets``), a unit's quarterly report (``reports``), the reporting completeness
(``completeness``), the working days its deadlines count (``calendar``), the
director's review inbox (``reviews``), what a report's page shows of its results
before it is approved (``report_results``), the published results (``publications``),
the signed sheets (``sheets``: which applies to each department, who may read one,
the wording check), every department's sheet side by side (``city``), the rows the
REST API lists (``api``), the unit tree a level at a time (``units``) and what one part
of a recompute reads (``part_inputs``), and a coverage row's lists of units cut to
what a page shows (``unit_lists``). Callers name the module:
``selectors.reports.report_lines(...)``. Who may see and do what is
``commitments.access``."""

from commitments.selectors import (  # noqa: F401
    api,
    calendar,
    city,
    completeness,
    engine_inputs,
    part_inputs,
    publications,
    report_results,
    reports,
    reviews,
    sheets,
    statuses,
    targets,
    unit_lists,
    units,
)
