"""Loading a built-in catalogue (``commitments.catalogue``) into the database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.db import models, transaction

from commitments import catalogue
from commitments.models import (
    Category,
    Commitment,
    DataElement,
    Indicator,
    Target,
    TargetOverride,
    ValidationRule,
)
from commitments.services import recompute

M = TypeVar("M", bound=models.Model)


def catalogue_load(*, name: str) -> dict[str, int]:
    """Create or update a built-in catalogue: categories, data elements, validation
    rules, commitments, indicators and the catalogue year's targets. Idempotent."""
    if name not in catalogue.CATALOGUES:
        known = ", ".join(sorted(catalogue.CATALOGUES))
        raise ValueError(f"unknown catalogue {name!r}; known: {known}")
    spec = catalogue.CATALOGUES[name]
    year = spec["year"]
    with transaction.atomic():
        categories = _categories_save(spec)
        elements = _elements_save(spec)
        for element, bound in spec["validation_rules"]:
            ValidationRule.objects.get_or_create(element=elements[element], bound=elements[bound])
        commitments = _commitments_save(spec)
        for position, item in enumerate(spec["indicators"]):
            indicator = _indicator_save(item, position, elements, commitments)
            _target_save(indicator, item, year, categories)
        recompute.recompute_request(years=[year])
    return {
        "categories": len(categories),
        "elements": len(elements),
        "validation_rules": len(spec["validation_rules"]),
        "commitments": len(commitments),
        "indicators": len(spec["indicators"]),
    }


def _categories_save(spec: dict) -> dict[str, Category]:
    return _rows_save(Category, spec["categories"], ("kind", "name_vi", "name_en"))


def _elements_save(spec: dict) -> dict[str, DataElement]:
    columns = ("aggregation", "category_kind", "is_flag", "name_vi", "name_en")
    elements = _rows_save(DataElement, spec["elements"], columns)
    # The elements counted from citizens' answers are never typed by a unit.
    DataElement.objects.filter(code__in=spec.get("surveyed", ())).update(
        source=DataElement.Source.SURVEY
    )
    return elements


def _commitments_save(spec: dict) -> dict[str, Commitment]:
    return _rows_save(Commitment, spec["commitments"], ("name_vi", "name_en"))


def _rows_save(model: type[M], rows: Iterable[Sequence], columns: Sequence[str]) -> dict[str, M]:
    """Each row of a table of the catalogue (its code, then ``columns``) created or
    updated by its code, in the table's order (``position``); by code."""
    saved = {}
    for position, (code, *values) in enumerate(rows):
        defaults = {**dict(zip(columns, values, strict=True)), "position": position}
        saved[code], _ = model.objects.update_or_create(code=code, defaults=defaults)
    return saved


def _indicator_save(
    item: dict,
    position: int,
    elements: dict[str, DataElement],
    commitments: dict[str, Commitment],
) -> Indicator:
    fields = {k: v for k, v in item.items() if k not in ("code", "target", "commitment")}
    for key in ("numerator", "denominator", "element"):
        fields[key] = elements[fields[key]] if fields.get(key) else None
    fields.setdefault("scope_kinds", [])
    fields.setdefault("scope_sectors", [])
    indicator, _ = Indicator.objects.update_or_create(
        code=item["code"],
        defaults={
            **fields,
            "commitment": commitments[item["commitment"]],
            "position": position,
        },
    )
    indicator.full_clean()
    return indicator


def _target_save(
    indicator: Indicator, item: dict, year: int, categories: dict[str, Category]
) -> None:
    """The indicator's target of the catalogue year, its overrides replaced."""
    target_spec = dict(item["target"])
    overrides = target_spec.pop("overrides", [])
    target_spec.setdefault("deadline", None)
    target_spec.setdefault("baseline_year", None)
    target, _ = Target.objects.update_or_create(
        indicator=indicator, year=year, defaults=target_spec
    )
    target.overrides.all().delete()
    for override in overrides:
        TargetOverride.objects.create(
            target=target,
            category=categories[override["category"]] if override.get("category") else None,
            unit_kind=override.get("unit_kind", ""),
            unit_sector=override.get("unit_sector", ""),
            threshold=override["threshold"],
            comparator=override["comparator"],
        )
