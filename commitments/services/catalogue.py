"""Loading a built-in catalogue (``commitments.catalogue``) into the database."""

from __future__ import annotations

from django.db import transaction

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
    categories = {}
    for position, (code, kind, name_vi, name_en) in enumerate(spec["categories"]):
        categories[code], _ = Category.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name_vi": name_vi,
                "name_en": name_en,
                "position": position,
            },
        )
    return categories


def _elements_save(spec: dict) -> dict[str, DataElement]:
    elements = {}
    for position, (code, aggregation, category_kind, is_flag, name_vi, name_en) in enumerate(
        spec["elements"]
    ):
        elements[code], _ = DataElement.objects.update_or_create(
            code=code,
            defaults={
                "aggregation": aggregation,
                "category_kind": category_kind,
                "is_flag": is_flag,
                "name_vi": name_vi,
                "name_en": name_en,
                "position": position,
            },
        )
    return elements


def _commitments_save(spec: dict) -> dict[str, Commitment]:
    commitments = {}
    for position, (code, name_vi, name_en) in enumerate(spec["commitments"]):
        commitments[code], _ = Commitment.objects.update_or_create(
            code=code, defaults={"name_vi": name_vi, "name_en": name_en, "position": position}
        )
    return commitments


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
