"""Reads, one module a concern: what the engine reads for a year (``engine_inputs``),
the statuses the pages and exports show (``statuses``), the targets page
(``targets``), a unit's quarterly report (``reports``), the reporting completeness
(``completeness``), the working days its deadlines count (``calendar``), the
director's review inbox (``reviews``), what a report's page shows of its results
before it is approved (``report_results``), the published results (``publications``),
the signed sheets (``sheets``: which applies to each department, who may read one,
the wording check), every department's sheet side by side (``city``) and the rows the
REST API lists (``api``). Callers name
the module: ``selectors.reports.report_lines(...)``. Who may see and do what is
``commitments.access``."""

from commitments.selectors import (  # noqa: F401
    api,
    calendar,
    city,
    completeness,
    engine_inputs,
    publications,
    report_results,
    reports,
    reviews,
    sheets,
    statuses,
    targets,
)
