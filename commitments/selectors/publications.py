"""Published results (kết quả đã công bố): whether a period is over, the
publications of a period or of every department, and a snapshot as the public page
shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language

from commitments import engine
from commitments.models import Publication, Unit


def period_ended(*, year: int, quarter: int, today: dt.date | None = None) -> bool:
    """Whether a quarter (0: the year) is over: its last day is before today (local)."""
    today = today or timezone.localdate()
    return engine.period_bounds(year, quarter)[1] < today


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


def _decimal_or_none(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)
