"""The demo as of 31 March 2022, every period of 2021 closed: the statuses worked out
by hand from the tables of ``commitments/demo.py`` and ``demo_stnmt.py``, the logins and
who sees what. The demo is loaded once for the module (``demo_after_2021``); what a
test writes (a log-in) is undone before the next. How the demo loads, again and at other
dates, is in test_demo.py."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from commitments.models import Indicator, Membership, Sheet, Status
from tests.commitments.test_demo import (
    EXPECTED,
    STNMT_EXPECTED,
    USERNAMES,
    _department_statuses,
    _stnmt_statuses,
)


@pytest.fixture
def demo(demo_after_2021, db):
    """The demo, loaded once for the module: every test of the module reads it."""


def test_department_2021_statuses_match_values_worked_out_by_hand(demo):
    actual = _department_statuses()

    assert {key: actual.get(key) for key in EXPECTED} == EXPECTED


def test_only_the_intended_department_rows_fall_short(demo):
    short = sorted(
        key for key, (_, status) in _department_statuses().items() if status == "not_met"
    )

    assert short == [
        ("3.2", 0, ""),  # its year: Q3 failed
        ("3.2", 3, ""),
        ("4.6", 0, ""),
        ("5.1", 2, ""),
        ("5.1", 2, "land"),
        ("8.2", 0, ""),
    ]


def test_the_three_demo_users_log_in_with_demo(demo, client):
    for username in USERNAMES:
        assert client.login(username=username, password="demo"), username
        client.logout()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    assert users["demo-admin"].is_superuser and users["demo-admin"].is_staff
    assert not users["demo-director"].is_superuser
    director = Membership.objects.get(user=users["demo-director"])
    assert (director.unit.code, director.role) == ("sonn", "director")
    assert director.unit.parent is None
    staff = Membership.objects.get(user=users["demo-staff"])
    assert staff.role == "staff"
    assert staff.unit.receives_dossiers


def test_the_second_department_signs_the_sheet_of_its_sample_file(demo):
    from commitments import selectors, sheet_file
    from commitments.demo_stnmt import SHEET_FILE

    sheet = Sheet.objects.get(department__code="stnmt", year=2021)
    written = sheet_file.sheet_rows(selectors.sheets.sheet_contents(sheet=sheet))
    with SHEET_FILE.open(encoding="utf-8") as handle:
        given = [row for row in csv.DictReader(handle) if row["type"] != "definition"]
    assert written == [{column: row[column] for column in sheet_file.COLUMNS} for row in given]
    # It shares DARD's definitions where it says so: the same versions.
    shared = {
        code: Indicator.objects.get(sheet__department__code="sonn", sheet__year=2021, code=code)
        for code in ("4.1", "5.1", "6.1")
    }
    for code, dards in shared.items():
        assert Indicator.objects.get(sheet=sheet, code=code).version_id == dards.version_id
    assert not sheet.commitments.filter(to_review=True).exists()


def test_the_second_departments_2021_statuses_match_values_worked_out_by_hand(demo):
    actual = _stnmt_statuses()

    assert {key: actual.get(key) for key in STNMT_EXPECTED} == STNMT_EXPECTED
    assert sorted(key for key, (_, status) in actual.items() if status == "not_met") == [
        ("5.1", 3, ""),
        ("5.1", 3, "land"),
        ("8.3", 0, ""),
        ("8.3", 1, ""),
        ("8.3", 2, ""),
        ("8.3", 4, ""),
    ]
    # A drill-down example: one desk misses 90% in Q1 (41 / 46 = 89.13%).
    desk = Status.objects.get(
        unit__code="stnmt-ccbvmt", indicator__code="4.1", year=2021, quarter=1, category=""
    )
    assert (desk.value.quantize(Decimal("0.01")), desk.target, desk.status) == (
        Decimal("89.13"),
        Decimal(90),
        "not_met",
    )


def test_each_director_sees_the_own_department_and_not_the_other(demo, client):
    from django.urls import reverse

    sheets = {s.department.code: s for s in Sheet.objects.filter(year=2021)}
    pages = {
        "sonn": [
            reverse("commitments:unit", args=["sonn-vp"]),
            reverse("commitments:sheet", args=[sheets["sonn"].pk]),
            reverse("commitments:quarterly_report", args=["sonn-vp", 2021, 2]),
            reverse("surveys:desk_quarter", args=["sonn-vp", 2021, 2]),
        ],
        "stnmt": [
            reverse("commitments:unit", args=["stnmt-vpdkdd"]),
            reverse("commitments:sheet", args=[sheets["stnmt"].pk]),
            reverse("commitments:quarterly_report", args=["stnmt-vpdkdd", 2021, 3]),
            reverse("surveys:desk_quarter", args=["stnmt-vpdkdd", 2021, 3]),
        ],
    }
    for username, own, other in (
        ("demo-director", "sonn", "stnmt"),
        ("demo-director-2", "stnmt", "sonn"),
    ):
        assert client.login(username=username, password="demo")
        for url in pages[own]:
            assert client.get(url).status_code == 200, (username, url)
        for url in pages[other]:
            assert client.get(url).status_code == 404, (username, url)
        dashboard = client.get(reverse("commitments:dashboard"), {"year": 2021})
        assert [s["unit"].code for s in dashboard.context["sections"]] == [own]
        client.logout()


def test_the_demo_city_office_reads_both_departments_and_acts_nowhere(demo, client):
    """demo-city holds view_city through a group and belongs to no unit: the city view
    ranks both demo departments, each department's dashboard opens, and it reviews no
    report."""
    from django.urls import reverse

    assert client.login(username="demo-city", password="demo")
    city = client.get(reverse("commitments:city"), {"year": 2021})
    assert city.status_code == 200
    assert sorted(r.department.code for r in city.context["rows"]) == ["sonn", "stnmt"]
    for code in ("sonn", "stnmt"):
        dashboard = client.get(reverse("commitments:dashboard"), {"year": 2021, "unit": code})
        assert dashboard.status_code == 200, code
    assert not Membership.objects.filter(user__username="demo-city").exists()
    assert client.get(reverse("commitments:review")).status_code == 403
