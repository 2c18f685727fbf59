"""The dashboard and the pages it leads to: the indicator, the matrix of units and the
unit page, with values, targets, statuses and gaps; the language; the recompute button;
and their query budgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from commitments import engine, services
from commitments.demo import demo_load
from commitments.models import Category, DataElement, Figure, PlanTask, Status, Unit
from commitments.views.paging import PER_PAGE
from commitments.views.units import MATRIX_PER_PAGE
from tests import factories


@pytest.fixture
def department(catalogue):
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True)
    factories.figure(desk, "dossiers_resolved", 1000, category="land")
    factories.figure(desk, "dossiers_on_time", 955, category="land")
    factories.figure(desk, "dossiers_resolved", 500, category="crop")
    factories.figure(desk, "dossiers_on_time", 495, category="crop")
    services.recompute.statuses_recompute(year=2021)
    return department


@pytest.fixture
def user(db):
    return factories.user("chuyenvien")


@pytest.fixture
def director(department):
    """The department's director: sees the department and every unit below it."""
    return factories.director("giamdoc", department)


def test_dashboard_requires_login(client, db):
    response = client.get(reverse("commitments:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _readings(response):
    return {
        reading.indicator.code: reading
        for card in response.context["sections"][0]["cards"]
        for reading in card.indicators
    }


def test_dashboard_shows_each_commitment_with_value_target_and_status(client, director, department):
    client.force_login(director)
    response = client.get(reverse("commitments:dashboard"), {"year": 2021, "quarter": 1})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực" in html
    # land: 955 / 1000 = 95.50% against its own 96: not met; crop 99% meets 98.
    assert "95,50%" in html
    assert "Không đạt" in html
    reading = _readings(response)["5.1"]
    assert reading.status == "not_met"
    assert {c.category: c.status for c in reading.categories} == {
        "land": "not_met",
        "crop": "met",
    }
    cards = {card.commitment.code: card for card in response.context["sections"][0]["cards"]}
    assert cards["5"].status == "not_met"


def test_gap_to_target_is_said_in_dossiers(client, director, department):
    client.force_login(director)
    response = client.get(reverse("commitments:dashboard"), {"year": 2021, "quarter": 1})
    # 96% of 1,000 is 960 on time; 955 were: 5 short.
    assert _readings(response)["5.1"].gap == (
        "Đất đai: thiếu 5 hồ sơ giải quyết đúng hạn so với mục tiêu trong quý."
    )
    assert "thiếu 5 hồ sơ giải quyết đúng hạn" in response.content.decode()


def test_change_on_the_previous_quarter(client, director, department):
    desk = department.children.get(code="vp")
    factories.figure(desk, "dossiers_resolved", 1000, category="land", quarter=2)
    factories.figure(desk, "dossiers_on_time", 970, category="land", quarter=2)
    services.recompute.statuses_recompute(year=2021)
    client.force_login(director)
    response = client.get(reverse("commitments:dashboard"), {"year": 2021, "quarter": 2})
    reading = _readings(response)["5.1"]
    assert reading.row.value == 97
    # Q1: 1,450 / 1,500 = 96.67%; Q2: 97%: up 0.33 points.
    assert round(reading.change, 2) == Decimal("0.33")
    assert reading.trend[0] is not None and reading.trend[1] == 97


def test_dashboard_in_english_once_the_user_chooses_it(client, director, department, settings):
    client.force_login(director)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("commitments:dashboard"), {"year": 2021, "quarter": 1})
    html = response.content.decode()
    assert "Dossiers resolved on time, in each field" in html
    assert "95.50%" in html
    assert "≥ 96%" in html


def test_vietnamese_first_whatever_the_browser_prefers(client, director, department):
    client.force_login(director)
    response = client.get(
        reverse("commitments:dashboard"), {"year": 2021, "quarter": 1}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực" in html
    assert "95,50%" in html


def test_red_commitment_card_names_the_failing_field(client, director, department):
    client.force_login(director)
    html = client.get(
        reverse("commitments:dashboard"), {"year": 2021, "quarter": 1}
    ).content.decode()
    card = html.split('<a href="#c5" class="cardlink">')[1].split('<li class="card')[0]
    assert '<span class="badge not_met">' in card
    assert "Đất đai: thiếu 5" in card


def test_unknown_period_falls_back_to_the_year_to_date(client, director, department):
    client.force_login(director)
    response = client.get(reverse("commitments:dashboard"), {"year": "abc", "quarter": "9"})
    assert response.status_code == 200
    assert response.context["year"] == 2021
    assert response.context["quarter"] == 0


def _many_desks(units: int) -> Unit:
    """A department with ``units`` receiving desks, each with a quarter of figures."""
    department = factories.department()
    desks = Unit.objects.bulk_create(
        Unit(code=f"desk-{n}", name=f"Bộ phận {n}", parent=department,
             kind="affiliated_unit", receives_dossiers=True)
        for n in range(units)
    )  # fmt: skip
    elements = {e.code: e for e in DataElement.objects.all()}
    land = Category.objects.get(code="land")
    Figure.objects.bulk_create(
        Figure(year=2021, quarter=1, unit=desk, element=elements[code], category=category,
               value=value)
        for desk in desks
        for code, category, value in (
            ("survey_responses", None, 100), ("survey_satisfied", None, 90),
            ("dossiers_resolved", land, 100), ("dossiers_on_time", land, 95),
        )
    )  # fmt: skip
    services.recompute.statuses_recompute(year=2021)
    return department


# Session, user and permissions (4), then the page's own reads: a superuser's. Any
# other user also costs the menu's check for the completeness link (1), a director's
# scope (their memberships with the units below them: 1), and in the provisional view
# the approved reports among the units they see, counted apart from the names a page
# shows (1).
MORE_QUERIES = {"superuser": 0, "director": 1 + 2}
PAGES = [
    ("dashboard", {"year": 2021}, 10),
    # A first quarter also reads the last of the year before: its rows, then their
    # indicators (each read once rather than with every row).
    ("dashboard", {"year": 2021, "quarter": 1}, 11),
    ("matrix", {"year": 2021, "quarter": 1}, 10),
    # The units' page is ranked and counted by the rows' ids, then read by id.
    ("indicator", {"year": 2021, "quarter": 1}, 12),
    ("unit", {"year": 2021, "quarter": 1}, 11),
]


@pytest.mark.parametrize("basis", ["official", "provisional"])
@pytest.mark.parametrize("units", [10, 500])
@pytest.mark.parametrize("role", ["superuser", "director"])
@pytest.mark.parametrize(("page", "query", "budget"), PAGES)
def test_query_budget_does_not_grow_with_units(
    client, catalogue, django_assert_max_num_queries, units, role, page,
    query, budget, basis,
):  # fmt: skip
    department = _many_desks(units)
    if basis == "provisional":
        # One desk's report waits for approval: the year has a provisional set to read.
        factories.report(Unit.objects.get(code="desk-1"), year=2021, quarter=1)
        services.recompute.statuses_recompute(year=2021)
        query = {**query, "provisional": "1"}
    if role == "superuser":
        user = factories.superuser(password="mat-khau-123")
    else:
        user = factories.director("giamdoc", department)
    client.force_login(user)
    args = {"indicator": ["5.1"], "unit": ["desk-1"]}.get(page, [])
    url = reverse(f"commitments:{page}", args=args)
    with django_assert_max_num_queries(budget + MORE_QUERIES[role]):
        response = client.get(url, query)
    assert response.status_code == 200
    # The page shows what the user sees: the department and its desks, a page of them
    # at a time, and counts them all.
    if page == "matrix":
        assert len(response.context["rows"]) == min(units, MATRIX_PER_PAGE) + 1
        assert response.context["page"].paginator.count == units
    if page == "indicator":
        assert len(response.context["unit_rows"]) == min(units, PER_PAGE)
        assert response.context["page"].paginator.count == units


def test_indicator_page_has_the_chart_data_and_units_worst_first(client, director, department):
    other = factories.unit("cc", parent=department, receives_dossiers=True)
    factories.figure(other, "dossiers_resolved", 100, category="crop")
    factories.figure(other, "dossiers_on_time", 90, category="crop")
    services.recompute.statuses_recompute(year=2021)
    client.force_login(director)
    response = client.get(
        reverse("commitments:indicator", args=["5.1"]), {"year": 2021, "quarter": 1}
    )
    assert response.status_code == 200
    chart = response.context["chart"]
    # Q1 whole: (955 + 495 + 90) / (1000 + 500 + 100) = 96.25%; no later quarters.
    assert chart["values"] == [96.25, None, None, None]
    assert chart["target"] == 98.0
    assert [s.unit.code for s in response.context["unit_rows"]] == ["cc", "vp"]
    html = response.content.decode()
    assert 'id="chart-data"' in html and "chart-4.6.1.umd.min.js" in html
    assert "955 / 1.000" in html  # the figures behind the land value


def test_indicator_page_without_a_target_that_year_is_404(client, director, department):
    client.force_login(director)
    assert client.get(reverse("commitments:indicator", args=["9.9"])).status_code == 404


def test_matrix_ranks_the_units_that_are_behind_first(client, director, department):
    good = factories.unit("good", parent=department, receives_dossiers=True)
    factories.figure(good, "dossiers_resolved", 100, category="crop")
    factories.figure(good, "dossiers_on_time", 100, category="crop")
    services.recompute.statuses_recompute(year=2021)
    client.force_login(director)
    response = client.get(reverse("commitments:matrix"), {"year": 2021, "quarter": 1})
    rows = response.context["rows"]
    codes = [r["unit"].code for r in rows]
    assert codes.index("vp") < codes.index("good")
    column = [c.code for c in response.context["columns"]].index("5.1")
    assert rows[codes.index("vp")]["cells"][column]["status"] == "not_met"
    assert rows[codes.index("good")]["cells"][column]["status"] == "met"
    # Sorted by one indicator: worst first there too, below the department.
    response = client.get(
        reverse("commitments:matrix"), {"year": 2021, "quarter": 1, "sort": "5.1"}
    )
    rows = response.context["rows"]
    assert [(r["unit"].code, r["top"]) for r in rows[:2]] == [("sonn", True), ("vp", False)]


def test_matrix_marks_units_missing_a_coverage_condition(client, director, department):
    surveyed = factories.unit("surveyed", parent=department, receives_dossiers=True)
    factories.figure(surveyed, "survey_responses", 10)
    services.recompute.statuses_recompute(year=2021)
    client.force_login(director)
    response = client.get(reverse("commitments:matrix"), {"year": 2021, "quarter": 1})
    column = [c.code for c in response.context["columns"]].index("6.1")
    vp = next(r for r in response.context["rows"] if r["unit"].code == "vp")
    # The desk reported no survey responses in Q1: it is among the units missing 6.1.
    assert vp["cells"][column]["status"] == "not_met"
    surveyed_row = next(r for r in response.context["rows"] if r["unit"].code == "surveyed")
    assert surveyed_row["cells"][column]["status"] == "met"


def test_recompute_now_is_for_admins(client, user, admin_client, department):
    client.force_login(user)
    assert client.post(reverse("commitments:recompute_now"), {"year": 2021}).status_code == 403
    response = admin_client.post(reverse("commitments:recompute_now"), {"year": 2021})
    assert response.status_code == 302
    assert (
        admin_client.post(reverse("commitments:recompute_now"), {"year": 1999}).status_code == 404
    )


def test_gap_of_plan_tasks_counts_the_tasks(client, catalogue):
    department = factories.department()
    user = factories.director("giamdoc", department)
    for n, done in enumerate([dt.date(2021, 9, 1), dt.date(2021, 11, 5), None]):
        PlanTask.objects.create(unit=department, year=2021, code=f"KH-{n}", title="Nhiệm vụ",
                                done_on=done)  # fmt: skip
    services.recompute.statuses_recompute(year=2021)
    client.force_login(user)
    response = client.get(reverse("commitments:dashboard"), {"year": 2021})
    # 1 of 3 done by 31 October: 2 tasks short of 100%.
    assert _readings(response)["1.1"].gap == ("Còn 2 nhiệm vụ kế hoạch chưa hoàn thành đúng hạn.")


def test_unit_page_shows_its_fields_and_the_conditions_it_misses(client, director, department):
    surveyed = factories.unit("surveyed", parent=department, receives_dossiers=True)
    factories.figure(surveyed, "survey_responses", 10)
    services.recompute.statuses_recompute(year=2021)
    client.force_login(director)
    response = client.get(reverse("commitments:unit", args=["vp"]), {"year": 2021, "quarter": 1})
    assert response.status_code == 200
    readings = {r.indicator.code: r for card in response.context["cards"] for r in card.shown}
    assert readings["5.1"].status == "not_met"
    assert readings["5.1"].gap.startswith("Đất đai: thiếu 5 hồ sơ")
    # Its indicators open on its department's sheet, named by the unit's own code.
    assert 'href="/indicators/5.1/?year=2021&amp;quarter=1&amp;unit=vp"' in (
        response.content.decode()
    )
    conditions = {row.indicator.code: state for row, state in response.context["conditions"]}
    assert conditions["6.1"] == "not_met"  # no survey responses this quarter
    other = client.get(reverse("commitments:unit", args=["surveyed"]), {"year": 2021, "quarter": 1})
    assert {r.indicator.code: s for r, s in other.context["conditions"]}["6.1"] == "met"


def test_unknown_unit_is_404(client, director, department):
    client.force_login(director)
    assert client.get(reverse("commitments:unit", args=["khong-co"])).status_code == 404


def test_a_commitment_judged_by_quarter_is_judged_on_its_quarters_in_the_year_view(
    client, director, department
):
    client.force_login(director)
    response = client.get(reverse("commitments:dashboard"), {"year": 2021})
    cards = {card.commitment.code: card for card in response.context["sections"][0]["cards"]}
    # 6.1 and 6.2 are judged quarter by quarter; their year rows are their worst quarters.
    assert {r.indicator.code for r in cards["6"].shown} == {"6.1", "6.2"}
    assert cards["6"].status == engine.overall_status(r.status for r in cards["6"].shown)
    assert cards["6"].status != ""
    card = response.content.decode().split('<a href="#c6" class="cardlink">')[1].split("</a>")[0]
    assert "Đánh giá theo quý" not in card


def test_the_year_view_names_the_quarters_that_failed(
    db, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo_load(as_of=dt.date(2022, 1, 15))
    client.force_login(get_user_model().objects.get(username="demo-director"))
    response = client.get(reverse("commitments:dashboard"), {"year": 2021, "quarter": 0})
    cards = {card.commitment.code: card for card in response.context["sections"][0]["cards"]}
    # Surprise inspections: Q3 inspected 4 units against 5 a quarter.
    assert cards["3"].status == engine.NOT_MET
    surprise = next(r for r in cards["3"].indicators if r.indicator.code == "3.2")
    assert surprise.status == engine.NOT_MET
    assert surprise.gap == "Không đạt ở quý 3: 4, mục tiêu ≥ 5."
    assert "Không đạt ở quý 3: 4, mục tiêu ≥ 5." in response.content.decode()


def test_growth_chart_draws_the_share_against_last_year_and_the_level_needed(
    client, director, department
):
    desk = department.children.get(code="vp")
    factories.figure(desk, "dossiers_received", 11000, category="land")
    factories.figure(desk, "dossiers_online", 6270, category="land")
    factories.figure(desk, "dossiers_received", 10000, category="land", year=2020)
    factories.figure(desk, "dossiers_online", 5400, category="land", year=2020)
    services.recompute.statuses_recompute(year=2021)
    client.force_login(director)
    chart = client.get(reverse("commitments:indicator", args=["4.2"]), {"year": 2021}).context[
        "chart"
    ]
    # 2021: 6,270 / 11,000 = 57%; 2020: 54%; "+3 points" asks for 57%.
    assert chart["year"] == pytest.approx(57.0)
    assert chart["baseline"] == pytest.approx(54.0)
    assert chart["target"] == pytest.approx(57.0)
    assert chart["values"] == [None, None, None, None]


def test_a_status_that_could_not_be_computed_says_why_on_the_indicator_page(
    client, director, department
):
    status = Status.objects.filter(indicator__code="5.1", year=2021, quarter=1).first()
    status.detail = {"error": "ZeroDivisionError: division by zero"}
    status.save(update_fields=["detail"])
    client.force_login(director)
    response = client.get(
        reverse("commitments:indicator", args=["5.1"]), {"year": 2021, "quarter": 1}
    )
    assert "Không tính được: ZeroDivisionError: division by zero" in response.content.decode()
