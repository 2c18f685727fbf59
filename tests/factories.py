"""Small builders for test data; each returns saved model instances."""

from __future__ import annotations

import datetime as dt
from itertools import count

from commitments.models import Category, DataElement, Evidence, Figure, Unit

_numbers = count(1)


def unit(
    code: str | None = None,
    *,
    parent: Unit | None = None,
    kind: str = "division",
    sector: str = "agriculture",
    public_service: bool = False,
    receives_dossiers: bool = False,
    name: str | None = None,
) -> Unit:
    code = code or f"unit-{next(_numbers)}"
    return Unit.objects.create(
        code=code,
        name=name or f"Đơn vị {code}",
        parent=parent,
        kind=kind,
        sector=sector,
        public_service=public_service,
        receives_dossiers=receives_dossiers,
    )


def department(code: str = "sonn") -> Unit:
    return unit(code, kind="department", name="Sở Nông nghiệp và Phát triển nông thôn")


def figure(
    unit: Unit,
    element: str,
    value: int,
    *,
    year: int = 2021,
    quarter: int = 1,
    category: str | None = None,
) -> Figure:
    return Figure.objects.create(
        year=year,
        quarter=quarter,
        unit=unit,
        element=DataElement.objects.get(code=element),
        category=Category.objects.get(code=category) if category else None,
        value=value,
    )


def evidence(
    unit: Unit,
    kind: str,
    date: dt.date,
    *,
    subject: Unit | None = None,
    reference: str | None = None,
    title: str = "",
) -> Evidence:
    return Evidence.objects.create(
        unit=unit,
        kind=kind,
        date=date,
        subject_unit=subject,
        reference=reference or f"{next(_numbers)}/BB-SNN",
        title=title,
    )
