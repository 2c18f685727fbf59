"""A department's signed sheet loaded from a file (nạp bản đăng ký từ tệp): its
commitments, indicators (of shared definitions, or of definitions the file
describes), targets and their overrides, as ``commitments.sheet_file`` reads them.

All or nothing, as every import: every row is checked first and one bad row writes
nothing (``SheetLoadFailed`` lists every problem as ``line N: column: reason``). A
department's sheet of the year already stored is replaced only when asked
(``replace``), in place (commitments and indicators kept by their numbers, so that
their statuses and milestones stay theirs), and never once the department's results of
that year are published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext

from commitments import engine, sheet_file
from commitments.models import (
    AuditEntry,
    Category,
    Commitment,
    DataElement,
    DefinitionVersion,
    Indicator,
    IndicatorDefinition,
    Milestone,
    Publication,
    Sheet,
    Target,
    TargetChange,
    TargetOverride,
    Unit,
)
from commitments.services import audit, definitions, recompute, targets
from commitments.services.imports import line_number
from commitments.tabular import ImportFailed, Row, read_rows

# The fields of an indicator the file gives (its measure comes from its definition).
INDICATOR_FIELDS = ("name_vi", "name_en", "short_name_vi", "short_name_en", "quarterly", "yearly")


class SheetLoadFailed(ImportFailed):
    """A sheet's file that wrote nothing: ``errors`` are ``line N: column: reason``,
    ``warnings`` the signed words that state another target than the one given."""

    def __init__(self, errors: list[str], warnings: Iterable[str] = ()):
        super().__init__(errors)
        self.warnings = list(warnings)


@dataclass
class SheetLoaded:
    """What a load wrote: the sheet, whether it is new, how many of each part it holds
    (``counts``) and how many were written (``written``: 0 when the file says what is
    stored), and the warnings of its signed words."""

    sheet: Sheet
    created: bool
    counts: dict[str, int]
    written: int = 0
    definitions_added: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        counts = ", ".join(f"{n} {what}" for what, n in self.counts.items())
        done = "created" if self.created else ("replaced" if self.written else "unchanged")
        added = (
            f"; new definitions: {', '.join(self.definitions_added)}"
            if self.definitions_added
            else ""
        )
        return f"{self.sheet}: {done}: {counts}{added}"


def sheet_load(
    *,
    path: str | Path,
    department: str,
    year: int,
    replace: bool = False,
    user=None,
    source: str = "",
) -> SheetLoaded:
    """Load the sheet that ``department`` (a top unit's code) signed for ``year`` from
    a CSV or XLSX file (README: the sheet file), all or nothing, as ``sheet_rows_load``.
    """
    unit, errors = _load_start(department, year)
    try:
        rows = read_rows(path, sheet_file.COLUMNS, optional=sheet_file.MEASURE_COLUMNS)
    except ImportFailed as failed:
        raise SheetLoadFailed(errors + failed.errors) from None
    return _load(
        rows, unit, year, errors, replace=replace, user=user, source=source or Path(path).name
    )


def sheet_rows_load(
    *,
    rows: list[Row],
    department: str,
    year: int,
    replace: bool = False,
    user=None,
    source: str,
) -> SheetLoaded:
    """Load the sheet that ``department`` (a top unit's code) signed for ``year`` from
    the rows of its file, all or nothing.

    Refused (``SheetLoadFailed``) with every problem of the rows at once; when the
    department already has a sheet of the year, unless ``replace``; and when replacing
    it would change a sheet whose results of the year are published, or drop an
    indicator that has milestones recorded. A new definition the rows describe is
    shared from then on, its first version valid from ``year``. The commitments loaded
    are as signed (none waits for review); every target written is in the targets'
    history, the load in the audit log (``source`` naming it), and the year is
    recomputed once it commits.
    """
    unit, errors = _load_start(department, year)
    return _load(rows, unit, year, errors, replace=replace, user=user, source=source)


def _load_start(department: str, year: int) -> tuple[Unit | None, list[str]]:
    """The department (its problems as errors) for a year that can be read."""
    errors: list[str] = []
    unit = _department(department, errors)
    if not 2000 <= year <= 2100:
        # The definitions in force are the year's: its rows cannot be checked without it.
        errors.append(Row(0, {}).error("year", gettext("Năm phải từ 2000 đến 2100.")))
        raise SheetLoadFailed(errors)
    return unit, errors


def _load(
    rows: list[Row], unit: Unit | None, year: int, errors: list[str], *, replace, user, source
) -> SheetLoaded:
    plan = sheet_file.sheet_plan(rows, _known(year), errors)
    if errors:
        raise SheetLoadFailed(sorted(errors, key=line_number), plan.warnings)
    with transaction.atomic():
        stored = Sheet.objects.select_for_update().filter(department=unit, year=year).first()
        _refusal_check(stored, plan, unit=unit, year=year, replace=replace)
        sheet = stored or _sheet_create(unit, year, user)
        loaded = _sheet_write(plan, sheet=sheet, user=user, source=source)
        loaded.created, loaded.warnings = stored is None, plan.warnings
        if loaded.written:
            _published_check(unit, year)
        if loaded.written or stored is None:
            audit.audit_record(
                subject=AuditEntry.Subject.SHEET,
                action=AuditEntry.Action.IMPORTED,
                user=user,
                unit=unit,
                year=year,
                label=source,
                changes=[(what, None, str(n)) for what, n in loaded.counts.items()],
            )
            recompute.recompute_request(years=[year])
    return loaded


def _department(code: str, errors: list[str]) -> Unit | None:
    """The top unit of that code; an unknown code or a unit with a parent is an error
    that names the departments."""
    unit = Unit.objects.filter(code=code).select_related("parent").first()
    line = Row(0, {})
    if unit is None:
        known = ", ".join(Unit.objects.filter(parent__isnull=True).values_list("code", flat=True))
        reason = gettext("Không có Sở mã %(code)r. Các Sở: %(known)s.")
        errors.append(line.error("department", reason % {"code": code, "known": known or "—"}))
    elif unit.parent_id is not None:
        reason = gettext("%(code)s không phải một Sở: đơn vị này thuộc %(parent)s.")
        errors.append(line.error("department", reason % {"code": code, "parent": unit.parent.code}))
        return None
    return unit


def _known(year: int) -> sheet_file.Known:
    """What the file may name: the definitions with their version in force in
    ``year``, the data elements and the categories (four queries)."""
    in_force: dict[int, DefinitionVersion] = {}
    versions = DefinitionVersion.objects.filter(valid_from__lte=year).select_related(
        "numerator", "denominator", "element"
    )
    for version in versions.order_by("valid_from"):
        in_force[version.definition_id] = version  # the latest valid by then
    return sheet_file.Known(
        year=year,
        definitions={d.code: (d, in_force.get(d.pk)) for d in IndicatorDefinition.objects.all()},
        elements={e.code: e for e in DataElement.objects.all()},
        categories={c.code: c for c in Category.objects.all()},
    )


def _refusal_check(
    stored: Sheet | None, plan: sheet_file.SheetPlan, *, unit: Unit, year: int, replace: bool
) -> None:
    """Refuse a sheet of the department and year already stored, unless replacing it;
    and a replacement that drops an indicator with milestones recorded."""
    if stored is None:
        return
    line = Row(0, {})
    if not replace:
        raise SheetLoadFailed([line.error("year", _exists(unit, year))])
    dropped = (
        Milestone.objects.filter(indicator__sheet=stored)
        .exclude(indicator__code__in=list(plan.indicators))
        .values_list("indicator__code", flat=True)
        .distinct()
    )
    reason = gettext(
        "Chỉ tiêu %(code)s của bản đăng ký đang lưu đã có mốc hoàn thành được ghi nhận, "
        "nhưng tệp không có chỉ tiêu này."
    )
    problems = [line.error("code", reason % {"code": code}) for code in sorted(dropped)]
    if problems:
        raise SheetLoadFailed(problems)


def _sheet_create(unit: Unit, year: int, user) -> Sheet:
    """The department's new sheet of the year; a load of the same department and year
    that commits first makes this one a refusal like any other."""
    try:
        with transaction.atomic():
            return Sheet.objects.create(
                department=unit, year=year, created_by=audit.user_or_none(user)
            )
    except IntegrityError:
        raise SheetLoadFailed([Row(0, {}).error("year", _exists(unit, year))]) from None


def _exists(unit: Unit, year: int) -> str:
    reason = gettext(
        "%(unit)s đã có bản đăng ký năm %(year)s: hãy chọn thay thế (--replace) để nạp "
        "tệp này thay cho bản đang lưu."
    )
    return reason % {"unit": unit.code, "year": year}


def _published_check(unit: Unit, year: int) -> None:
    """Refuse (and so roll back) a change to the sheet a department's published
    results of the year were judged on (its own, or the common one it loads a sheet
    of its own over): the public read them against those targets."""
    published = list(Publication.objects.filter(unit=unit, year=year).order_by("quarter"))
    if published:
        reason = gettext(
            "Kết quả năm %(year)s của %(unit)s đã được công bố (%(periods)s): không thể "
            "thay đổi bản đăng ký đã công bố."
        )
        periods = ", ".join(engine.period_label(p.year, p.quarter) for p in published)
        values = {"year": year, "unit": unit.code, "periods": periods}
        raise SheetLoadFailed([Row(0, {}).error("year", reason % values)])


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _sheet_write(plan: sheet_file.SheetPlan, *, sheet: Sheet, user, source: str) -> SheetLoaded:
    """Write the plan into ``sheet``, in place: what the file says is created or
    updated by its number, what it no longer says is removed; nothing is written
    where the sheet already says it."""
    versions, added = _definitions_write(plan, sheet.year)
    commitments, written = _commitments_write(plan, sheet)
    indicators: dict[str, Indicator] = {}
    for position, line in enumerate(plan.indicators.values()):
        indicator, changed = _indicator_write(
            line, sheet, position, commitments[line.commitment], versions[line.definition]
        )
        indicators[line.code] = indicator
        written += changed
    note = gettext("Nạp từ tệp %(file)s") % {"file": source}
    history = [
        entry
        for line in plan.indicators.values()
        if (entry := _target_write(line, indicators[line.code], user=user, note=note))
    ]
    TargetChange.objects.bulk_create(history)
    removed, _ = sheet.indicators.exclude(code__in=list(plan.indicators)).delete()
    gone, _ = sheet.commitments.exclude(code__in=list(plan.commitments)).delete()
    return SheetLoaded(
        sheet=sheet,
        created=False,
        counts={
            "commitments": len(plan.commitments),
            "indicators": len(plan.indicators),
            "overrides": sum(len(line.overrides) for line in plan.indicators.values()),
        },
        written=written + len(history) + removed + gone + len(added),
        definitions_added=added,
    )


def _definitions_write(
    plan: sheet_file.SheetPlan, year: int
) -> tuple[dict[str, DefinitionVersion], list[str]]:
    """The version each indicator of the plan uses, by definition code: the stored one
    in force in ``year``, or the first version of a definition the file describes
    (created here, valid from ``year``); and the codes of those created."""
    wanted = {line.definition for line in plan.indicators.values()}
    stored = {d.code: d for d in IndicatorDefinition.objects.filter(code__in=wanted)}
    versions, added = {}, []
    last = IndicatorDefinition.objects.aggregate(last=Max("position"))["last"] or 0
    for code in sorted(wanted):
        described = plan.definitions.get(code)
        if described is not None and described.stored is not None:
            versions[code] = described.stored
        elif described is not None:
            last += 1
            definition = _definition_create(described, position=last)
            version = DefinitionVersion(
                definition=definition,
                valid_from=year,
                name_vi=described.name_vi,
                name_en=described.name_en,
                **described.measure,
            )
            version.full_clean()
            version.save()
            versions[code], added = version, [*added, code]
        else:
            versions[code] = definitions.version_in_force(definition=stored[code], year=year)
    return versions, sorted(added)


def _definition_create(described: sheet_file.DefinitionLine, *, position: int):
    """The new definition a file describes; a load that stores the same code first (two
    departments' files at once) makes this one a refusal, and loading the file again
    then finds the stored one."""
    try:
        with transaction.atomic():
            return IndicatorDefinition.objects.create(
                code=described.code,
                name_vi=described.name_vi,
                name_en=described.name_en,
                position=position,
            )
    except IntegrityError:
        reason = gettext(
            "định nghĩa %(code)s vừa được một lần tải khác tạo cùng lúc; hãy tải lại tệp."
        ) % {"code": described.code}
        raise SheetLoadFailed([Row(described.line, {}).error("definition", reason)]) from None


def _commitments_write(
    plan: sheet_file.SheetPlan, sheet: Sheet
) -> tuple[dict[str, Commitment], int]:
    """The sheet's commitments as the file numbers and words them, in its order, none
    waiting for review (the file is what was signed); how many were written."""
    stored = {c.code: c for c in sheet.commitments.all()}
    commitments, written = {}, 0
    for position, line in enumerate(plan.commitments.values()):
        commitment = stored.get(line.code) or Commitment(sheet=sheet, code=line.code)
        wanted = {
            "name_vi": line.name_vi,
            "name_en": line.name_en,
            "position": position,
            "to_review": False,
            "review_reasons": [],
        }
        if commitment.pk is None or _differs(commitment, wanted):
            for name, value in wanted.items():
                setattr(commitment, name, value)
            commitment.full_clean(exclude=["sheet"])
            commitment.save()
            written += 1
        commitments[line.code] = commitment
    return commitments, written


def _indicator_write(
    line: sheet_file.IndicatorLine,
    sheet: Sheet,
    position: int,
    commitment: Commitment,
    version: DefinitionVersion,
) -> tuple[Indicator, bool]:
    """The indicator of that number, created or updated: its words, periods and
    commitment, and the measure of ``version``; whether it was written."""
    indicator = sheet.indicators.filter(code=line.code).first() or Indicator(
        sheet=sheet, code=line.code
    )
    wanted = {
        **line.fields,
        "tracked": line.target["threshold"] is None,
        "position": position,
        "commitment_id": commitment.pk,
        "version_id": version.pk,
    }
    if indicator.pk is not None and not _differs(indicator, wanted):
        return indicator, False
    for name, value in wanted.items():
        setattr(indicator, name, value)
    indicator.commitment = commitment
    definitions.indicator_adopt(indicator=indicator, version=version)
    indicator.full_clean(exclude=["sheet", "commitment", "version"])
    indicator.save()
    return indicator, True


def _target_write(
    line: sheet_file.IndicatorLine, indicator: Indicator, *, user, note: str
) -> TargetChange | None:
    """The indicator's target of the sheet's year and its overrides, as the file says;
    its history entry (not saved yet), or None when the stored target says it
    already."""
    year = indicator.sheet.year
    stored = (
        Target.objects.filter(indicator=indicator, year=year)
        .prefetch_related("overrides__category")
        .first()
    )
    target = stored or Target(indicator=indicator, year=year)
    before = targets.target_snapshot(stored) if stored else {}
    for name, value in line.target.items():
        setattr(target, name, value)
    overrides = [
        TargetOverride(
            category=o.category,
            unit_kind=o.unit_kind,
            unit_sector=o.unit_sector,
            threshold=o.threshold,
            comparator=o.comparator,
        )
        for o in line.overrides
    ]
    changes = targets.target_differences(before, targets.target_snapshot(target, overrides))
    if stored is not None and not changes:
        return None
    target.full_clean(exclude=["indicator"])
    target.save()
    target.overrides.all().delete()
    for override in overrides:
        override.target = target
        override.save()
    return TargetChange(
        user=audit.user_or_none(user),
        target=target,
        indicator_code=indicator.code,
        year=year,
        action=TargetChange.Action.UPDATED if stored else TargetChange.Action.CREATED,
        changes=changes,
        note=note,
    )


def _differs(instance, wanted: dict[str, object]) -> bool:
    return any(getattr(instance, name) != value for name, value in wanted.items())
