"""The commitments, indicators and targets stored before sheets become signed sheets.

Each year with targets gets a sheet: the department's when the tree has one top unit
(else the common sheet, for every department). The first year's sheet takes the stored
commitments and indicators; each later year gets its own copies, with the years of
their words moved on and marked to review, and that year's targets, statuses and
milestones move to them. Every indicator's measure becomes a definition of its own,
valid from the first year, whose version the statuses record. The statuses themselves
are unchanged: the same indicators, targets and figures give the same values.
"""

from django.db import migrations

from commitments.engine.wording import shift_years

# The indicators of the built-in 2021 DARD catalogue and their definitions' codes.
DEFINITION_CODES = {
    "1.1": "plan-tasks-on-time",
    "2.1": "organisation-review",
    "2.2": "recruitment-published",
    "3.1": "periodic-inspection-coverage",
    "3.2": "surprise-inspections",
    "4.1": "satisfaction",
    "4.2": "online-share-growth",
    "4.3": "online-procedures-growth",
    "4.4": "epayment-education-health",
    "4.5": "epayment-desks",
    "4.6": "initiative-per-unit",
    "5.1": "on-time-by-field",
    "5.2": "dialogues",
    "6.1": "desks-surveyed",
    "6.2": "desks-published",
    "7.1": "feedback-on-time-by-channel",
    "7.2": "feedback-published",
    "8.1": "digital-signatures",
    "8.2": "iso-9001-transition",
    "9.1": "website-reform-section",
    "9.2": "communication-product-per-unit",
}
CATALOGUE = "hcmc-dard-2021"
MEASURE_FIELDS = (
    "kind",
    "source",
    "per_category",
    "level",
    "scope_kinds",
    "scope_sectors",
    "scope_public_service",
    "scope_receives_dossiers",
    "numerator_id",
    "denominator_id",
    "element_id",
    "evidence_kind",
    "distinct_subjects",
    "coverage_rule",
    "condition_min",
)


def forward(apps, schema_editor):
    Unit = apps.get_model("commitments", "Unit")
    Sheet = apps.get_model("commitments", "Sheet")
    Commitment = apps.get_model("commitments", "Commitment")
    Indicator = apps.get_model("commitments", "Indicator")
    Target = apps.get_model("commitments", "Target")
    indicators = list(Indicator.objects.order_by("commitment__position", "position", "code"))
    if not indicators and not Commitment.objects.exists():
        return
    years = sorted(set(Target.objects.values_list("year", flat=True))) or [2021]
    first = years[0]
    roots = list(Unit.objects.filter(parent__isnull=True)[:2])
    department = roots[0] if len(roots) == 1 else None
    codes = {indicator.code for indicator in indicators}
    is_catalogue = first == 2021 and set(DEFINITION_CODES) <= codes
    sheet = Sheet.objects.create(
        department=department, year=first, code=CATALOGUE if is_catalogue else ""
    )
    Commitment.objects.update(sheet=sheet)
    _definitions(apps, indicators, first)
    Indicator.objects.update(sheet=sheet)
    for year in years[1:]:
        _sheet_of_year(apps, sheet, year, department)


def _definitions(apps, indicators, first: int) -> None:
    """A definition for each indicator, its measure as version one, valid from the
    first year; the indicator and its statuses use it."""
    Definition = apps.get_model("commitments", "IndicatorDefinition")
    Version = apps.get_model("commitments", "DefinitionVersion")
    Status = apps.get_model("commitments", "Status")
    taken = set()
    for position, indicator in enumerate(indicators):
        code = DEFINITION_CODES.get(indicator.code) or f"indicator-{indicator.code}"
        code = code.replace(".", "-")[:45]
        while code in taken:
            code = f"{code}-{position}"
        taken.add(code)
        definition = Definition.objects.create(
            code=code, name_vi=indicator.name_vi, name_en=indicator.name_en, position=position
        )
        version = Version.objects.create(
            definition=definition,
            valid_from=first,
            name_vi=indicator.name_vi,
            name_en=indicator.name_en,
            **{field: getattr(indicator, field) for field in MEASURE_FIELDS},
        )
        indicator.version = version
        indicator.save(update_fields=["version"])
        Status.objects.filter(indicator=indicator).update(version=version)


def _sheet_of_year(apps, first_sheet, year: int, department) -> None:
    """The sheet of a later year: copies of the commitments and indicators with a
    target that year, their words told of that year and marked to review; the year's
    targets, statuses and milestones move to the copies."""
    Sheet = apps.get_model("commitments", "Sheet")
    Commitment = apps.get_model("commitments", "Commitment")
    Indicator = apps.get_model("commitments", "Indicator")
    by = year - first_sheet.year
    sheet = Sheet.objects.create(department=department, year=year, copied_from=first_sheet)
    copies = {}
    in_force = Indicator.objects.filter(targets__year=year).select_related("commitment")
    for indicator in in_force.order_by("commitment__position", "position", "code"):
        commitment = indicator.commitment
        if commitment.pk not in copies:
            copies[commitment.pk] = Commitment.objects.create(
                sheet=sheet,
                code=commitment.code,
                position=commitment.position,
                name_vi=shift_years(commitment.name_vi, year=first_sheet.year, by=by),
                name_en=shift_years(commitment.name_en, year=first_sheet.year, by=by),
                to_review=True,
                review_reasons=[["copied", {"source": first_sheet.year, "year": year}]],
            )
        old = indicator.pk
        indicator.pk = None
        indicator.sheet = sheet
        indicator.commitment = copies[commitment.pk]
        indicator.name_vi = shift_years(indicator.name_vi, year=first_sheet.year, by=by)
        indicator.name_en = shift_years(indicator.name_en, year=first_sheet.year, by=by)
        for name in ("short_name_vi", "short_name_en"):
            setattr(indicator, name, shift_years(getattr(indicator, name), year=first_sheet.year, by=by))
        indicator.save(force_insert=True)
        for model in ("Target", "Status", "Milestone"):
            rows = apps.get_model("commitments", model).objects.filter(indicator_id=old, year=year)
            rows.update(indicator=indicator)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0014_sheets")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
