"""Reads of the dossier records: the figures derived from them as the report form
shows them, the late dossiers of a unit, field and quarter, and the reconciliation of
the hand count with the records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery

from commitments.models import Category, Unit
from dossiers import rules
from dossiers.models import Dossier, DossierCount


def figure_records() -> Subquery:
    """For a queryset of figures: the number of dossier records each figure is derived
    from, None for a figure typed by hand (no query of its own). Derived figures are the
    records', shown read-only on the report form, never typed."""
    counts = DossierCount.objects.filter(
        unit=OuterRef("unit"),
        year=OuterRef("year"),
        quarter=OuterRef("quarter"),
        element=OuterRef("element"),
        category=OuterRef("category"),
    )
    return Subquery(counts.values("records")[:1])


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class LateDossier:
    """A dossier resolved after its due date, or still open past it at the quarter's end."""

    code: str
    procedure: str
    category: str
    received_at: dt.datetime
    due_by: dt.datetime
    resolved_at: dt.datetime | None
    days_late: int
    category_name: str = ""  # the field's name in the reader's language


def late_dossiers(
    *, unit: Unit, year: int, quarter: int, category: str | None = None
) -> list[LateDossier]:
    """The dossiers of the unit resolved late in the quarter (one query), most days late
    first; of one field (category code) when given."""
    found = Dossier.objects.filter(
        unit=unit, resolved_year=year, resolved_quarter=quarter, on_time=False
    )
    return _late(_of_field(found, category), until=None)


def overdue_open(
    *, unit: Unit, year: int, quarter: int, category: str | None = None
) -> list[LateDossier]:
    """The dossiers of the unit still open and past their due date at the end of the
    quarter (rules.overdue_open_at; one query), most days late first."""
    end = rules.quarter_end(year, quarter, _zone())
    found = (
        Dossier.objects.filter(unit=unit, received_at__lte=end, due_by__lt=end)
        .exclude(status=Dossier.Status.WITHDRAWN)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gt=end))
    )
    return _late(_of_field(found, category), until=end)


def _of_field(dossiers: QuerySet, category: str | None) -> QuerySet:
    return dossiers.filter(category__code=category) if category else dossiers


def _late(dossiers: QuerySet, *, until: dt.datetime | None) -> list[LateDossier]:
    zone = _zone()
    rows = dossiers.values_list(
        "code", "procedure", "category__code", "received_at", "due_by", "resolved_at",
        "category__name_vi", "category__name_en",
    )  # fmt: skip
    late = [
        LateDossier(
            code,
            procedure,
            category,
            received,
            due_by,
            resolved,
            rules.days_late(due_by, until or resolved, zone),
            Category.named(name_vi, name_en),
        )
        for code, procedure, category, received, due_by, resolved, name_vi, name_en in rows
    ]
    return sorted(late, key=lambda d: (-d.days_late, d.code))


@dataclass(frozen=True)
class Difference:
    """A figure both typed by hand and derived from the records, and how far apart."""

    unit: str
    year: int
    quarter: int
    element: str
    category: str
    typed: int
    derived: int
    records: int
    # The unit's, element's and field's names in the reader's language.
    names: tuple[str, str, str] = ("", "", "")

    @property
    def difference(self) -> int:
        return self.typed - self.derived


def reconciliation(*, year: int, units: QuerySet | None = None) -> list[Difference]:
    """Every figure of ``year`` a unit typed by hand before its records replaced it, with
    the value the records give (one query), the largest disagreements first."""
    counts = DossierCount.objects.filter(year=year, typed__isnull=False)
    if units is not None:
        counts = counts.filter(unit__in=units)
    counts = counts.select_related("unit", "element", "category")
    differences = [
        Difference(
            c.unit.code, c.year, c.quarter, c.element.code, c.category.code, c.typed, c.value,
            c.records, names=(c.unit.label, c.element.name, c.category.name),
        )
        for c in counts
    ]  # fmt: skip
    return sorted(
        differences,
        key=lambda d: (-abs(d.difference), d.unit, d.quarter, d.element, d.category),
    )


def reconciliation_years() -> list[int]:
    """The years with figures derived from dossier records, oldest first."""
    return sorted(set(DossierCount.objects.values_list("year", flat=True)))
