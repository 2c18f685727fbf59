"""The demo department: idempotent, DEBUG only, logins that work, and 2021 statuses
that match values worked out by hand from the tables of ``commitments/demo.py``."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.demo import demo_load
from commitments.models import (
    Evidence,
    Figure,
    Indicator,
    Membership,
    Milestone,
    PlanTask,
    QuarterlyReport,
    Sheet,
    Status,
    Target,
    Unit,
)
from tests.commitments.shortcuts import AFTER_2021

pytestmark = pytest.mark.django_db

# Every period of 2021 (and the deadline of 31 October for 1.1) has closed.
USERNAMES = ["demo-admin", "demo-director", "demo-staff"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The demo sets three passwords on each run; the default hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _department_statuses() -> dict[tuple[str, int, str], tuple[Decimal | None, str]]:
    """The department's 2021 rows: (indicator, quarter, category) -> (value, status)."""
    return {
        (s.indicator.code, s.quarter, s.category): (
            None if s.value is None else s.value.quantize(Decimal("0.01"), ROUND_HALF_UP),
            s.status,
        )
        for s in Status.objects.filter(unit__code="sonn", year=2021).select_related("indicator")
    }


# (indicator, quarter (0 = the year), category): (value, status), from the demo's tables.
EXPECTED = {
    # 5.1, land Q2 (Văn phòng Sở alone): 1,148 on time / 1,201 resolved = 95.59% < 96.
    ("5.1", 2, "land"): (Decimal("95.59"), "not_met"),
    # 5.1, crop Q2 (Chi cục Trồng trọt và BVTV): 2,575 / 2,597 = 99.15% >= 98.
    ("5.1", 2, "crop"): (Decimal("99.15"), "met"),
    # 5.1 whole Q2: Σ on time 1,148 + 93 + 2,575 + 3,320 + 357 + 157 + 62 + 441 + 41 = 8,194
    # / Σ resolved 1,201 + 95 + 2,597 + 3,362 + 361 + 158 + 63 + 447 + 41 = 8,325
    # = 98.43%: above 98, yet not met because land, one field, is not.
    ("5.1", 2, ""): (Decimal("98.43"), "not_met"),
    # 5.1 land, year: (1,012 + 1,148 + 798 + 1,212) / (1,040 + 1,201 + 812 + 1,236)
    # = 4,170 / 4,289 = 97.23% >= 96.
    ("5.1", 0, "land"): (Decimal("97.23"), "met"),
    # 5.1 whole, year: on time 7,428 + 8,194 + 5,639 + 8,561 = 29,822
    # / resolved 7,529 + 8,325 + 5,711 + 8,671 = 30,236 = 98.63%; every field meets.
    ("5.1", 0, ""): (Decimal("98.63"), "met"),
    # 4.1, year: satisfied 1,144 + 1,303 + 744 + 1,367 = 4,558
    # / responses 1,235 + 1,401 + 796 + 1,465 = 4,897 = 93.08% >= 91.
    ("4.1", 0, ""): (Decimal("93.08"), "met"),
    # 4.2: 2021 online 2,535 + 2,944 + 3,635 + 3,307 = 12,421
    #      / received 7,606 + 8,403 + 5,658 + 8,737 = 30,404 = 40.853%;
    #      2020 online 2,588 + 2,783 + 2,821 + 3,119 = 11,311
    #      / received 7,845 + 8,184 + 8,016 + 8,611 = 32,656 = 34.637%;
    #      40.853 - 34.637 = +6.22 points >= 3.
    ("4.2", 0, ""): (Decimal("6.22"), "met"),
    # 4.3: eligible procedures at Q4 2021, 16+25+30+17+10+8+20+7 = 133, against Q4 2020,
    # 15+23+28+16+10+8+19+7 = 126: 133 / 126 - 1 = +5.56% >= 5.
    ("4.3", 0, ""): (Decimal("5.56"), "met"),
    # 3.1: ccttbvtv (twice), ccts, cckl, ttkn, sonn-vp: 5 of 16 divisions and affiliated
    # units = 31.25% >= 30.
    ("3.1", 0, ""): (Decimal("31.25"), "met"),
    # 3.2, Q3 (lockdown): ccttbvtv, sonn-vp, ccqlcl, cccntty = 4 units < 5.
    ("3.2", 3, ""): (Decimal("4.00"), "not_met"),
    # 3.2, Q4: 6 records naming cctl (twice), sonn-qlxd, bqlnncnc, ccttbvtv, ccts = 5 units.
    ("3.2", 4, ""): (Decimal("5.00"), "met"),
    # 4.5 (tracked): receiving desks with e-payment in Q4, all but cckl: 7 / 8 = 87.50%.
    ("4.5", 0, ""): (Decimal("87.50"), "tracked"),
    # 4.6: every division and affiliated unit but sonn-qlxd has an initiative: 15 / 16.
    ("4.6", 0, ""): (Decimal("93.75"), "not_met"),
    # 9.2: a communication product in each of the 17 units, the department included.
    ("9.2", 0, ""): (Decimal("100.00"), "met"),
    # 6.1, Q3: the 8 receiving desks all surveyed: 8 / 8.
    ("6.1", 3, ""): (Decimal("100.00"), "met"),
    # 7.1, Q3: on time 27 + 63 + 7 = 97 / due 27 + 63 + 7 = 97; portal 1022 alone 63 / 63.
    ("7.1", 3, ""): (Decimal("100.00"), "met"),
    ("7.1", 3, "portal_1022"): (Decimal("100.00"), "met"),
    # 8.1 (tracked), Q3: signed 1,637 (sonn) + 735 (divisions: 271+127+171+76+90)
    # + 955 (Chi cục: 211+222+104+81+107+77+153) + 257 (centres, school, board:
    # 68+49+56+84) = 3,584 / issued 1,760 + 805 (295+138+186+84+102)
    # + 1,085 (240+252+118+96+121+88+170) + 304 (80+58+70+96) = 3,954 = 90.64%.
    ("8.1", 3, ""): (Decimal("90.64"), "tracked"),
    # 1.1: 10 of 10 plan tasks done on or before 31/10/2021.
    ("1.1", 0, ""): (Decimal("100.00"), "met"),
    # 2.1: done 27/08/2021 with Tờ trình 4125/TTr-SNN: 100.
    ("2.1", 0, ""): (Decimal("100.00"), "met"),
    # 8.2: done 18/01/2022, after the deadline of 31/12/2021: 0, not met.
    ("8.2", 0, ""): (Decimal("0.00"), "not_met"),
}


def test_as_of_mid_year_judges_open_periods_at_risk_not_failed():
    demo_load(as_of=dt.date(2021, 8, 15))

    statuses = _department_statuses()

    # Q3 is still open on 15 August: short of 5 units is at risk, not yet a failure.
    assert statuses[("3.2", 3, "")][1] == "at_risk"
    # Q4 has not begun.
    assert statuses[("3.2", 4, "")] == (None, "no_data")
    # Q2 has closed: land's 95.59% is a failure.
    assert statuses[("5.1", 2, "land")] == (Decimal("95.59"), "not_met")


def _stored() -> dict:
    return {
        "units": Unit.objects.count(),
        "figures": sorted(
            Figure.objects.values_list(
                "year", "quarter", "unit__code", "element__code", "category__code", "value"
            ),
            key=str,
        ),
        "evidence": sorted(
            Evidence.objects.values_list("date", "unit__code", "kind", "reference", "title"),
            key=str,
        ),
        "plan_tasks": PlanTask.objects.count(),
        "milestones": sorted(Milestone.objects.values_list("indicator__code", "done_on")),
        "users": get_user_model().objects.count(),
        "memberships": sorted(Membership.objects.values_list("user__username", "unit__code")),
        "statuses": sorted(
            Status.objects.values_list(
                "indicator__code", "unit__code", "category", "quarter", "value", "status"
            ),
            key=str,
        ),
    }


def test_loading_twice_writes_the_same_data():
    first = demo_load(as_of=AFTER_2021)
    stored = _stored()

    second = demo_load(as_of=AFTER_2021)

    # DARD: 2020: 9 desk-fields x 2 elements x 4 quarters + 8 desks x 4 = 104; 2021:
    # dossiers 9 x 4 x 4 = 144, procedures 32, survey 8 x 3 x 4 = 96, e-payment 9 x 4 =
    # 36, website 17 x 4 = 68, feedback 3 x 4 x 4 = 48, documents 17 x 2 x 4 = 136 ->
    # 664. STNMT, 2021: dossiers 6 desk-fields x 4 x 4 = 96, survey 3 x 3 x 4 = 36 -> 132.
    # Evidence (DARD's): 6 periodic + 21 surprise + 4 dialogues + 16 initiatives + 17
    # products. 2022, the current year as of 31/03/2022, is prepared too: no quarter has
    # ended, so it holds only DARD's 10 plan tasks, none done yet (2021 its baseline).
    # Milestones: DARD's 3, STNMT's 8.4.
    assert first == {
        "units": 17 + 7,
        "figures": 664 + 132,
        "evidence": 64,
        "plan_tasks": 10 + 10,
        "milestones": 3 + 1,
        "statuses": first["statuses"],
    }
    assert first["statuses"] == Status.objects.count() > 0
    assert second == first
    assert _stored() == stored


def test_the_current_year_is_prepared_with_the_quarters_that_have_ended():
    """On 27/11/2026 the demo holds 2026 as a year in progress: the 2021 targets copied,
    the 2020 figures as 2025 (the baseline), the 2021 figures of Q1 to Q3 as 2026's,
    Q3's reports not yet approved (DOMAIN.md, "Official figures")."""
    as_of = dt.date(2026, 11, 27)
    first = demo_load(as_of=as_of)
    stored = _stored()

    assert demo_load(as_of=as_of) == first
    assert _stored() == stored
    dard = {"indicator__sheet__department__code": "sonn"}
    assert Target.objects.filter(year=2026, **dard).count() == 21
    assert Target.objects.get(year=2026, indicator__code="4.2").baseline_year == 2025
    # 2025: the 104 figures of 2020; 2026: quarters of the 664 - 104 = 560 of 2021, Q3
    # without the units that have not opened their report (STNMT's apart).
    figures = Figure.objects.exclude(unit__code__startswith="stnmt")
    assert figures.filter(year=2025).count() == 104
    assert figures.filter(year=2026, quarter__lte=2).count() == 2 * 560 // 4
    assert 0 < figures.filter(year=2026, quarter=3).count() < 560 // 4
    # Plan tasks done by 30/09: KH-01 to KH-07; KH-08 to KH-10 were done in October.
    assert PlanTask.objects.filter(year=2026, done_on__isnull=False).count() == 7
    official = _statuses_2026(Status.objects)
    typed = _statuses_2026(Status.every.filter(provisional=True))
    # Closed quarters are judged as in 2021: land's Q2, the Q3 surprise inspections, and
    # the year of 3.2 (judged by quarter) fails with Q3.
    assert official[("5.1", 2, "land")] == (Decimal("95.59"), "not_met")
    assert official[("3.2", 3, "")] == (Decimal("4.00"), "not_met")
    assert official[("3.2", 0, "")] == (Decimal("4.00"), "not_met")
    # Q3's reports wait for the director: its figures are provisional, not official.
    assert official[("5.1", 3, "")] == (None, "no_data")
    assert typed[("5.1", 3, "")] == (Decimal("98.90"), "met")
    # 4.2, year to date, officially Q1 and Q2 only; with Q3 as typed, +5.10 points.
    assert official[("4.2", 0, "")] == (Decimal("-0.41"), "at_risk")
    assert typed[("4.2", 0, "")] == (Decimal("5.10"), "met")
    # 4.3 reads its last quarter: Q2's officially, Q3's as typed; at risk either way
    # while the year is open.
    assert official[("4.3", 0, "")][1] == typed[("4.3", 0, "")][1] == "at_risk"
    assert typed[("4.3", 0, "")][0] == Decimal("3.97")
    # 2.2 is done on 10/12 in the story: not yet, and the deadline has not passed.
    assert official[("2.2", 0, "")] == (Decimal("0.00"), "at_risk")
    # Q4 is under way: no dialogue yet this quarter.
    assert official[("5.2", 4, "")] == (Decimal("0.00"), "at_risk")


def _statuses_2026(statuses) -> dict:
    return {
        (s.indicator.code, s.quarter, s.category): (
            None if s.value is None else s.value.quantize(Decimal("0.01"), ROUND_HALF_UP),
            s.status,
        )
        for s in statuses.filter(unit__code="sonn", year=2026).select_related("indicator")
    }


def test_a_second_load_resets_the_demo_passwords(client):
    demo_load(as_of=AFTER_2021)
    staff = get_user_model().objects.get(username="demo-staff")
    staff.set_password("changed")
    staff.save()

    demo_load(as_of=AFTER_2021)

    assert client.login(username="demo-staff", password="demo")


def test_load_demo_command_prints_the_logins(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("load_demo", stdout=out)

    text = out.getvalue()
    for username in USERNAMES:
        assert f"{username} / demo" in text
    assert "http://127.0.0.1:8000/" in text
    assert Unit.objects.filter(code__startswith="sonn").count() == 6


def test_load_demo_command_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")

    assert not Unit.objects.exists()
    assert not get_user_model().objects.filter(username__in=USERNAMES).exists()


def test_demo_reports_are_approved_with_late_ones_in_the_lockdown_quarter(db):
    from commitments import access, selectors

    demo_load(as_of=dt.date(2022, 8, 20))  # 2022: Q1 ended long ago, Q2 under way
    reports = QuarterlyReport.objects.exclude(unit__code__startswith="stnmt").filter(year=2021)
    assert reports.count() == 16 * 4
    assert set(reports.values_list("state", flat=True)) == {"approved"}
    dard = access.user_scope(user=get_user_model().objects.get(username="demo-director"))
    q3 = selectors.completeness.report_completeness(
        scope=dard, year=2021, quarter=3, today=dt.date(2022, 8, 20)
    )
    q2 = selectors.completeness.report_completeness(
        scope=dard, year=2021, quarter=2, today=dt.date(2022, 8, 20)
    )
    assert q2.expected == q2.submitted == q2.on_time == 16
    assert q3.submitted == 16 and q3.on_time == 12
    current = dict(
        QuarterlyReport.objects.exclude(unit__code__startswith="stnmt")
        .filter(year=2022, quarter=2)
        .values_list("unit__code", "state")
    )
    assert current["sonn-vp"] == "returned"
    assert "submitted" in current.values() and len(current) < 16
    assert set(
        QuarterlyReport.objects.filter(year=2022, quarter=1).values_list("state", flat=True)
    ) == {"approved"}


def test_the_current_years_sheet_reads_its_own_year_and_waits_for_one_review():
    """The demo department signs DARD's sheets; 2026's, copied from 2021, speaks of 2026
    and of 2025 as its baseline, and only commitment 4 waits for review: its definition
    of the procedures online changed in 2022 (Decree 42/2022)."""
    demo_load(as_of=dt.date(2026, 11, 27))
    assert sorted(Sheet.objects.values_list("year", "department__code")) == [
        (2021, "sonn"),
        (2021, "stnmt"),
        (2026, "sonn"),
        (2026, "stnmt"),
    ]
    sheets = {s.year: s for s in Sheet.objects.filter(department__code="sonn")}
    first = sheets[2026].commitments.get(code="1")
    assert "năm 2026" in first.name_vi and "01/11/2026" in first.name_vi
    assert "2021" not in first.name_vi
    online = Indicator.objects.get(sheet=sheets[2026], code="4.2")
    assert online.name_vi.endswith("so với năm 2025")
    assert Target.objects.get(indicator=online).wording == "tăng 3% so với năm 2025"
    waiting = sheets[2026].commitments.filter(to_review=True)
    assert [c.code for c in waiting] == ["4"]
    procedures = Indicator.objects.get(sheet=sheets[2026], code="4.3")
    assert procedures.version.valid_from == 2022
    assert (
        Status.objects.filter(indicator=procedures).exclude(version=procedures.version).count() == 0
    )


# --- the second department: Sở Tài nguyên và Môi trường (commitments/demo_stnmt.py) -----


def _stnmt_statuses(year: int = 2021, statuses=None) -> dict:
    statuses = Status.objects if statuses is None else statuses
    return {
        (s.indicator.code, s.quarter, s.category): (
            None if s.value is None else s.value.quantize(Decimal("0.01"), ROUND_HALF_UP),
            s.status,
        )
        for s in statuses.filter(unit__code="stnmt", year=year).select_related("indicator")
    }


# (indicator, quarter (0 = the year), category): (value, status), from demo_stnmt's tables.
STNMT_EXPECTED = {
    # 4.1, year: satisfied 426 + 239 + 160 = 825 / responses 465 + 259 + 175 = 899.
    ("4.1", 0, ""): (Decimal("91.77"), "met"),
    # 5.1 land, Q3: (3,215 + 270) / (3,410 + 281) = 3,485 / 3,691 = 94.42% < 95.
    ("5.1", 3, "land"): (Decimal("94.42"), "not_met"),
    # 5.1 whole, Q3: on time 3,215 + 509 + 418 = 4,142 / resolved 3,410 + 524 + 425 =
    # 4,359 = 95.02%, and land fails.
    ("5.1", 3, ""): (Decimal("95.02"), "not_met"),
    # 5.1 land, year: 21,275 / 21,927 = 97.03% >= 95 (the department's own threshold).
    ("5.1", 0, "land"): (Decimal("97.03"), "met"),
    # 5.1 minerals, Q2: 36 / 37 = 97.30% >= 97.
    ("5.1", 2, "minerals"): (Decimal("97.30"), "met"),
    # 8.3, year: online 9,651 / received 25,659 = 37.61% < 40; Q3 2,265 / 4,149 = 54.59%.
    ("8.3", 0, ""): (Decimal("37.61"), "not_met"),
    ("8.3", 3, ""): (Decimal("54.59"), "met"),
    # 6.1: the three desks surveyed every quarter.
    ("6.1", 0, ""): (Decimal("100.00"), "met"),
    # 8.4: done on 22/11/2021 with its report, before 30/11/2021.
    ("8.4", 0, ""): (Decimal("100.00"), "met"),
}


def test_the_second_departments_current_year_is_in_progress():
    demo_load(as_of=dt.date(2026, 11, 27))

    official = _stnmt_statuses(2026)
    typed = _stnmt_statuses(2026, Status.every.filter(provisional=True))
    # The year is open and the online share short of 40% so far: at risk, not failed.
    assert official[("8.3", 0, "")][1] == "at_risk"
    # The Land Registration Office's Q3 report waits for the director: officially Q3
    # meets land's 95% without it, as typed it does not (94.42%).
    assert official[("5.1", 3, "land")][1] == "met"
    assert typed[("5.1", 3, "land")] == (Decimal("94.42"), "not_met")
    assert official[("8.4", 0, "")] == (Decimal("100.00"), "met")  # done on 22/11
    waiting = QuarterlyReport.objects.get(unit__code="stnmt-vpdkdd", year=2026, quarter=3)
    assert waiting.state == "submitted"
    sheet = Sheet.objects.get(department__code="stnmt", year=2026)
    assert not sheet.commitments.filter(to_review=True).exists()
    assert "01/12/2026" in sheet.commitments.get(code="8").name_vi


def test_load_demo_prints_the_second_directors_login(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert "demo-director-2 / demo" in out.getvalue()
    director = Membership.objects.get(user__username="demo-director-2")
    assert (director.unit.code, director.role, director.unit.parent) == ("stnmt", "director", None)
