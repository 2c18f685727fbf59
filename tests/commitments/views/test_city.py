"""The city view (``/city/``): every department's sheet of a year side by side for the
city's coordinating office; who reads it and what a department's director reads
instead; how the departments are ranked and their shared indicators compared; the
drill into a department's dashboard; the provisional view; English; the query
budget."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commitments import engine, services
from commitments.models import Category, DataElement, Figure, QuarterlyReport, Unit
from tests import factories
from tests.commitments.shortcuts import HEALTH, two_departments

PERIOD = {"year": 2021, "quarter": 1}
CITY = reverse("commitments:city")


@pytest.fixture
def city(catalogue):
    """Two departments that signed different sheets of 2021, a director of each
    (``shortcuts.two_departments``)."""
    world = two_departments()
    return {
        **world,
        "dard_director": factories.director("giamdoc-snn", world["dard"]),
        "health_director": factories.director("giamdoc-syt", world["health"]),
    }


def _row(response, code: str):
    return next(r for r in response.context["rows"] if r.department.code == code)


def _shared(response, code: str, label: str):
    """A department's cell of the shared definition whose column reads ``label``."""
    labels = [c.label for c in response.context["columns"]]
    row = next(r for r in response.context["compared"] if r.department.code == code)
    return row.shared[labels.index(label)]


# --- what the page shows ---------------------------------------------------------------


def test_each_department_shows_its_own_commitments_ranked_worst_first(client, city):
    client.force_login(factories.city_office())
    response = client.get(CITY, PERIOD)
    assert response.status_code == 200
    rows = response.context["rows"]
    # DARD: 3 of 9 not met (3, 4 and 5), a third; Health: 2 of 8 (3 and 5), a quarter.
    assert [(r.rank, r.department.code) for r in rows] == [(1, "sonn"), (2, "soyt")]
    dard, health = rows
    assert [c.commitment.code for c in dard.cells] == [str(n) for n in range(1, 10)]
    assert [c.commitment.code for c in health.cells] == [str(n) for n in range(1, 9)]
    assert dict(dard.counts) == {"met": 0, "at_risk": 0, "not_met": 3, "unjudged": 6}
    assert dict(health.counts) == {"met": 1, "at_risk": 0, "not_met": 2, "unjudged": 5}
    statuses = {c.commitment.code: c.status for c in health.cells}
    # 4 met on its own 60%; 1 and 2 are judged on the year only, not in a quarter.
    assert (statuses["4"], statuses["5"], statuses["1"]) == (engine.MET, engine.NOT_MET, "")
    html = response.content.decode()
    # Each cell: colour and icon, the number as signed; its words on hover.
    assert '<li class="commit met"><a href="/?unit=soyt&amp;year=2021&amp;quarter=1#c4"' in html
    assert "4.1 Hài lòng: 70% (mục tiêu ≥ 60%) — Đạt" in html
    assert "Cam kết 5. Đúng hạn từng lĩnh vực, Đối thoại: Không đạt" in html
    assert "Sở có tỷ lệ cam kết không đạt cao nhất ở trên" in html
    assert f'href="/?unit=soyt&amp;year=2021&amp;quarter=1">{HEALTH}</a>' in html


def test_shared_definitions_are_compared_each_on_its_own_sheets_target(client, city):
    client.force_login(factories.city_office())
    response = client.get(CITY, PERIOD)
    dard, health = _shared(response, "sonn", "Hài lòng"), _shared(response, "soyt", "Hài lòng")
    assert (dard.status, dard.value, health.status, health.value) == (
        engine.NOT_MET,
        80,
        engine.MET,
        70,
    )
    assert "mục tiêu ≥ 91%" in dard.line and "mục tiêu ≥ 60%" in health.line
    on_time = _shared(response, "sonn", "Đúng hạn từng lĩnh vực")
    assert (on_time.status, on_time.value) == (engine.NOT_MET, 95.5)
    labels = [c.label for c in response.context["columns"]]
    # Judged on the year only: not a column of a quarter.
    assert "Nhiệm vụ kế hoạch đúng hạn" not in labels
    html = response.content.decode()
    assert 'href="/indicators/4.1/?year=2021&amp;quarter=1&amp;unit=soyt"' in html

    year = client.get(CITY, {"year": 2021})
    labels = [c.label for c in year.context["columns"]]
    assert "Nhiệm vụ kế hoạch đúng hạn" in labels
    # Only DARD's sheet uses the definitions of commitment 9: nothing to compare.
    assert "Chuyên mục CCHC" not in labels and "Sản phẩm tuyên truyền" not in labels


def test_the_departments_are_sorted_by_a_shared_indicator_worst_first(client, city):
    client.force_login(factories.city_office())
    ranked = client.get(CITY, PERIOD)
    dialogues = _shared(ranked, "soyt", "Đối thoại")
    assert dialogues.status == engine.NOT_MET
    code = next(c.definition.code for c in ranked.context["columns"] if c.label == "Đối thoại")
    response = client.get(CITY, {**PERIOD, "sort": code})
    # DARD held its dialogue, Health did not: Health first, the ranking unchanged.
    assert [r.department.code for r in response.context["compared"]] == ["soyt", "sonn"]
    assert [r.department.code for r in response.context["rows"]] == ["sonn", "soyt"]
    assert 'aria-sort="ascending"' in response.content.decode()


def test_the_page_in_english(client, city, settings):
    client.force_login(factories.city_office())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(CITY, PERIOD).content.decode()
    assert "City-wide: the departments' commitments 2021 · Quarter 1" in html
    assert "4.1 Satisfaction: 70% (target ≥ 60%) — Met" in html
    assert '<span class="short">On time, each field</span>' in html
    assert '<span class="v">95.50%</span>' in html
    assert "the largest share of commitments not met first" in html


# --- who reads it ------------------------------------------------------------------------


def test_only_the_city_office_and_superusers_see_the_city_view(client, city):
    holder = factories.user("permission-only", permissions=["view_city"])
    expected = {
        None: 302,
        factories.user("nobody"): 403,
        factories.staff("chuyenvien", Unit.objects.get(code="vp")): 403,
        city["dard_director"]: 403,
        factories.user("editor", permissions=["change_target"]): 403,
        holder: 200,
        factories.city_office(): 200,
        factories.superuser(): 200,
    }
    for user, status in expected.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(CITY, PERIOD)
        assert response.status_code == status, user
        if user is None:
            assert response["Location"].startswith(reverse("login"))
            continue
        # The navigation links the city view for those who may see it.
        nav = client.get(reverse("commitments:results")).content.decode()
        assert (f'href="{CITY}"' in nav) == (status == 200), user


def test_a_director_reads_the_own_department_and_nothing_of_another(client, city):
    for director, own, other, other_desk in (
        (city["dard_director"], "sonn", "soyt", "soyt-vp"),
        (city["health_director"], "soyt", "sonn", "vp"),
    ):
        client.force_login(director)
        page = client.get(reverse("commitments:dashboard"), {**PERIOD, "unit": own})
        assert page.status_code == 200
        assert [s["unit"].code for s in page.context["sections"]] == [own]
        for query in ({"unit": other}, {"unit": other_desk}, {"unit": "khong-co"}):
            response = client.get(reverse("commitments:dashboard"), {**PERIOD, **query})
            assert response.status_code == 404, (director, query)
        indicator = reverse("commitments:indicator", args=["4.1"])
        assert client.get(indicator, {**PERIOD, "unit": own}).status_code == 200
        assert client.get(indicator, {**PERIOD, "unit": other}).status_code == 404
        assert client.get(indicator, {**PERIOD, "unit": other_desk}).status_code == 404
        assert client.get(reverse("commitments:unit", args=[other_desk])).status_code == 404
        assert client.get(reverse("commitments:unit", args=[other])).status_code == 404
        report = reverse("commitments:quarterly_report", args=[other_desk, 2021, 1])
        assert client.get(report).status_code == 404
        other_sheet = city["health_sheet"] if other == "soyt" else None
        if other_sheet is not None:
            sheet = reverse("commitments:sheet", args=[other_sheet.pk])
            assert client.get(sheet).status_code == 404
        assert client.get(CITY, PERIOD).status_code == 403


def test_the_city_office_drills_into_a_department_and_reads_it_as_its_director(client, city):
    client.force_login(factories.city_office())
    page = client.get(reverse("commitments:dashboard"), {**PERIOD, "unit": "soyt"})
    assert page.status_code == 200
    assert [s["unit"].code for s in page.context["sections"]] == ["soyt"]
    assert len(page.context["sections"][0]["cards"]) == 8
    html = page.content.decode()
    assert f'<a href="{CITY}?year=2021&amp;quarter=1">Toàn thành phố</a> \u203a {HEALTH}' in html
    assert '<input type="hidden" name="unit" value="soyt">' in html  # the period form keeps it
    # The pages a department's dashboard leads to, each of that department.
    indicator = client.get(
        reverse("commitments:indicator", args=["4.1"]), {**PERIOD, "unit": "soyt"}
    )
    assert indicator.status_code == 200 and indicator.context["target"].threshold == 60
    unit_page = client.get(reverse("commitments:unit", args=["soyt-vp"]), PERIOD)
    assert unit_page.status_code == 200
    # A unit's indicators open on its department's sheet, named by the unit's code.
    link = "/indicators/4.1/?year=2021&amp;quarter=1&amp;unit=soyt-vp"
    assert f'href="{link}"' in unit_page.content.decode()
    from_unit = client.get(link.replace("&amp;", "&"))
    assert from_unit.context["target"].threshold == 60
    sheet = reverse("commitments:sheet", args=[city["health_sheet"].pk])
    assert client.get(sheet).status_code == 200
    matrix = client.get(reverse("commitments:matrix"), PERIOD)
    assert {r["unit"].code for r in matrix.context["rows"]} == {"sonn", "vp", "soyt", "soyt-vp"}
    everything = client.get(reverse("commitments:dashboard"), PERIOD)
    assert [s["unit"].code for s in everything.context["sections"]] == ["sonn", "soyt"]
    # It reads; it acts in no department: no report, review, completeness or publishing.
    assert not any(s["may_publish"] for s in everything.context["sections"])
    report = reverse("commitments:quarterly_report", args=["soyt-vp", 2021, 1])
    assert client.get(report).status_code == 404
    assert client.get(reverse("commitments:review")).status_code == 403
    assert client.get(reverse("commitments:completeness")).status_code == 403
    publish = reverse("commitments:results_publish")
    assert client.get(publish, {"unit": "soyt", **PERIOD}).status_code == 403
    assert client.get(reverse("surveys:overview"), {"year": 2021}).context["rows"] == []
    desk = reverse("surveys:desk_quarter", args=["soyt-vp", 2021, 1])
    assert client.get(desk).status_code == 404
    assert unit_page.context["report_url"] == ""


def test_the_provisional_view_is_marked_as_on_the_dashboard(client, city):
    """Health's desk report of Q1 is a draft: its figures are not official yet."""
    factories.report(Unit.objects.get(code="soyt-vp"), state=QuarterlyReport.State.DRAFT)
    services.recompute.statuses_recompute(year=2021)
    client.force_login(factories.city_office())
    official = client.get(CITY, PERIOD)
    assert _shared(official, "soyt", "Đúng hạn từng lĩnh vực").status == engine.NO_DATA
    # Satisfaction is counted from the citizens' answers: official on arrival.
    assert _shared(official, "soyt", "Hài lòng").status == engine.MET
    assert "tạm tính" not in official.content.decode()
    provisional = client.get(CITY, {**PERIOD, "provisional": "1"})
    cell = _shared(provisional, "soyt", "Đúng hạn từng lĩnh vực")
    assert (cell.status, cell.value, cell.row.differs) == (engine.MET, 100, True)
    assert _row(provisional, "soyt").differs and not _row(provisional, "sonn").differs
    html = provisional.content.decode()
    # DARD's desk has no report (its figures are official), Health's is a draft: 0/2.
    assert "0/2 báo cáo quý đã được duyệt (Quý 1/2021)" in html
    assert '<li class="commit not_met differs">' in html  # 5: 5.1 provisional, 5.2 failed
    assert 'href="/?unit=soyt&amp;year=2021&amp;quarter=1&amp;provisional=1"' in html


# --- the query budget ----------------------------------------------------------------------


def _departments(count: int) -> None:
    """``count`` departments more on the common sheet, each with a desk and a quarter of
    land and satisfaction figures."""
    departments = Unit.objects.bulk_create(
        Unit(code=f"so-{n}", name=f"Sở {n}", kind="department") for n in range(count)
    )
    desks = Unit.objects.bulk_create(
        Unit(code=f"so-{n}-vp", name=f"Bộ phận một cửa {n}", parent=department,
             kind="division", receives_dossiers=True)
        for n, department in enumerate(departments)
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


# Session, user, permissions (2) and the navigation's count of reports to review: 5;
# then the period, the sheets and departments, their commitments, indicators and
# statuses, the category names: 7; in the provisional view, every unit's approvals: 1.
CITY_BUDGET = {"official": 12, "provisional": 13}


@pytest.mark.parametrize("basis", ["official", "provisional"])
@pytest.mark.parametrize("more", [0, 38])
def test_query_budget_does_not_grow_with_departments(
    client, city, django_assert_max_num_queries, more, basis
):
    _departments(more)
    query = dict(PERIOD)
    if basis == "provisional":
        factories.report(Unit.objects.get(code="soyt-vp"), state=QuarterlyReport.State.DRAFT)
        query["provisional"] = "1"
    services.recompute.statuses_recompute(year=2021)
    client.force_login(factories.city_office())
    with django_assert_max_num_queries(CITY_BUDGET[basis]):
        response = client.get(CITY, query)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2 + more
    assert all(len(r.cells) in (8, 9) for r in response.context["rows"])
