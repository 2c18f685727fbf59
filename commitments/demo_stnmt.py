"""The demo's second department (đơn vị mẫu thứ hai): Sở Tài nguyên và Môi trường TP.HCM
(``stnmt``), its sheet loaded from a file as an admin loads one.

``stnmt_load`` writes its seven units (three receiving desks: the one-stop desk of the
Department Office, the City Land Registration Office and the Sub-department of
Environmental Protection), its procedure fields (land is DARD's too), its 2021 sheet
from ``commitments/data/stnmt-2021.csv`` through ``services.sheet_files.sheet_load``
(the sheet file of the README), its 2021 figures, the citizens' answers at its desks
(``surveys/demo.py``), its milestone, its quarterly reports and its director,
``demo-director-2`` (password ``demo``). Like DARD's, the current year is prepared
from 2021: the sheet copied into it, the 2021 figures of the quarters that have ended
replayed. Running it again writes the same data.

The sheet is numbered after the city's template, as DARD's is, so that the matrix's
columns line up where the two share a definition: 4.1 satisfaction (from 90%), 5.1
on time in each field (97%, land 95%) and 6.1 desks that surveyed, DARD's
definitions; 8.3 the share of dossiers received and processed online (from 40%) and
8.4 the land records digitised by 30 November 2021, definitions of its own that the
file describes, under numbers DARD's sheet does not use.

Intended 2021 outcomes for the department, as the dashboard should show them:

- 4.1 met every quarter and the year (825 of 899 answers satisfied, 91.77%); the
  Sub-department of Environmental Protection alone misses Q1 (41 / 46 = 89.13% < 90).
- **5.1 not met in Q3**: land 3,485 / 3,691 = 94.42% < 95 in the lockdown (the Land
  Registration Office 3,215 / 3,410 = 94.28%); every other quarter and the year are met
  (land for the year 21,275 / 21,927 = 97.03%).
- 6.1 met every quarter: the three desks have answers every quarter.
- **8.3 not met**: 9,651 of 25,659 dossiers online = 37.61% < 40 for the year; only the
  lockdown quarter reaches it (2,265 / 4,149 = 54.59%).
- 8.4 met: done on 22 November 2021 with its report, before the deadline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from commitments import selectors, services
from commitments.models import (
    Category,
    Commitment,
    DataElement,
    Indicator,
    Membership,
    Milestone,
    QuarterlyReport,
    Sheet,
    Unit,
)
from surveys import demo as survey_demo

YEAR = 2021
DEPARTMENT = "stnmt"
SHEET_FILE = Path(__file__).resolve().parent / "data" / "stnmt-2021.csv"
DIRECTOR = "demo-director-2"
# The desk whose report of the quarter under way waits for the director's review.
WAITING_UNIT = "stnmt-vpdkdd"

D, DIV, AFF, ENV = "department", "division", "affiliated_unit", "environment"

# (code, parent, kind, sector, public service, receives dossiers, vi, en)
UNITS = [
    (
        "stnmt",
        None,
        D,
        ENV,
        False,
        False,
        "Sở Tài nguyên và Môi trường Thành phố Hồ Chí Minh",
        "Ho Chi Minh City Department of Natural Resources and Environment",
    ),
    (
        "stnmt-vp",
        "stnmt",
        DIV,
        ENV,
        False,
        True,
        "Văn phòng Sở (Bộ phận tiếp nhận và trả kết quả)",
        "Department Office (receiving desk)",
    ),
    (
        "stnmt-qldd",
        "stnmt",
        DIV,
        ENV,
        False,
        False,
        "Phòng Quản lý đất đai",
        "Land Management Division",
    ),
    ("stnmt-ttra", "stnmt", DIV, ENV, False, False, "Thanh tra Sở", "Department Inspectorate"),
    (
        "stnmt-vpdkdd",
        "stnmt",
        AFF,
        ENV,
        True,
        True,
        "Văn phòng Đăng ký đất đai Thành phố",
        "City Land Registration Office",
    ),
    (
        "stnmt-ccbvmt",
        "stnmt",
        AFF,
        ENV,
        False,
        True,
        "Chi cục Bảo vệ môi trường",
        "Sub-department of Environmental Protection",
    ),
    (
        "stnmt-ttqt",
        "stnmt",
        AFF,
        ENV,
        True,
        False,
        "Trung tâm Quan trắc tài nguyên và môi trường",
        "Centre for Natural Resources and Environment Monitoring",
    ),
]

# Its procedure fields besides land: (code, Vietnamese, English).
FIELDS = [
    ("environment", "Môi trường", "Environment"),
    ("water_resources", "Tài nguyên nước", "Water resources"),
    ("minerals", "Địa chất và khoáng sản", "Geology and minerals"),
]

# Dossiers 2021 by desk and field, Q1 to Q4: (received, online, resolved, on time).
DOSSIERS = {
    ("stnmt-vpdkdd", "land"): [
        (5120, 1690, 5010, 4880),
        (5860, 2050, 5790, 5655),
        (3240, 1750, 3410, 3215),  # 94.28%: the lockdown's backlog
        (6050, 2240, 6120, 5960),
    ],
    ("stnmt-vp", "land"): [
        (410, 118, 402, 396),
        (455, 141, 448, 441),
        (268, 150, 281, 270),
        (472, 160, 466, 458),
    ],
    ("stnmt-vp", "environment"): [
        (236, 71, 230, 227),
        (262, 84, 255, 252),
        (150, 88, 158, 155),
        (280, 95, 272, 268),
    ],
    ("stnmt-vp", "water_resources"): [
        (92, 22, 90, 89),
        (98, 25, 96, 95),
        (61, 33, 63, 62),
        (105, 29, 102, 101),
    ],
    ("stnmt-vp", "minerals"): [(34, 5, 33, 33), (38, 6, 37, 36), (20, 8, 22, 22), (41, 7, 40, 40)],
    ("stnmt-ccbvmt", "environment"): [
        (612, 190, 598, 590),
        (655, 215, 646, 637),
        (410, 236, 425, 418),
        (690, 238, 681, 672),
    ],
}
# Online 2,096 / 2,521 / 2,265 / 2,769 = 9,651 of received 6,504 / 7,368 / 4,149 /
# 7,638 = 25,659.

# The citizens' answers by desk, Q1 to Q4: (valid responses, satisfied).
SURVEY = {
    "stnmt-vpdkdd": [(124, 113), (131, 120), (72, 66), (138, 127)],
    "stnmt-vp": [(68, 63), (74, 68), (40, 37), (77, 71)],
    "stnmt-ccbvmt": [(46, 41), (49, 45), (28, 26), (52, 48)],  # Q1 89.13% < 90
}

# The milestone of 8.4: (indicator, title, done on, evidence).
MILESTONE = (
    "8.4",
    "Hoàn thành số hóa hồ sơ địa chính và đưa vào cơ sở dữ liệu đất đai Thành phố",
    dt.date(2021, 11, 22),
    "Báo cáo số 512/BC-VPĐK ngày 22/11/2021",
)


def stnmt_load(*, today: dt.date, password: str) -> list[Unit]:
    """Create or update the department, its 2021 sheet (loaded from its file), figures,
    answers, milestone and reports, and its director; prepare the year of ``today``
    when it is after 2021 (as ``commitments.demo`` does for DARD). Returns its units.
    Statuses are the caller's to recompute."""
    _fields_save()
    units = _units_save()
    director = _director_save(units[DEPARTMENT], password)
    services.sheet_files.sheet_load(
        path=SHEET_FILE, department=DEPARTMENT, year=YEAR, replace=True, source=SHEET_FILE.name
    )
    rows = _figure_rows(YEAR, quarters=4)
    services.figures.figures_save(inputs=_figure_inputs(units, rows))
    _milestone_save(units, YEAR, until=None)
    _reports_save(units, YEAR, quarters=4, today=today, director=director)
    _surveys_save(units, YEAR, quarters=4, director=director)
    if today.year > YEAR:
        ended = (today.month - 1) // 3
        _current_sheet(units, today.year)
        rows = _figure_rows(today.year, quarters=ended)
        services.figures.figures_save(inputs=_figure_inputs(units, rows))
        # Done by today's day and month of 2021 (a 29 February as the 28th).
        until = dt.date(YEAR, today.month, min(today.day, 28) if today.month == 2 else today.day)
        _milestone_save(units, today.year, until=until)
        _reports_save(units, today.year, quarters=ended, today=today, director=director)
        _surveys_save(units, today.year, quarters=ended, director=director)
    return list(units.values())


def _fields_save() -> None:
    for position, (code, name_vi, name_en) in enumerate(FIELDS, start=20):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "kind": Category.Kind.FIELD,
                "name_vi": name_vi,
                "name_en": name_en,
                "position": position,
            },
        )


def _units_save() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for code, parent, kind, sector, public_service, receives, name, name_en in UNITS:
        units[code], _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "parent": units[parent] if parent else None,
                "kind": kind,
                "sector": sector,
                "public_service": public_service,
                "receives_dossiers": receives,
            },
        )
    return units


def _director_save(department: Unit, password: str):
    """The department's director; the password is set on every run."""
    user, _ = get_user_model().objects.get_or_create(username=DIRECTOR)
    user.first_name, user.last_name = "Giám đốc", "Demo TNMT"
    user.email = f"{DIRECTOR}@example.invalid"
    user.is_active, user.is_staff, user.is_superuser = True, False, False
    user.set_password(password)
    user.save()
    Membership.objects.update_or_create(
        user=user, unit=department, defaults={"role": Membership.Role.DIRECTOR}
    )
    return user


def _figure_rows(year: int, *, quarters: int) -> list[tuple[int, int, str, str, str, int]]:
    """The 2021 dossiers of the first ``quarters`` quarters, told of ``year``."""
    elements = ("dossiers_received", "dossiers_online", "dossiers_resolved", "dossiers_on_time")
    return [
        (year, quarter, unit, element, field, values[index])
        for (unit, field), by_quarter in DOSSIERS.items()
        for quarter, values in enumerate(by_quarter[:quarters], start=1)
        for index, element in enumerate(elements)
    ]


def _figure_inputs(units: dict[str, Unit], rows) -> list[services.figures.FigureInput]:
    elements = {e.code: e for e in DataElement.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    return [
        services.figures.FigureInput(
            where=line,
            year=year,
            quarter=quarter,
            unit=units[unit],
            element=elements[element],
            category=categories[category],
            value=value,
        )
        for line, (year, quarter, unit, element, category, value) in enumerate(rows, start=1)
    ]


def _milestone_save(units: dict[str, Unit], year: int, *, until: dt.date | None) -> None:
    """8.4's milestone in ``year``, its 2021 date moved there; not reached yet when it
    was done after ``until`` (today's day and month, in 2021)."""
    code, title, done_on, reference = MILESTONE
    if until is not None and done_on > until:
        return
    department = units[DEPARTMENT]
    Milestone.objects.update_or_create(
        indicator=Indicator.objects.get(code=code, sheet__year=year, sheet__department=department),
        unit=department,
        year=year,
        defaults={
            "title": title,
            "done_on": done_on.replace(year=year),
            "evidence_reference": reference.replace(str(YEAR), str(year)),
        },
    )


def _current_sheet(units: dict[str, Unit], year: int) -> None:
    """The department's sheet of ``year``: its 2021 sheet copied, once, and its
    commitments confirmed (the admin read them again; none of its definitions changed
    since 2021)."""
    department = units[DEPARTMENT]
    admin = get_user_model().objects.filter(is_superuser=True, username="demo-admin").first()
    if not Sheet.objects.filter(department=department, year=year).exists():
        source = Sheet.objects.get(department=department, year=YEAR)
        services.targets.sheet_copy(sheet=source, year=year, user=admin)
    copied = Commitment.objects.filter(
        sheet__department=department, sheet__year=year, to_review=True
    ).select_related("sheet")
    for commitment in copied:
        if all(reason == "copied" for reason, _details in commitment.review_reasons):
            services.sheets.commitment_confirm(commitment=commitment, user=admin)


def _reports_save(
    units: dict[str, Unit], year: int, *, quarters: int, today: dt.date, director
) -> None:
    """Its units' reports of the year's first ``quarters`` quarters, sent a few days
    before the deadline and approved; in a year in progress, the Land Registration
    Office's report of the last ended quarter waits for the director."""
    zone = timezone.get_current_timezone()
    reporting = [u for u in units.values() if u.parent_id is not None]
    for quarter in range(1, quarters + 1):
        deadline = selectors.completeness.report_deadline(year=year, quarter=quarter)
        for number, unit in enumerate(reporting):
            sent = dt.datetime.combine(
                deadline - dt.timedelta(days=number % 3 + 1), dt.time(15), zone
            )
            waiting = year == today.year and quarter == quarters and unit.code == WAITING_UNIT
            submitted = sent if sent.date() <= today else None
            if submitted is None:
                state = QuarterlyReport.State.DRAFT
            elif waiting:
                state = QuarterlyReport.State.SUBMITTED
            else:
                state = QuarterlyReport.State.APPROVED
            decided = state == QuarterlyReport.State.APPROVED
            QuarterlyReport.objects.update_or_create(
                unit=unit,
                year=year,
                quarter=quarter,
                defaults={
                    "state": state,
                    "comment": "",
                    "version": 2,
                    "submitted_at": submitted,
                    "first_submitted_at": submitted,
                    "decided_at": submitted + dt.timedelta(days=1) if decided else None,
                    "decided_by": director if decided else None,
                },
            )


def _surveys_save(units: dict[str, Unit], year: int, *, quarters: int, director) -> None:
    """The citizens' answers at its desks, counted into their figures and published by
    its director (``surveys/demo.py``)."""
    if quarters < 1:
        return
    survey_demo.season_load(
        desks={units[code]: season for code, season in SURVEY.items()},
        year=year,
        quarters=quarters,
        director=director,
    )
