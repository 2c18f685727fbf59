"""Reads, one module a concern: what the engine reads for a year (``engine_inputs``),
the statuses the pages and exports show (``statuses``), the targets page
(``targets``), a unit's quarterly report (``reports``), the reporting completeness
(``completeness``) and the published results (``publications``). Callers name the
module: ``selectors.reports.report_lines(...)``. Who may see and do what is
``commitments.access``."""

from types import ModuleType

from commitments.selectors import (  # noqa: F401
    completeness,
    engine_inputs,
    publications,
    reports,
    statuses,
    targets,
)

# isort: split
# Transitional: services still call these by their old names.
from commitments.access import ALL_UNITS, may_publish, user_scope  # noqa: F401
from commitments.selectors.completeness import (  # noqa: F401
    UnitReporting,
    report_completeness,
    report_quarters_due,
    report_reminder_recipients,
)
from commitments.selectors.engine_inputs import years_with_targets  # noqa: F401
from commitments.selectors.publications import period_ended  # noqa: F401
from commitments.selectors.reports import audit_figure_key, report_field  # noqa: F401
from commitments.selectors.statuses import year_statuses  # noqa: F401


class _CallableModule(ModuleType):
    """``selectors.engine_inputs`` is the module; services call it as the function."""

    def __call__(self, *, year: int):
        return self.engine_inputs(year=year)


engine_inputs.__class__ = _CallableModule
# End of the transitional block.
