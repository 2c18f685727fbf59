"""Figures another system sends through the API (a desk's one-stop-shop software, the
city's dossier system): a batch of rows checked as the figures import checks them
(``figures.figure_check``, then the validation rules with the stored figures), all or
nothing, each error pointing at its row and field (``/rows/17/value``) in the active
language. Written as one change of the audit log, by the token's user.

Who writes what follows the report form (``access``): a unit's staff write its figures
while its report is open to them, and they stay provisional until a director approves
it; an admin's batch is a trusted channel, official on arrival like an admin's import
(DOMAIN.md, "Official figures"): the reports it lands in are approved, and say so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from commitments import access
from commitments.models import Category, DataElement, QuarterlyReport, Unit
from commitments.services import figures, official, reports
from commitments.services.figures import FigureInput, ImportResult

MAX_ROWS = 10_000
ROW_FIELDS = ("year", "quarter", "unit", "element", "category", "value")

NOT_A_ROW = gettext_lazy(
    "Mỗi dòng là một đối tượng có year, quarter, unit, element, category, value."
)
NOT_A_YEAR = gettext_lazy("Năm phải là một số nguyên từ 2000 đến 2100.")
NOT_A_QUARTER = gettext_lazy("Quý phải là 1, 2, 3 hoặc 4.")
UNKNOWN_UNIT = gettext_lazy("Không có đơn vị này, hoặc bạn không nhập số liệu cho đơn vị này.")
SURVEY_COUNTED = gettext_lazy("Số liệu này được đếm từ phiếu khảo sát: đơn vị không tự nhập.")
REPEATED = gettext_lazy("Số liệu này đã có ở dòng %(row)s.")


@dataclass(frozen=True)
class BatchError:
    """Why a row is refused: ``pointer`` into the request body, ``detail`` the reason."""

    pointer: str
    detail: str

    def as_json(self) -> dict:
        return {"pointer": self.pointer, "detail": self.detail}


class BatchRefused(Exception):
    """A batch refused, nothing written; ``errors`` name each bad row and field."""

    def __init__(self, errors: list[BatchError]):
        super().__init__("; ".join(f"{e.pointer}: {e.detail}" for e in errors[:5]))
        self.errors = errors


@dataclass
class _Lookup:
    """What the rows are read against: the units, elements and categories by code,
    and the caller's scope."""

    user: object
    scope: access.Scope
    units: dict[str, Unit]
    elements: dict[str, DataElement]
    categories: dict[str, Category]

    @property
    def trusted(self) -> bool:
        return self.scope.everything

    def writable(self, code) -> Unit | None:
        unit = self.units.get(code) if isinstance(code, str) else None
        if unit is None:
            return None
        roles = access.report_roles(user=self.user, unit=unit, scope=self.scope)
        return unit if access.writes_reports(roles=roles) else None


def figures_batch_save(*, rows: list, user, label: str) -> ImportResult:
    """Check every row, then save them all through ``figures.figures_save`` (one audit
    batch, ``label`` naming it), or refuse the batch (``BatchRefused``) with every
    error found and nothing written."""
    lookup = _Lookup(
        user=user,
        scope=access.user_scope(user=user),
        units={u.code: u for u in Unit.objects.all()},
        elements={e.code: e for e in DataElement.objects.all()},
        categories={c.code: c for c in Category.objects.all()},
    )
    inputs, errors = _batch_inputs(rows, lookup)
    if errors:
        errors += [_violation_error(v) for v in figures.figures_rule_violations(inputs=inputs)]
        raise BatchRefused(sorted(errors, key=_row_order))
    try:
        with transaction.atomic():
            _reports_open(inputs, lookup)
            result = figures.figures_save(inputs=inputs, user=user, source=label)
            _reports_follow(inputs, lookup, label)
    except figures.RulesBroken as broken:
        raise BatchRefused([_violation_error(v) for v in broken.violations]) from None
    return result


def _batch_inputs(rows: list, lookup: _Lookup) -> tuple[list[FigureInput], list[BatchError]]:
    """The rows as figures to save, and the errors of those that are wrong."""
    inputs: list[FigureInput] = []
    errors: list[BatchError] = []
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        parsed, problems = _row_input(index, row, lookup)
        errors += problems
        if parsed is None:
            continue
        if parsed.key in seen:
            detail = REPEATED % {"row": seen[parsed.key]}
            errors.append(BatchError(f"/rows/{index}", detail))
            continue
        seen[parsed.key] = index
        inputs.append(parsed)
    return inputs, errors


def _row_input(index: int, row, lookup: _Lookup) -> tuple[FigureInput | None, list[BatchError]]:
    """One row as a figure to save (its ``where``: the row's index), or its errors."""
    at = f"/rows/{index}"
    if not isinstance(row, Mapping):
        return None, [BatchError(at, str(NOT_A_ROW))]
    problems = []
    year, quarter = row.get("year"), row.get("quarter")
    if not _integer(year) or not 2000 <= year <= 2100:
        problems.append(BatchError(f"{at}/year", str(NOT_A_YEAR)))
    if not _integer(quarter) or not 1 <= quarter <= 4:
        problems.append(BatchError(f"{at}/quarter", str(NOT_A_QUARTER)))
    unit = lookup.writable(row.get("unit"))
    if unit is None:
        problems.append(BatchError(f"{at}/unit", str(UNKNOWN_UNIT)))
    element_code, category_code = _text(row.get("element")), _text(row.get("category"))
    value, refused = figures.figure_check(
        where=index,
        element_code=element_code,
        category_code=category_code,
        text=_value_text(row.get("value")),
        elements=lookup.elements,
        categories=lookup.categories,
    )
    problems += [BatchError(f"{at}/{e.part}", str(e)) for e in refused]
    element = lookup.elements.get(element_code)
    if element is not None and not lookup.trusted and element.source != DataElement.Source.REPORT:
        problems.append(BatchError(f"{at}/element", str(SURVEY_COUNTED)))
    if problems:
        return None, problems
    category = lookup.categories[category_code] if element.category_kind else None
    return FigureInput(index, year, quarter, unit, element, category, value), []


def _integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _value_text(value) -> str:
    """The value as the import reads a cell: a whole number, or text to be checked."""
    if _integer(value):
        return str(value)
    return value if isinstance(value, str) else ""


def _reports_open(inputs: list[FigureInput], lookup: _Lookup) -> None:
    """A unit's staff write only into a report open to them (the form's rule), locked
    while the batch is written; an admin's batch writes into any."""
    if lookup.trusted:
        return
    first: dict[tuple, int] = {}
    for item in inputs:
        first.setdefault((item.unit, item.year, item.quarter), item.where)
    for (unit, year, quarter), index in first.items():
        report = QuarterlyReport(unit=unit, year=year, quarter=quarter)
        try:
            reports.report_editable_row(report, lookup.user)
        except reports.ReportRefused as refusal:
            raise BatchRefused([BatchError(f"/rows/{index}", str(refusal))]) from None


def _reports_follow(inputs: list[FigureInput], lookup: _Lookup, label: str) -> None:
    """The reports written to: approved, for an admin's trusted batch (official on
    arrival); else their version moves, so a form opened before cannot save over it."""
    periods = {(i.unit, i.year, i.quarter) for i in inputs}
    if lookup.trusted:
        official.reports_approve_trusted(
            periods=periods,
            user=lookup.user,
            note=gettext("Duyệt khi nhận số liệu qua API (%(label)s)") % {"label": label},
        )
    else:
        reports.reports_touched(periods={(u.pk, y, q) for u, y, q in periods})


def _violation_error(violation: figures.RuleViolation) -> BatchError:
    error = violation.error()
    return BatchError(f"/rows/{error.where}/{error.part}", str(error))


def _row_order(error: BatchError) -> tuple[int, str]:
    parts = error.pointer.split("/")
    return (int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else -1, error.pointer)
