"""Small builders for test data, one place for every test file: units, figures and
evidence; users and their memberships; quarterly reports and the steps of their review;
targets. Each returns saved model instances."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import count
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from commitments import services
from commitments.models import (
    Category,
    DataElement,
    Evidence,
    Figure,
    Membership,
    QuarterlyReport,
    Sheet,
    Target,
    TargetOverride,
    Unit,
)

_numbers = count(1)

# The password of the users built here, unless a test needs its own.
PASSWORD = "mat-khau-dai-123"


# --- units, figures, evidence --------------------------------------------------------


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


# --- users and memberships -----------------------------------------------------------


def user(
    username: str,
    *,
    unit: Unit | None = None,
    role: str | None = None,
    password: str = PASSWORD,
    permissions: Iterable[str] = (),
    **fields,
):
    """A user who logs in with ``password``: a member of ``unit`` in ``role`` when a unit
    is given, holding the named permissions (codenames); ``fields`` are the user's own
    (email, is_active, first_name…)."""
    created = get_user_model().objects.create_user(username, password=password, **fields)
    if unit is not None:
        membership(created, unit, role)
    if permissions:
        created.user_permissions.add(*(Permission.objects.get(codename=c) for c in permissions))
    return created


def staff(username: str, unit: Unit, **fields):
    """A member of staff (chuyên viên) of a unit: writes and submits its reports."""
    return user(username, unit=unit, role=Membership.Role.STAFF, **fields)


def director(username: str, unit: Unit, **fields):
    """A director (lãnh đạo) of a unit: sees it and every unit below it."""
    return user(username, unit=unit, role=Membership.Role.DIRECTOR, **fields)


def city_office(username: str = "sonoivu", **fields):
    """A user of the city's coordinating office (Sở Nội vụ): a member of the group that
    holds ``view_city``, as an admin sets it up in /admin/; of no unit."""
    group, _ = Group.objects.get_or_create(name="Điều phối cải cách toàn thành phố")
    group.permissions.add(Permission.objects.get(codename="view_city"))
    created = user(username, **fields)
    created.groups.add(group)
    return created


def membership(user, unit: Unit, role: str | None) -> Membership:
    return Membership.objects.create(user=user, unit=unit, role=role)


def superuser(username: str = "quantri", *, password: str = PASSWORD):
    """A superuser: sees and may do everything."""
    return get_user_model().objects.create_superuser(username, password=password)


# --- quarterly reports -----------------------------------------------------------------


def report(unit: Unit, *, year: int = 2021, quarter: int = 1, **fields) -> QuarterlyReport:
    """The unit's stored report of a quarter, created with ``fields`` when there is none."""
    return QuarterlyReport.objects.get_or_create(
        unit=unit, year=year, quarter=quarter, defaults=fields
    )[0]


def utc(*args: int) -> dt.datetime:
    """A moment in UTC: ``utc(2021, 4, 10, 16, 30)``."""
    return dt.datetime(*args, tzinfo=dt.UTC)


def report_submitted(report: QuarterlyReport, user, *, at: dt.datetime) -> None:
    """The report submitted by ``user`` at the moment ``at``."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        services.reports.report_submit(report=report, user=user)


def report_returned(
    report: QuarterlyReport, user, *, at: dt.datetime, comment: str = "Thiếu số liệu"
) -> None:
    """The report returned by ``user`` at the moment ``at``."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        services.reports.report_return(report=report, user=user, comment=comment)


def report_approved(report: QuarterlyReport, user, *, at: dt.datetime) -> None:
    """The report approved by ``user`` at the moment ``at``."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        services.reports.report_approve(report=report, user=user)


# --- targets ---------------------------------------------------------------------------


def target(indicator: str, *, year: int = 2021) -> Target:
    """The stored target of an indicator for a year (the ``catalogue`` fixture loads
    the 2021 targets)."""
    return Target.objects.get(indicator__code=indicator, year=year)


def target_override(target: Target, **fields) -> TargetOverride:
    """A scoped threshold of a target (by category, unit kind or unit sector)."""
    return TargetOverride.objects.create(target=target, **fields)


def department_with_sheet(
    code: str, *, year: int = 2021, without: Iterable[str] = (), **fields
) -> tuple[Unit, Sheet]:
    """A department with a sheet of its own for ``year``, a copy of the catalogue's
    (the common sheet, which then no longer applies to it), ``without`` the indicators
    of those numbers; ``fields`` a department's unit fields."""
    department = unit(code, kind="department", **fields)
    common = Sheet.objects.get(code="hcmc-dard-2021")
    sheet = services.targets.sheet_copy(sheet=common, year=year, department=department)
    Target.objects.filter(indicator__sheet=sheet, indicator__code__in=list(without)).delete()
    sheet.indicators.filter(code__in=list(without)).delete()
    return department, sheet


def sheet_target(sheet: Sheet, indicator: str) -> Target:
    """The target of an indicator of a sheet, of the sheet's year."""
    return Target.objects.get(indicator__sheet=sheet, indicator__code=indicator, year=sheet.year)
