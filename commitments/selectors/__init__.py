"""Reads, one module a concern: what the engine reads for a year (``engine_inputs``),
the statuses the pages and exports show (``statuses``), the targets page
(``targets``), a unit's quarterly report (``reports``), the reporting completeness
(``completeness``), the published results (``publications``) and what a report's
page shows of its results before it is approved (``review``). Callers name the
module: ``selectors.reports.report_lines(...)``. Who may see and do what is
``commitments.access``."""

from commitments.selectors import (  # noqa: F401
    completeness,
    engine_inputs,
    publications,
    reports,
    review,
    statuses,
    targets,
)
