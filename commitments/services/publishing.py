"""Publishing a department's results of a period (công bố kết quả) on the public page."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from commitments import access, engine, insights, selectors
from commitments.models import AuditEntry, Category, Publication, Status, Unit
from commitments.services import audit
from commitments.templatetags import statuses as status_text

NOTE_MAX_LENGTH = 1000


class PublishRefused(ValueError):
    """Publishing refused, nothing written; the message is in the active language."""


class NoteRequired(PublishRefused):
    """Some unit's reports of the period are not approved and no note says why the
    period is published anyway; the message belongs next to the note."""


def results_publish(
    *, department: Unit, year: int, quarter: int, user, note: str = ""
) -> Publication:
    """Publish a department's results of a period (công bố kết quả) on ``/results/``:
    a frozen snapshot of its official statuses, which the public sees until the period
    is published again. Publishing again replaces the snapshot; each publication is
    recorded in the audit log with the commitments whose status changed.

    Only a superuser or a director of the department may (``PermissionDenied``), and
    only a period that is over: a quarter after its last day, the year to date
    (``quarter`` 0) after 31 December (``PublishRefused``). While some unit that must
    report has a report of the period that is not approved (for the year: of one of
    its quarters), a note is required (``NoteRequired``); the note and how many units
    were approved (``snapshot["readiness"]``) are shown with the results.
    """
    scope = access.user_scope(user=user)
    if not access.may_publish(scope=scope, department=department):
        raise PermissionDenied(gettext("Chỉ lãnh đạo Sở hoặc quản trị viên được công bố kết quả."))
    _check_period(year=year, quarter=quarter)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise NoteRequired(
            gettext("Ghi chú dài tối đa %(limit)s ký tự.") % {"limit": NOTE_MAX_LENGTH}
        )
    with transaction.atomic():
        snapshot = _results_snapshot(department=department, year=year, quarter=quarter)
        if not any(c["indicators"] for c in snapshot["commitments"]):
            raise PublishRefused(gettext("Kỳ này chưa có trạng thái nào để công bố."))
        snapshot["readiness"] = _readiness_noted(
            department=department, year=year, quarter=quarter, note=note
        )
        before = (
            Publication.objects.select_for_update()
            .filter(unit=department, year=year, quarter=quarter)
            .values_list("snapshot", flat=True)
            .first()
        )
        publication, _created = Publication.objects.update_or_create(
            unit=department,
            year=year,
            quarter=quarter,
            defaults={
                "published_at": timezone.now(),
                "published_by": audit.user_or_none(user),
                "snapshot": snapshot,
                "note": note,
            },
        )
        audit.audit_record(
            subject=AuditEntry.Subject.PUBLICATION,
            action=AuditEntry.Action.PUBLISHED,
            user=user,
            unit=department,
            year=year,
            quarter=quarter,
            label=engine.period_label(year, quarter),
            changes=_snapshot_changes(before or {}, snapshot),
            note=note,
        )
    return publication


def _check_period(*, year: int, quarter: int) -> None:
    """Refuse a period that is not one, or is not over."""
    if quarter not in (engine.YEAR, 1, 2, 3, 4):
        raise PublishRefused(gettext("Kỳ không hợp lệ."))
    if not selectors.publications.period_ended(year=year, quarter=quarter):
        if quarter == engine.YEAR:
            message = gettext("Năm %(year)s chưa kết thúc: chỉ công bố được kỳ đã kết thúc.")
        else:
            message = gettext(
                "Quý %(quarter)s năm %(year)s chưa kết thúc: chỉ công bố được kỳ đã kết thúc."
            )
        raise PublishRefused(message % {"quarter": quarter, "year": year})


def _readiness_noted(*, department: Unit, year: int, quarter: int, note: str) -> dict:
    """How many of the department's units have their reports of the period approved,
    as the publication keeps it; refused without a note while some are not."""
    readiness = selectors.publications.publish_readiness(
        department=department, year=year, quarter=quarter
    )
    if not readiness.complete and not note:
        raise NoteRequired(
            gettext(
                "Còn %(missing)s/%(expected)s đơn vị chưa được duyệt báo cáo: "
                "hãy ghi chú lý do công bố khi chưa đủ."
            )
            % {"missing": len(readiness.missing), "expected": readiness.expected}
        )
    return readiness.as_json()


def _results_snapshot(*, department: Unit, year: int, quarter: int) -> dict:
    """What the public page shows of a department's period, as plain JSON: each
    commitment (code, names, status; "" and no indicators when it is judged only on
    another period) and each indicator judged in the period (code,
    names, kind, value and target as text, comparator, status, the target as signed
    of one judged in each category, and its categories), read from the official
    statuses the dashboard reads by default, never from the provisional ones (a unit's
    draft figures). Names no person."""
    statuses = selectors.statuses.year_statuses(
        year=year, unit=department, basis=selectors.statuses.OFFICIAL
    )
    categories = {c.code: c for c in Category.objects.all()}
    cards = insights.commitment_cards(
        statuses,
        unit=department,
        quarter=quarter,
        is_open=False,
        category_names={code: c.name_vi for code, c in categories.items()},
        unit_names={},
    )
    period_rows = [s for s in statuses if s.quarter == quarter]
    computed_at = max((s.computed_at for s in period_rows), default=None)
    return {
        "computed_at": computed_at.isoformat() if computed_at else None,
        "commitments": [_snapshot_commitment(card, categories) for card in cards],
    }


def _snapshot_commitment(card: insights.CommitmentCard, categories: Mapping[str, Category]) -> dict:
    """A commitment of the snapshot with the indicators its card shows."""
    return {
        "code": card.commitment.code,
        "name_vi": card.commitment.name_vi,
        "name_en": card.commitment.name_en,
        "status": card.status,
        "indicators": [
            {
                "code": reading.indicator.code,
                "name_vi": reading.indicator.name_vi,
                "name_en": reading.indicator.name_en,
                "kind": reading.indicator.kind,
                **_snapshot_judged(reading.row),
                **_snapshot_signed(reading.row, categories),
                "categories": [_snapshot_category(c, categories) for c in reading.categories],
            }
            for reading in card.shown
        ],
    }


def _snapshot_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")  # "0.0000000000", not "0E-10"


def _snapshot_judged(row: Status) -> dict:
    judged = {
        "value": _snapshot_text(row.value),
        "target": _snapshot_text(row.target),
        "comparator": row.comparator,
        "status": row.status,
    }
    if row.facts.quarter is not None:  # the year of an indicator judged by quarter
        judged["quarter"] = row.facts.quarter
        judged["failed_quarters"] = list(row.facts.failed_quarters)
    return judged


def _snapshot_signed(row: Status, categories: Mapping[str, Category]) -> dict:
    """The target of the whole of an indicator judged in each category as signed, in
    both languages (``target_text_vi``: "từng lĩnh vực ≥ 98% (Đất đai, Đầu tư ≥ 96%)",
    ``target_text_en``), so that the public reads what was signed rather than a bare
    "≥ 98%" beside a met 96.96%; nothing for any other row."""
    if not status_text.is_per_category_whole(row):
        return {}
    signed = {}
    for language in ("vi", "en"):
        with translation.override(language):
            names = {code: category.name for code, category in categories.items()}
            signed[f"target_text_{language}"] = status_text.status_target(row, names)
    return signed


def _snapshot_category(row: Status, categories: Mapping[str, Category]) -> dict:
    known = categories.get(row.category)
    return {
        "code": row.category,
        "name_vi": known.name_vi if known else row.category,
        "name_en": known.name_en if known else "",
        **_snapshot_judged(row),
    }


def _snapshot_changes(before: Mapping, after: Mapping) -> list[list]:
    """``[code, old status, new status]`` of each commitment ("5") and indicator
    ("5.1"), the time the published statuses were computed, and how many units were
    approved ("14/16") when that changed: what a republication changed."""

    def statuses(snapshot: Mapping) -> dict[str, str]:
        codes = {}
        for commitment in snapshot.get("commitments", []):
            codes[commitment["code"]] = commitment.get("status", "")
            for indicator in commitment.get("indicators", []):
                codes[indicator["code"]] = indicator.get("status", "")
        return codes

    old, new = statuses(before), statuses(after)
    changes = [["computed_at", before.get("computed_at"), after.get("computed_at")]]
    changes += [[code, old.get(code), new.get(code)] for code in {**old, **new}]
    approved = [_approved_text(before), _approved_text(after)]
    if approved[0] != approved[1]:
        changes.append(["readiness", *approved])
    return changes


def _approved_text(snapshot: Mapping) -> str | None:
    """The units approved of those that must report, as a snapshot keeps it ("14/16")."""
    kept = snapshot.get("readiness")
    return f"{kept['approved']}/{kept['expected']}" if kept else None
