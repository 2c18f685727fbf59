"""Targets: preparing a year from another (a department's sheet copied into the next
year, with its commitments, indicators and targets), editing a target, and the history
of both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from commitments import engine
from commitments.models import Indicator, Sheet, Target, TargetChange, TargetOverride, Unit
from commitments.services import audit, definitions, recompute

# The fields of a target an admin edits; indicator and year are its identity.
TARGET_FIELDS = (
    "threshold",
    "comparator",
    "deadline",
    "baseline_year",
    "baseline_value",
    "wording",
)


class TargetsCopyRefused(ValueError):
    """A year cannot be prepared from another; the message says why."""


def targets_copy_year(*, source_year: int, year: int, user=None) -> int:
    """Prepare a year's targets (chuẩn bị mục tiêu năm mới) from another year's: every
    sheet of ``source_year`` copied into ``year`` (``sheet_copy``); returns how many
    targets were created.

    Refuses with ``TargetsCopyRefused`` when the new year already has targets (edit
    them instead) or the source year has none.
    """
    if not 2000 <= year <= 2100:
        raise TargetsCopyRefused(gettext("Năm phải từ 2000 đến 2100."))
    with transaction.atomic():
        if Target.objects.filter(year=year).exists():
            raise TargetsCopyRefused(_already_prepared(year))
        sheets = list(
            Sheet.objects.filter(year=source_year, indicators__targets__isnull=False).distinct()
        )
        if not sheets:
            raise TargetsCopyRefused(
                gettext("Năm %(year)s chưa có mục tiêu nào để sao chép.") % {"year": source_year}
            )
        for sheet in sheets:
            sheet_copy(sheet=sheet, year=year, user=user)
        return Target.objects.filter(year=year).count()


def sheet_copy(*, sheet: Sheet, year: int, user=None, department: Unit | None = None) -> Sheet:
    """A department's sheet copied into another year (usually the next): returns the
    new sheet, of the same department, or of ``department`` (a department starting
    from another's sheet).

    Its commitments and indicators keep their numbers, their words told of the new year
    (``engine.shift_years``: "năm 2021" becomes "năm 2022", "so với năm 2020" "so với
    năm 2021") and each commitment is marked to review until an admin confirms it
    (``services.sheets.commitment_confirm``). Each indicator uses its definition's
    version in force in the new year (a commitment with one that changed says so).
    Every target is copied with its scoped overrides (``_target_copy``) and recorded in
    the history; the new year is recomputed once the transaction commits. Who signed
    the new sheet, and its document, are for the admin to add.

    Refuses with ``TargetsCopyRefused`` when the department already has a sheet that
    year (or, for a common sheet, the year has one).
    """
    with transaction.atomic():
        try:
            # A savepoint: a concurrent copy fails on the sheet's unique department and
            # year, and is then refused like any other.
            with transaction.atomic():
                copy = Sheet.objects.create(
                    department=department or sheet.department,
                    year=year,
                    copied_from=sheet,
                    created_by=audit.user_or_none(user),
                )
        except IntegrityError:
            raise TargetsCopyRefused(_already_prepared(year)) from None
        indicators = _lines_copy(sheet, copy)
        sources = (
            Target.objects.filter(indicator__sheet=sheet, year=sheet.year)
            .select_related("indicator")
            .prefetch_related("overrides__category")
        )
        history = [
            _target_copy(source, indicator=indicators[source.indicator_id], year=year, user=user)
            for source in sources
        ]
        TargetChange.objects.bulk_create(history)
        recompute.recompute_request(years=[year])
    return copy


def _lines_copy(sheet: Sheet, copy: Sheet) -> dict[int, Indicator]:
    """The sheet's commitments and indicators copied into ``copy``, their words moved
    to its year and marked to review; the new indicator of each old one, by id."""
    by = copy.year - sheet.year
    reason = ["copied", {"source": sheet.year, "year": copy.year}]
    commitments = {}
    for commitment in sheet.commitments.all():
        old = commitment.pk
        commitment.pk, commitment.sheet = None, copy
        commitment.name_vi = engine.shift_years(commitment.name_vi, year=sheet.year, by=by)
        commitment.name_en = engine.shift_years(commitment.name_en, year=sheet.year, by=by)
        commitment.to_review, commitment.review_reasons = True, [reason]
        commitment.save(force_insert=True)
        commitments[old] = commitment
    indicators = {}
    for indicator in sheet.indicators.select_related("version__definition"):
        old = indicator.pk
        indicator.pk, indicator.sheet = None, copy
        indicator.commitment = commitments[indicator.commitment_id]
        for name in ("name_vi", "name_en", "short_name_vi", "short_name_en"):
            words = getattr(indicator, name)
            setattr(indicator, name, engine.shift_years(words, year=sheet.year, by=by))
        definition = indicator.version.definition
        in_force = definitions.version_in_force(definition=definition, year=copy.year)
        if in_force is not None and in_force.pk != indicator.version_id:
            definitions.indicator_adopt(indicator=indicator, version=in_force)
            changed = [
                "version",
                {
                    "indicator": indicator.code,
                    "definition": definition.code,
                    "year": in_force.valid_from,
                },
            ]
            if changed not in indicator.commitment.review_reasons:
                indicator.commitment.review_reasons.append(changed)
                indicator.commitment.save(update_fields=["review_reasons"])
        indicator.save(force_insert=True)
        indicators[old] = indicator
    return indicators


def _target_copy(source: Target, *, indicator: Indicator, year: int, user) -> TargetChange:
    """Copy a target and its overrides into ``year``, for the indicator of the new
    sheet; returns its history entry (not saved yet). Deadlines move to the same day
    in the new year; a target measured against a baseline year is measured against
    the year before the new one, and a typed baseline value is dropped (it was the old
    baseline year's); the years of the words move with the year."""
    delta = year - source.year
    target = Target.objects.create(
        indicator=indicator,
        year=year,
        threshold=source.threshold,
        comparator=source.comparator,
        deadline=_same_day(source.deadline, delta),
        baseline_year=year - 1 if source.baseline_year is not None else None,
        baseline_value=None,
        wording=engine.shift_years(source.wording, year=source.year, by=delta),
    )
    for override in source.overrides.all():
        _override_for(target, override).save()
    before = {"year": source.year, **target_snapshot(source)}
    after = {"year": year, **target_snapshot(target, source.overrides.all())}
    return TargetChange(
        user=user,
        target=target,
        indicator_code=source.indicator.code,
        year=year,
        action=TargetChange.Action.COPIED,
        changes=target_differences(before, after),
    )


def target_update(
    *,
    target: Target,
    data: Mapping[str, object],
    overrides: Sequence[TargetOverride],
    user=None,
    note: str = "",
) -> TargetChange | None:
    """Save a target's threshold, comparator, deadline, baseline and wording (the keys
    of ``data`` among ``TARGET_FIELDS``) and replace its scoped overrides with
    ``overrides`` (as the edit form gives them: unsaved, of no target yet).

    Validated by the models' ``full_clean`` (``ValidationError``, nothing saved). The
    change is recorded in the history with each field's old and new value, and the
    year is recomputed once the transaction commits. Returns the history entry, or
    ``None`` when nothing changed (nothing is written).
    """
    with transaction.atomic():
        # Re-read and lock: the form's instance has already taken the new values, and
        # two admins saving at once must each record what they really replaced.
        stored = (
            Target.objects.select_for_update()
            .select_related("indicator")
            .prefetch_related("overrides__category")
            .get(pk=target.pk)
        )
        before = target_snapshot(stored)
        for name in TARGET_FIELDS:
            if name in data:
                setattr(stored, name, data[name])
        stored.full_clean()
        new_overrides = _overrides_checked(stored, overrides)
        changes = target_differences(before, target_snapshot(stored, new_overrides))
        if not changes:
            return None
        _target_write(stored, changes, new_overrides)
        recompute.recompute_request(years=[stored.year])
        entry = TargetChange.objects.create(
            user=user,
            target=stored,
            indicator_code=stored.indicator.code,
            year=stored.year,
            action=TargetChange.Action.UPDATED,
            changes=changes,
            note=note,
        )
    target.refresh_from_db()
    return entry


def _override_for(target: Target, override: TargetOverride) -> TargetOverride:
    """The same scoped threshold for ``target``, not saved yet."""
    return TargetOverride(
        target=target,
        category=override.category,
        unit_kind=override.unit_kind,
        unit_sector=override.unit_sector,
        threshold=override.threshold,
        comparator=override.comparator,
    )


def _overrides_checked(target: Target, overrides: Sequence[TargetOverride]) -> list[TargetOverride]:
    """The target's new overrides, validated (``ValidationError``), not saved yet."""
    new_overrides = [_override_for(target, o) for o in overrides]
    for override in new_overrides:
        override.full_clean()
    return new_overrides


def _target_write(
    target: Target, changes: Mapping[str, list], new_overrides: list[TargetOverride]
) -> None:
    """Save the changed fields of the target, and its overrides when they changed."""
    fields = [name for name in TARGET_FIELDS if name in changes]
    if fields:
        target.save(update_fields=fields)
    if "overrides" in changes:
        target.overrides.all().delete()
        for override in new_overrides:
            override.save()


def _already_prepared(year: int) -> str:
    return gettext("Năm %(year)s đã có mục tiêu: hãy sửa từng mục tiêu thay vì sao chép.") % {
        "year": year
    }


def _same_day(day: dt.date | None, years: int) -> dt.date | None:
    """The same day ``years`` later; 29 February becomes the 28th in a common year."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def target_snapshot(target: Target, overrides: Iterable[TargetOverride] | None = None) -> dict:
    """A target's edited fields and overrides as the history stores them (text)."""
    overrides = target.overrides.all() if overrides is None else overrides
    snapshot = {name: _history_value(getattr(target, name)) for name in TARGET_FIELDS}
    snapshot["overrides"] = sorted(_override_text(o) for o in overrides)
    return snapshot


def _override_text(override: TargetOverride) -> str:
    """E.g. "land: >= 96", "division, education: > 90"."""
    return f"{override.conditions}: {override.comparator} {_history_value(override.threshold)}"


def _history_value(value):
    """JSON-ready and readable: 96 rather than 96.0000, dates as 2026-12-31."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def target_differences(before: dict, after: dict) -> dict[str, list]:
    """``{field: [old, new]}`` for each field whose value differs; "" counts as empty."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if (before.get(name) or None) != (after.get(name) or None)
    }
