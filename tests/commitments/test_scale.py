"""National scale: a recompute of 500 units with a full year of figures stays fast."""

from __future__ import annotations

import time

from commitments import services
from commitments.models import Category, DataElement, Figure, Status, Unit

UNITS = 500


def _build(units: int) -> int:
    """A department with ``units`` receiving desks and four quarters of figures each:
    dossiers in three fields, satisfaction, documents. Returns the figures written."""
    department = Unit.objects.create(code="root", name="Sở", kind="department")
    desks = Unit.objects.bulk_create(
        Unit(
            code=f"u{n}",
            name=f"Đơn vị {n}",
            parent=department,
            kind="affiliated_unit",
            receives_dossiers=True,
        )
        for n in range(units)
    )
    element = {e.code: e for e in DataElement.objects.all()}
    fields = list(Category.objects.filter(code__in=["land", "crop", "fisheries"]))
    figures = []
    for desk in desks:
        for quarter in (1, 2, 3, 4):
            for field in fields:
                for code, value in (("dossiers_resolved", 100), ("dossiers_on_time", 98)):
                    figures.append(
                        Figure(
                            year=2021,
                            quarter=quarter,
                            unit=desk,
                            element=element[code],
                            category=field,
                            value=value,
                        )
                    )
            for code, value in (
                ("survey_responses", 50),
                ("survey_satisfied", 46),
                ("docs_issued", 40),
                ("docs_signed_digitally", 30),
            ):
                figures.append(
                    Figure(
                        year=2021, quarter=quarter, unit=desk, element=element[code], value=value
                    )
                )
    Figure.objects.bulk_create(figures, batch_size=2000)
    return len(figures)


def test_recompute_of_500_units_takes_seconds_not_minutes(catalogue, capsys):
    figures = _build(UNITS)
    started = time.perf_counter()
    written = services.recompute.statuses_recompute(year=2021)
    elapsed = time.perf_counter() - started
    assert written == Status.objects.filter(year=2021).count()
    assert written > 20 * UNITS
    with capsys.disabled():
        print(
            f"\nrecompute: {UNITS} units, {figures} figures -> {written} statuses in {elapsed:.2f} s"
        )
    assert elapsed < 30  # a generous bound for a 2-core CI machine; typically a few seconds
