"""A country in small, for the pages that list units: a root, four provinces of four
departments of twenty units each, and 415 communes a province (2,001 units), with the
statuses of Q1 2021 stored as the recompute would store them (5.1 of every unit, 6.1
of the root, which every commune misses) and a report of Q1 from every commune, sent."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from commitments import engine
from commitments.models import Indicator, QuarterlyReport, Status, Unit
from tests import factories

PROVINCES, DEPARTMENTS, UNITS, COMMUNES = 4, 4, 20, 415


def _tree() -> list[Unit]:
    """The units, the root first."""
    root = factories.unit("vn", kind="department", name="Cả nước")
    provinces = Unit.objects.bulk_create(
        Unit(code=f"p{p}", name=f"Tỉnh {p}", parent=root, kind="department")
        for p in range(PROVINCES)
    )
    departments = Unit.objects.bulk_create(
        Unit(code=f"{p.code}-d{d}", name=f"Sở {d} {p.name}", parent=p, kind="department")
        for p in provinces
        for d in range(DEPARTMENTS)
    )
    leaves = Unit.objects.bulk_create(
        Unit(code=f"{d.code}-u{u:02d}", name=f"Phòng {u} {d.name}", parent=d, kind="division")
        for d in departments
        for u in range(UNITS)
    )
    communes = Unit.objects.bulk_create(
        Unit(code=f"{p.code}-x{c:03d}", name=f"Xã {c} {p.name}", parent=p,
             kind="affiliated_unit", receives_dossiers=True)
        for p in provinces
        for c in range(COMMUNES)
    )  # fmt: skip
    return [root, *provinces, *departments, *leaves, *communes]


def _statuses(units: list[Unit]) -> None:
    """5.1 of every unit (the communes' ratios from 90% up, one in three short of 98%),
    and 6.1 of the root, which every commune misses."""
    on_time = Indicator.objects.get(code="5.1")
    surveyed = Indicator.objects.get(code="6.1")
    now = timezone.now()

    def row(indicator, unit, quarter, status, value=None, **detail):
        return Status(indicator=indicator, unit=unit, year=2021, quarter=quarter, status=status,
                      value=value, target=Decimal(98 if indicator == on_time else 100),
                      comparator=engine.GE, detail=detail, computed_at=now)  # fmt: skip

    rows = []
    for n, unit in enumerate(units):
        value = Decimal(90) + Decimal(n % 100) / 10
        status = engine.MET if value >= 98 else engine.NOT_MET
        for quarter in (0, 1):
            rows.append(row(on_time, unit, quarter, status, value, numerator=int(value * 10),
                            denominator=1000))  # fmt: skip
    communes = [u.code for u in units if u.receives_dossiers]
    for quarter in (0, 1):
        rows.append(row(surveyed, units[0], quarter, engine.NOT_MET, Decimal(0), covered=0,
                        units=len(communes), missing=communes))  # fmt: skip
    Status.objects.bulk_create(rows, batch_size=2000)


def country() -> list[Unit]:
    """The units, the root first, with their statuses and reports (needs the
    catalogue)."""
    units = _tree()
    _statuses(units)
    sent = factories.utc(2021, 4, 12, 2)
    QuarterlyReport.objects.bulk_create(
        QuarterlyReport(unit=u, year=2021, quarter=1, state="submitted", submitted_at=sent,
                        first_submitted_at=sent)
        for u in units
        if u.receives_dossiers
    )  # fmt: skip
    return units
