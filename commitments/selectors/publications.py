"""Published results (kết quả đã công bố): whether a period is over, how ready a
department's period is to be published (its units' reports), the publications of a
period or of every department, and a snapshot as the public page shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language

from commitments import access, engine
from commitments.models import Publication, QuarterlyReport, Unit
from commitments.selectors.completeness import NOT_STARTED, expected_units


def period_ended(*, year: int, quarter: int, today: dt.date | None = None) -> bool:
    """Whether a quarter (0: the year) is over: its last day is before today (local)."""
    today = today or timezone.localdate()
    return engine.period_bounds(year, quarter)[1] < today


APPROVED = QuarterlyReport.State.APPROVED.value
SUBMITTED = QuarterlyReport.State.SUBMITTED.value
# A draft and a report returned to its staff are both being written.
BEING_WRITTEN = frozenset({QuarterlyReport.State.DRAFT.value, QuarterlyReport.State.RETURNED.value})
# The units furthest behind first on the confirmation page.
_BEHIND_FIRST = {NOT_STARTED: 0, **dict.fromkeys(BEING_WRITTEN, 1), SUBMITTED: 2, APPROVED: 3}


@dataclass(frozen=True)
class QuarterReadiness:
    """How many of the units that must report stand where with a quarter's report."""

    quarter: int
    approved: int
    submitted: int  # sent, waiting for a director's decision
    being_written: int  # a draft, or returned to its staff
    not_started: int  # no report: nobody has opened it


@dataclass(frozen=True)
class UnitReadiness:
    """A unit that must report and the state of its report of each quarter of the
    period (one quarter, or the four of the year)."""

    unit: Unit
    states: tuple[tuple[int, str], ...]  # (quarter, NOT_STARTED or a report state)

    @property
    def approved(self) -> bool:
        return all(state == APPROVED for _, state in self.states)

    @property
    def behind(self) -> tuple[tuple[int, str], ...]:
        """The quarters whose report is not approved, with their state."""
        return tuple((quarter, state) for quarter, state in self.states if state != APPROVED)


@dataclass(frozen=True)
class Readiness:
    """How ready a department's period is to be published: the units that must report
    (``completeness.expected_units``) and their reports of the period. A unit counts
    as approved when its report of the quarter is approved, for the year (quarter 0)
    when its reports of all four quarters are."""

    year: int
    quarter: int
    quarters: tuple[QuarterReadiness, ...]
    units: tuple[UnitReadiness, ...]  # in the order of their codes

    @property
    def expected(self) -> int:
        return len(self.units)

    @property
    def approved(self) -> int:
        return sum(unit.approved for unit in self.units)

    @property
    def complete(self) -> bool:
        """Every unit's reports of the period are approved: no note is needed."""
        return self.approved == self.expected

    @property
    def missing(self) -> list[UnitReadiness]:
        """The units whose reports are not all approved, furthest behind first."""
        return sorted(
            (unit for unit in self.units if not unit.approved),
            key=lambda unit: (min(_BEHIND_FIRST[s] for _, s in unit.behind), unit.unit.code),
        )

    def as_json(self) -> dict:
        """What a publication keeps of it (``snapshot["readiness"]``)."""
        return {"expected": self.expected, "approved": self.approved}


def publish_readiness(*, department: Unit, year: int, quarter: int) -> Readiness:
    """Where each unit of the department that must report stands with its reports of
    the period (a quarter, or the four quarters of the year): approved, submitted,
    being written (a draft or returned) or not started. Three queries, whatever the
    number of units."""
    quarters = [quarter] if quarter else [1, 2, 3, 4]
    units = list(expected_units(scope=access.unit_scope(unit=department)))
    states = {
        (unit_id, q): state
        for unit_id, q, state in QuarterlyReport.objects.filter(
            unit__in=[u.pk for u in units], year=year, quarter__in=quarters
        ).values_list("unit_id", "quarter", "state")
    }
    rows = tuple(
        UnitReadiness(
            unit=unit, states=tuple((q, states.get((unit.pk, q), NOT_STARTED)) for q in quarters)
        )
        for unit in units
    )

    def count(q: int, wanted: set[str] | frozenset[str]) -> int:
        return sum(dict(row.states)[q] in wanted for row in rows)

    return Readiness(
        year=year,
        quarter=quarter,
        quarters=tuple(
            QuarterReadiness(
                quarter=q,
                approved=count(q, {APPROVED}),
                submitted=count(q, {SUBMITTED}),
                being_written=count(q, BEING_WRITTEN),
                not_started=count(q, {NOT_STARTED}),
            )
            for q in quarters
        ),
        units=rows,
    )


def publications_of_period(*, units: Iterable[Unit], year: int, quarter: int) -> dict:
    """The publications of a period of ``units``, by unit id, with who published them,
    without their snapshots; one query."""
    rows = (
        Publication.objects.filter(unit__in=list(units), year=year, quarter=quarter)
        .select_related("published_by")
        .defer("snapshot")
    )
    return {p.unit_id: p for p in rows}


def publications_published() -> list[Publication]:
    """Every publication with its department, without their snapshots (a page reads
    one of them); by department, the newest period first, the year to date before
    its quarters. One query."""
    rows = list(Publication.objects.select_related("unit").defer("snapshot"))
    rows.sort(key=lambda p: (p.unit.code, -p.year, -(p.quarter or 5)))
    return rows


def publication_snapshot(*, publication: Publication) -> dict:
    """The snapshot of a publication read without it; one query."""
    return Publication.objects.values_list("snapshot", flat=True).get(pk=publication.pk)


@dataclass(frozen=True)
class PublishedIndicator:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class PublishedReading:
    """An indicator, or one of its categories, as published. Reads like a ``Status``
    for the ``status_value`` and ``status_target`` filters."""

    indicator: PublishedIndicator
    name: str  # the indicator's, or the category's
    value: Decimal | None
    target: Decimal | None
    comparator: str
    status: str
    categories: tuple[PublishedReading, ...] = ()
    # The year of an indicator judged by quarter: its worst quarter, those that failed.
    quarter: int | None = None
    failed_quarters: tuple[int, ...] = ()
    # Judged in each category: its target as signed, "từng lĩnh vực ≥ 98% (Đất đai, Đầu
    # tư ≥ 96%)" ("" in a snapshot published before it was kept).
    target_text: str = ""


@dataclass(frozen=True)
class PublishedCommitment:
    code: str
    name: str
    status: str  # "" when none of its indicators is judged in the period
    readings: tuple[PublishedReading, ...]


def published_commitments(snapshot: Mapping) -> list[PublishedCommitment]:
    """A publication's snapshot as the public page shows it, names in the active
    language (Vietnamese where there is no English). No query."""
    english = (get_language() or "vi").startswith("en")

    def name(row: Mapping) -> str:
        return (row.get("name_en") if english else "") or row.get("name_vi", "")

    def reading(row: Mapping, indicator: PublishedIndicator) -> PublishedReading:
        return PublishedReading(
            indicator=indicator,
            name=name(row),
            value=_decimal_or_none(row.get("value")),
            target=_decimal_or_none(row.get("target")),
            comparator=row.get("comparator") or "",
            status=row.get("status", ""),
            categories=tuple(reading(c, indicator) for c in row.get("categories", [])),
            quarter=row.get("quarter"),
            failed_quarters=tuple(row.get("failed_quarters", ())),
            target_text=(row.get("target_text_en") if english else "")
            or row.get("target_text_vi", ""),
        )

    return [
        PublishedCommitment(
            code=commitment["code"],
            name=name(commitment),
            status=commitment.get("status", ""),
            readings=tuple(
                reading(row, PublishedIndicator(row["code"], name(row), row.get("kind", "")))
                for row in commitment.get("indicators", [])
            ),
        )
        for commitment in snapshot.get("commitments", [])
    ]


@dataclass(frozen=True)
class PublishedReadiness:
    """How many units' reports were approved when the period was published."""

    expected: int
    approved: int

    @property
    def complete(self) -> bool:
        return self.approved == self.expected


def published_readiness(snapshot: Mapping) -> PublishedReadiness | None:
    """The readiness a publication kept, or None for one published before it was kept.
    No query."""
    kept = snapshot.get("readiness")
    if not kept:
        return None
    return PublishedReadiness(expected=kept["expected"], approved=kept["approved"])


def _decimal_or_none(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)
