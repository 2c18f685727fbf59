"""Figures: checking one as typed or read (``figure_check``, with the one set of
messages the imports, the report form and its script show), saving them against the
validation rules (from an import or a report form), and which years' statuses read them."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy

from commitments import selectors
from commitments.models import (
    AuditEntry,
    Category,
    DataElement,
    Figure,
    Target,
    Unit,
    ValidationRule,
)
from commitments.services import audit, recompute
from commitments.tabular import ImportFailed

# ---------------------------------------------------------------------------
# Checking one figure
# ---------------------------------------------------------------------------

# The messages of the checks, written once: the imports (in English), the report form
# and the server's refusal of a save show these same objects.
WHOLE = gettext_lazy("Nhập một số nguyên từ 0 trở lên.")
SEPARATOR = gettext_lazy("Nhập liền các chữ số, không dùng dấu phân cách hàng nghìn (ví dụ 1234).")
FLAG = gettext_lazy("Chỉ nhập 0 (chưa) hoặc 1 (có).")
TOO_LARGE = gettext_lazy("Số quá lớn: không được lớn hơn %(max)s.")
ABOVE = gettext_lazy("%(low)s (%(low_value)s) không được lớn hơn %(high)s (%(high_value)s).")
UNKNOWN_ELEMENT = gettext_lazy("Không có số liệu này.")
CATEGORY_MISSING = gettext_lazy("%(element)s được chia theo %(kind)s: hãy ghi một mục.")
CATEGORY_WRONG = gettext_lazy("Không phải %(kind)s của %(element)s.")
CATEGORY_UNEXPECTED = gettext_lazy("%(element)s không chia theo nhóm nào.")

# The messages the report form's script shows as figures are typed, by the name of
# their data-msg-* attribute (templates/commitments/report_form.html).
FORM_MESSAGES = {"whole": WHOLE, "separator": SEPARATOR, "flag": FLAG, "above": ABOVE}


@dataclass(frozen=True)
class FigureError:
    """Why a figure is refused.

    ``where`` is the caller's own key of the figure (the line of a CSV file, a field of
    the report form, a pointer into a request body) and ``part`` the part found wrong:
    ``element``, ``category`` or ``value`` (the columns of the figures file), ``text``
    what was given for it. The caller decides how to show them; ``str()`` gives the
    reason in the active language.
    """

    where: Hashable
    part: str
    text: str
    message: Promise  # one of the messages above, formatted with ``params``
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        message = str(self.message)
        if not self.params:
            return message
        return message % {name: str(value) for name, value in self.params.items()}


def whole(text: str) -> int | None:
    """A whole number written as text (an optional sign, digits), else None."""
    text = text.strip()
    if not re.fullmatch(r"[-+]?\d+", text):
        return None
    return int(text)


def _lower(text: object) -> str:
    return str(text).lower()


# A label in lower case, in the language active when the message is shown.
_lower_lazy = lazy(_lower, str)


def figure_check(
    *,
    where: Hashable,
    element_code: str,
    category_code: str | None,
    text: str,
    elements: Mapping[str, DataElement],
    categories: Mapping[str, Category],
    optional: bool = False,
) -> tuple[int | None, list[FigureError]]:
    """Check one figure: a known element, a category given when (and only when) the
    element is split, and one of the element's category kind, and a value that is a
    whole number of 0 or more (0 or 1 for a flag).

    Returns the value read from ``text`` and the errors found, each keyed by ``where``;
    with ``optional`` an empty text is no value (None) rather than an error.
    """
    errors: list[FigureError] = []
    element = elements.get(element_code)
    if element is None:
        errors.append(FigureError(where, "element", element_code, UNKNOWN_ELEMENT))
    else:
        errors += _category_errors(where, element, category_code or "", categories)
    text = (text or "").strip()
    if optional and not text:
        return None, errors
    value, error = _value(text, element)
    if error is not None:
        errors.append(FigureError(where, "value", _shortened(text), *error))
    return value, errors


# More digits than any element's largest value: refused before reading it as a number
# (Python refuses to read a number of over 4,300 digits at all).
MAX_DIGITS = 16


def _value(text: str, element: DataElement | None) -> tuple[int | None, tuple | None]:
    """The value typed, or None and the error: (message, its values)."""
    digits = text.removeprefix("+").lstrip("0")
    if digits.isdigit() and len(digits) > MAX_DIGITS:
        return None, (TOO_LARGE, _largest(element))
    value = whole(text)
    if value is None or value < 0:
        return None, (WHOLE, {})
    if element is None:
        return value, None
    if element.is_flag and value not in (0, 1):
        return None, (FLAG, {})
    if value > element.max_value:
        return None, (TOO_LARGE, _largest(element))
    return value, None


def _largest(element: DataElement | None) -> dict:
    largest = element.max_value if element is not None else 10**15
    return {"max": number_format(largest, force_grouping=True)}


def _shortened(text: str) -> str:
    """What was typed, cut short enough to be quoted in a message."""
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} characters)"


def _category_errors(
    where: Hashable, element: DataElement, code: str, categories: Mapping[str, Category]
) -> list[FigureError]:
    """A category is named when the element is split, and is of its kind."""
    kind = element.category_kind
    params = {"element": element.code}
    if not kind:
        return [FigureError(where, "category", code, CATEGORY_UNEXPECTED, params)] if code else []
    params["kind"] = _lower_lazy(dict(Category.Kind.choices).get(kind, kind))
    if not code:
        return [FigureError(where, "category", code, CATEGORY_MISSING, params)]
    category = categories.get(code)
    if category is None or category.kind != kind:
        return [FigureError(where, "category", code, CATEGORY_WRONG, params)]
    return []


# ---------------------------------------------------------------------------
# Saving figures
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return f"{text}, {self.deleted} deleted" if self.deleted else text


@dataclass(frozen=True)
class FigureInput:
    """One figure to save, with the caller's key of it (``where``, as in
    ``FigureError``): rule violations are reported against it."""

    where: Hashable
    year: int
    quarter: int
    unit: Unit
    element: DataElement
    category: Category | None
    value: int | None  # None: remove the stored figure

    @property
    def key(self) -> tuple[int, int, int, int, int | None]:
        return (
            self.year,
            self.quarter,
            self.unit.pk,
            self.element.pk,
            self.category.pk if self.category else None,
        )


# The audit's changes of one report: (figure key, old value, new value).
History = dict[tuple[Unit, int, int], list[tuple[str, int | None, int | None]]]


def figures_save(
    *, inputs: list[FigureInput], user=None, source: str = "", action: str = ""
) -> ImportResult:
    """Check figures against the validation rules and upsert them, all or nothing.

    An input whose ``value`` is None removes the stored figure (a value cleared on the
    report form). Every change is recorded in the audit log, one entry per unit and
    quarter; ``source`` names the imported file (the entries of one import share a
    batch), or the channel that wrote them with its own ``action`` (the survey's
    tally).
    """
    if not inputs:
        return ImportResult()
    years = {i.year for i in inputs}
    with transaction.atomic():
        existing = _stored(inputs, lock=True)
        violations = _rule_violations(inputs, existing)
        if violations:
            raise RulesBroken(violations)
        new, changed, removed, history = _figure_changes(inputs, existing)
        Figure.objects.bulk_create(new, batch_size=1000)
        Figure.objects.bulk_update(changed, ["value", "updated_at"], batch_size=1000)
        Figure.objects.filter(pk__in=removed).delete()
        audit.audit_per_report(
            history,
            subject=AuditEntry.Subject.FIGURES,
            action=action or (AuditEntry.Action.IMPORTED if source else AuditEntry.Action.UPDATED),
            user=user,
            label=source,
        )
        if history:
            touched = {(i.unit.pk, i.element.pk) for i in inputs}
            recompute.recompute_request(years=years_affected(years), touched=touched)
    unchanged = len(inputs) - len(new) - len(changed) - len(removed)
    return ImportResult(len(new), len(changed), unchanged, len(removed))


def _figure_changes(
    inputs: list[FigureInput], existing: dict
) -> tuple[list[Figure], list[Figure], list[int], History]:
    """The figures to create, to update and (ids) to remove, and the changes of each
    report for the audit log; an input equal to the stored figure is left out."""
    new, changed, removed = [], [], []
    history: History = {}
    for item in inputs:
        figure = existing.get(item.key)
        old = figure.value if figure else None
        if item.value is None:
            if figure is None:
                continue
            removed.append(figure.pk)
        elif figure is None:
            new.append(
                Figure(
                    year=item.year,
                    quarter=item.quarter,
                    unit=item.unit,
                    element=item.element,
                    category=item.category,
                    value=item.value,
                )
            )
        elif figure.value != item.value:
            figure.value = item.value
            figure.updated_at = timezone.now()
            changed.append(figure)
        else:
            continue
        history.setdefault((item.unit, item.year, item.quarter), []).append(
            (selectors.reports.audit_figure_key(item.element, item.category), old, item.value)
        )
    return new, changed, removed, history


def figures_rule_violations(*, inputs: list[FigureInput]) -> list[RuleViolation]:
    """The validation rules these figures would break together with those stored,
    without saving anything: so that a file with other errors is told all of them."""
    return _rule_violations(inputs, _stored(inputs, lock=False)) if inputs else []


def _stored(inputs: list[FigureInput], *, lock: bool) -> dict:
    """The stored figures of the inputs' years and units, by their key."""
    figures = Figure.objects.filter(
        year__in={i.year for i in inputs}, unit_id__in={i.unit.pk for i in inputs}
    )
    if lock:
        figures = figures.select_for_update()
    return {(f.year, f.quarter, f.unit_id, f.element_id, f.category_id): f for f in figures}


class RulesBroken(ImportFailed):
    """Figures that break a validation rule; ``violations`` say which figure broke
    which rule, for callers that show the refusal next to the figure's ``where``."""

    def __init__(self, violations: list[RuleViolation]):
        super().__init__([f"{v.item.where}: {v.error()}" for v in violations])
        self.violations = violations


@dataclass(frozen=True)
class RuleViolation:
    """``low`` (``low_value``) exceeds ``high`` (``high_value``), reported on ``item``."""

    item: FigureInput
    low: DataElement
    low_value: int
    high: DataElement
    high_value: int

    def error(self, *, label: Callable[[DataElement], str] = attrgetter("code")) -> FigureError:
        """The violation as an error on the value of ``item``; ``label`` names the two
        elements (their codes unless told otherwise)."""
        params = {
            "low": label(self.low),
            "low_value": self.low_value,
            "high": label(self.high),
            "high_value": self.high_value,
        }
        return FigureError(self.item.where, "value", str(self.item.value), ABOVE, params)


def _rule_violations(inputs: list[FigureInput], existing: dict) -> list[RuleViolation]:
    """``element <= bound`` within each year, quarter, unit and category, the file's
    values taking the place of the stored ones."""
    rules = [(r.element_id, r.bound_id) for r in ValidationRule.objects.all()]
    if not rules:
        return []
    elements = DataElement.objects.in_bulk()
    values = {key: f.value for key, f in existing.items()}
    source = {}
    for item in inputs:
        if item.value is None:
            values.pop(item.key, None)
        else:
            values[item.key] = item.value
        source[item.key] = item
    violations = []
    for key, item in source.items():
        violations += _item_violations(item, key, rules, values, source, elements)
    return violations


def _item_violations(
    item: FigureInput,
    key: tuple,
    rules: list[tuple[int, int]],
    values: Mapping[tuple, int],
    source: Mapping[tuple, FigureInput],
    elements: Mapping[int, DataElement],
) -> list[RuleViolation]:
    """The rules ``item`` breaks, in the order of their elements' codes and values."""
    year, quarter, unit_id, element_id, category_id = key
    violations = []
    for low, high in rules:
        if element_id not in (low, high):
            continue
        low_key = (year, quarter, unit_id, low, category_id)
        high_key = (year, quarter, unit_id, high, category_id)
        if low_key not in values:
            continue
        low_value, high_value = values[low_key], values.get(high_key, 0)
        if low_value <= high_value:
            continue
        # Report once, on the smaller element when the inputs have it.
        if element_id == high and low_key in source:
            continue
        violations.append(RuleViolation(item, elements[low], low_value, elements[high], high_value))
    return sorted(violations, key=lambda v: (v.low.code, v.low_value, v.high.code, v.high_value))


def years_affected(years: Iterable[int]) -> set[int]:
    """The years whose statuses read figures of these years: themselves, and the years
    that take one of them as a baseline."""
    years = set(years)
    later = Target.objects.filter(baseline_year__in=years).values_list("year", flat=True)
    return years | set(later)
