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
    DefinitionVersion,
    Indicator,
    IndicatorDefinition,
    Sheet,
    Target,
    TargetOverride,
    ValidationRule,
)
from commitments.services import definitions, recompute

M = TypeVar("M", bound=models.Model)


def catalogue_load(*, name: str) -> dict[str, int]:
    """Create or update a built-in catalogue: categories, data elements, validation
    rules, the definitions of its indicators with their versions, and its sheet of the
    catalogue's year with the commitments, indicators and targets signed. Idempotent:
    the sheet is found again by the catalogue's name, and keeps the department an
    admin gave it (a new one is the common sheet of its year, for every department)."""
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
        sheet, _ = Sheet.objects.update_or_create(
            code=name,
            defaults={"year": year, "signed_by": spec["signed_by"], "signed_on": spec["signed_on"]},
        )
        commitments = _rows_save(
            Commitment, spec["commitments"], ("name_vi", "name_en"), sheet=sheet
        )
        for position, item in enumerate(spec["indicators"]):
            version = _definition_save(item, position, elements, year)
            indicator = _indicator_save(sheet, item, position, version, commitments)
            _target_save(indicator, item, year, categories)
        _later_versions_save(spec)
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


def _rows_save(
    model: type[M], rows: Iterable[Sequence], columns: Sequence[str], **identity
) -> dict[str, M]:
    """Each row of a table of the catalogue (its code, then ``columns``) created or
    updated by its code (and ``identity``), in the table's order (``position``); by
    code."""
    saved = {}
    for position, (code, *values) in enumerate(rows):
        defaults = {**dict(zip(columns, values, strict=True)), "position": position}
        saved[code], _ = model.objects.update_or_create(code=code, **identity, defaults=defaults)
    return saved


# What an indicator of the catalogue says of itself; the rest is its definition's measure.
INDICATOR_FIELDS = (
    "name_vi",
    "name_en",
    "short_name_vi",
    "short_name_en",
    "tracked",
    "quarterly",
    "yearly",
)
NOT_MEASURE = {"code", "definition", "definition_name", "target", "commitment", *INDICATOR_FIELDS}


def _measure(item: dict, elements: dict[str, DataElement]) -> dict:
    """The measure of a catalogue's indicator, as its definition's version holds it."""
    measure = {k: v for k, v in item.items() if k not in NOT_MEASURE}
    for key in ("numerator", "denominator", "element"):
        measure[key] = elements[measure[key]] if measure.get(key) else None
    measure.setdefault("scope_kinds", [])
    measure.setdefault("scope_sectors", [])
    return measure


def _definition_save(
    item: dict, position: int, elements: dict[str, DataElement], year: int
) -> DefinitionVersion:
    """The shared definition of a catalogue's indicator and its version of the
    catalogue's year."""
    name_vi, name_en = item.get("definition_name", (item["name_vi"], item["name_en"]))
    definition, _ = IndicatorDefinition.objects.update_or_create(
        code=item["definition"],
        defaults={"name_vi": name_vi, "name_en": name_en, "position": position},
    )
    version, _ = DefinitionVersion.objects.update_or_create(
        definition=definition,
        valid_from=year,
        defaults={"name_vi": name_vi, "name_en": name_en, **_measure(item, elements)},
    )
    version.full_clean()
    return version


def _later_versions_save(spec: dict) -> None:
    """The later versions of the catalogue's definitions, with the measure of the
    version before (they rename, they do not change what is counted)."""
    for code, valid_from, name_vi, name_en, note in spec.get("definition_versions", ()):
        definition = IndicatorDefinition.objects.get(code=code)
        if definition.versions.filter(valid_from=valid_from).exists():
            continue
        previous = definitions.version_in_force(definition=definition, year=valid_from)
        definitions.definition_version_add(
            definition=definition,
            valid_from=valid_from,
            measure=definitions.measure_of(previous),
            name_vi=name_vi,
            name_en=name_en,
            note=note,
        )


def _indicator_save(
    sheet: Sheet,
    item: dict,
    position: int,
    version: DefinitionVersion,
    commitments: dict[str, Commitment],
) -> Indicator:
    indicator = Indicator.objects.filter(sheet=sheet, code=item["code"]).first() or Indicator(
        sheet=sheet, code=item["code"]
    )
    for name in INDICATOR_FIELDS:
        setattr(indicator, name, item.get(name, Indicator._meta.get_field(name).default))
    indicator.commitment = commitments[item["commitment"]]
    indicator.position = position
    definitions.indicator_adopt(indicator=indicator, version=version)
    indicator.full_clean()
    indicator.save()
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
