"""Signed sheets (bản đăng ký chỉ tiêu): a department's new sheet and its indicators,
the department a common sheet belongs to, who signed it and its scanned document, and
an admin confirming the commitments a copy marked to review. Copying a sheet into
another year is ``services.targets.sheet_copy``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from commitments import engine
from commitments.models import (
    AuditEntry,
    Commitment,
    Indicator,
    IndicatorDefinition,
    Sheet,
    Target,
    Unit,
)
from commitments.services import audit, definitions, recompute


def sheet_create(
    *,
    department: Unit | None,
    year: int,
    signed_by: str = "",
    signed_on: dt.date | None = None,
    user=None,
) -> Sheet:
    """A department's sheet of a year, empty (its commitments and indicators come
    next). Refused (``ValidationError``, by field) when the department is not a top
    unit or already has a sheet that year."""
    sheet = Sheet(
        department=department,
        year=year,
        signed_by=signed_by.strip(),
        signed_on=signed_on,
        created_by=audit.user_or_none(user),
    )
    # The unique department and year is checked by the database, with our message.
    sheet.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            sheet.save()
    except IntegrityError:
        raise ValidationError({"year": _sheet_exists(department, year)}) from None
    return sheet


def sheet_assign(*, sheet: Sheet, department: Unit | None, user=None) -> None:
    """The department a sheet belongs to (None: the common sheet of its year). The
    statuses of its year are recomputed once the change commits, for the departments
    it now applies to. Refused (``ValidationError``) as ``sheet_create`` refuses."""
    with transaction.atomic():
        before = sheet.department
        sheet.department = department
        sheet.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                sheet.save(update_fields=["department"])
        except IntegrityError:
            sheet.department = before
            raise ValidationError({"department": _sheet_exists(department, sheet.year)}) from None
        audit.audit_record(
            subject=AuditEntry.Subject.SHEET,
            action=AuditEntry.Action.UPDATED,
            user=user,
            year=sheet.year,
            label=str(sheet),
            changes=[("department", _code(before), _code(department))],
        )
        recompute.recompute_request(years=[sheet.year])


def sheet_sign(
    *, sheet: Sheet, signed_by: str, signed_on: dt.date | None, document=None, user=None
) -> None:
    """Who signed the sheet and when, and the scanned signed document (an uploaded
    file, already checked by type and size; ``None`` keeps the one stored)."""
    with transaction.atomic():
        before = (sheet.signed_by, sheet.signed_on, sheet.document_name)
        sheet.signed_by, sheet.signed_on = signed_by.strip(), signed_on
        old_file = sheet.document.name if document is not None and sheet.document else ""
        if document is not None:
            sheet.document_name = Path(document.name).name[:255]
            sheet.document.save(document.name, document, save=False)
        try:
            sheet.full_clean()
            sheet.save(update_fields=["signed_by", "signed_on", "document", "document_name"])
        except BaseException:
            if document is not None:
                sheet.document.delete(save=False)  # nothing points at it
            raise
        after = (sheet.signed_by, sheet.signed_on, sheet.document_name)
        audit.audit_record(
            subject=AuditEntry.Subject.SHEET,
            action=AuditEntry.Action.UPDATED,
            user=user,
            year=sheet.year,
            label=str(sheet),
            changes=list(zip(("signed_by", "signed_on", "document"), before, after, strict=True)),
        )
        if old_file:
            storage = sheet.document.storage
            transaction.on_commit(lambda: storage.delete(old_file))


def indicator_add(
    *,
    commitment: Commitment,
    code: str,
    definition: IndicatorDefinition,
    name_vi: str,
    name_en: str = "",
    quarterly: bool = False,
    yearly: bool = True,
    target: Mapping[str, object],
) -> Target:
    """An indicator added to a commitment's sheet, numbered ``code`` and worded as
    signed, measured by the version of ``definition`` in force in the sheet's year,
    with its target of that year (``target``: threshold, comparator, wording, deadline,
    baseline_year, baseline_value; no threshold: tracked; a growth's baseline is the
    year before unless given). Refused (``ValidationError``, by field, nothing saved)
    when the definition has no version that year, the number is taken or the target
    is not one; the year is recomputed once it commits."""
    sheet = commitment.sheet
    version = definitions.version_in_force(definition=definition, year=sheet.year)
    if version is None:
        refusal = gettext("Định nghĩa này chưa có phiên bản áp dụng năm %(year)s.")
        raise ValidationError({"definition": refusal % {"year": sheet.year}})
    indicator = Indicator(
        sheet=sheet,
        commitment=commitment,
        code=code,
        name_vi=name_vi,
        name_en=name_en,
        quarterly=quarterly,
        yearly=yearly,
        tracked=target.get("threshold") is None,
        position=sheet.indicators.count(),
    )
    definitions.indicator_adopt(indicator=indicator, version=version)
    fields = {**target_defaults(indicator=indicator, year=sheet.year), **target}
    fields.setdefault("comparator", "")
    with transaction.atomic():
        indicator.full_clean()
        indicator.save()
        stored = Target(indicator=indicator, year=sheet.year, **fields)
        stored.full_clean()
        stored.save()
        recompute.recompute_request(years=[sheet.year])
    return stored


def target_defaults(*, indicator: Indicator, year: int) -> dict[str, object]:
    """What a new target of a sheet's indicator starts from: a growth is measured
    against the year before (năm gốc)."""
    if indicator.kind in (engine.GROWTH_POINTS, engine.GROWTH_RELATIVE):
        return {"baseline_year": year - 1}
    return {}


def commitment_confirm(*, commitment: Commitment, user=None) -> bool:
    """An admin confirms a commitment marked to review: its words and its indicators'
    targets are as signed. Returns whether this call confirmed it (False: it was not
    waiting, or another admin confirmed it first)."""
    with transaction.atomic():
        confirmed = Commitment.objects.filter(pk=commitment.pk, to_review=True).update(
            to_review=False, review_reasons=[]
        )
        if confirmed:
            audit.audit_record(
                subject=AuditEntry.Subject.SHEET,
                action=AuditEntry.Action.CONFIRMED,
                user=user,
                year=commitment.sheet.year,
                label=f"{commitment.sheet} · {commitment.code}",
            )
    commitment.refresh_from_db(fields=["to_review", "review_reasons"])
    return bool(confirmed)


def sheet_confirm(*, sheet: Sheet, user=None) -> int:
    """Confirm every commitment of the sheet still marked to review; returns how many."""
    with transaction.atomic():
        return sum(
            commitment_confirm(commitment=commitment, user=user)
            for commitment in sheet.commitments.filter(to_review=True).select_related("sheet")
        )


def _code(unit: Unit | None) -> str:
    return unit.code if unit is not None else ""


def _sheet_exists(department: Unit | None, year: int) -> str:
    if department is None:
        return gettext("Năm %(year)s đã có bản đăng ký chung.") % {"year": year}
    return gettext("%(unit)s đã có bản đăng ký năm %(year)s.") % {
        "unit": department.label,
        "year": year,
    }
