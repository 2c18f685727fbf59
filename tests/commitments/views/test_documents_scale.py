"""The quarterly report documents on a database without the demo: a year not computed,
the query budget as units grow, and the bound on the units a report lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Status
from tests import factories
from tests.commitments.shortcuts import AFTER_2021
from tests.commitments.views.test_documents import _section


@pytest.fixture
def director(client, admin):
    """A superuser's client: the documents hold every unit."""
    client.force_login(admin)
    return client


@pytest.mark.parametrize("name", ["report_xlsx", "report_csv", "report_print"])
def test_a_year_without_statuses_has_no_report(director, catalogue, name):
    # The 2021 targets are loaded, but nothing has been computed yet.
    assert director.get(reverse(f"commitments:{name}"), {"year": 2021}).status_code == 404


# The print: the session and the user, the year's state, the categories, the
# commitments, the top units (a superuser's), the rows behind ranked, the rows, their
# indicators, the names of the units missed.
@pytest.mark.parametrize("units", [10, 100])
@pytest.mark.parametrize(
    ("name", "budget"), [("report_xlsx", 7), ("report_csv", 5), ("report_print", 10)]
)
def test_report_query_budget_does_not_grow_with_units(
    client, admin, catalogue, django_assert_max_num_queries, units, name, budget
):
    department = factories.department()
    for n in range(units):
        desk = factories.unit(f"desk-{n}", parent=department, receives_dossiers=True)
        factories.figure(desk, "survey_responses", 100)
        factories.figure(desk, "survey_satisfied", 90 if n % 2 else 95)
        factories.figure(desk, "dossiers_resolved", 100, category="land")
        factories.figure(desk, "dossiers_on_time", 95, category="land")
    services.recompute.statuses_recompute(year=2021, as_of=AFTER_2021)
    client.force_login(admin)
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(f"commitments:{name}"), {"year": 2021, "quarter": 1})
        # A streamed response reads as it is sent: its queries count too.
        content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert content


def test_a_large_reports_units_behind_are_listed_up_to_a_bound_and_counted(
    client, admin, catalogue, monkeypatch
):
    """A country's report would list thousands of units behind: it lists the first
    (in the report's order), says how many more, and names as many units missing."""
    from commitments import print_report

    monkeypatch.setattr(print_report, "UNITS_LISTED", 3)
    department = factories.department()
    for n in range(7):
        desk = factories.unit(f"desk-{n}", parent=department, receives_dossiers=True)
        factories.figure(desk, "dossiers_resolved", 100, category="land")
        factories.figure(desk, "dossiers_on_time", 50, category="land")
    services.recompute.statuses_recompute(year=2021, as_of=AFTER_2021)
    behind = Status.objects.filter(
        year=2021, quarter=1, category="", status="not_met", unit__parent=department
    )
    assert behind.count() >= 7  # each desk misses 5.1, at least
    client.force_login(admin)
    html = client.get(reverse("commitments:report_print"), {"year": 2021, "quarter": 1}).content
    units = _section(html.decode(), "2. Đơn vị chưa đạt", "3. Đơn vị chưa đáp ứng")
    assert units.count("<tr>") - 1 == 3  # the header's row, and three rows
    assert f"… và {behind.count() - 3} dòng khác" in units


@pytest.mark.parametrize("reader", ["superuser", "director"])
def test_each_departments_units_behind_are_its_first_in_the_reports_order(
    client, admin, catalogue, monkeypatch, reader
):
    """Two departments (two top units for a superuser, one for a director of one): each
    part lists its own first rows of units behind, in the report's order (commitment,
    indicator, unit), and counts the rest, whether the rows are ranked in the database
    (one top unit) or walked up the tree (several)."""
    from commitments import print_report

    monkeypatch.setattr(print_report, "UNITS_LISTED", 4)
    departments = [factories.department("sonn"), factories.department("stnmt")]
    for department in departments:
        for n in (5, 1, 4, 0, 3, 2):  # created out of the codes' order
            desk = factories.unit(
                f"{department.code}-desk-{n}", parent=department, receives_dossiers=True
            )
            factories.figure(desk, "dossiers_resolved", 100, category="land")
            factories.figure(desk, "dossiers_on_time", 50 + n, category="land")
            factories.figure(desk, "survey_responses", 100)
            factories.figure(desk, "survey_satisfied", 80)
    services.recompute.statuses_recompute(year=2021, as_of=AFTER_2021)
    if reader == "superuser":
        client.force_login(admin)
        shown = departments
    else:
        client.force_login(factories.director("giamdoc", departments[1]))
        shown = departments[1:]
    report = client.get(reverse("commitments:report_print"), {"year": 2021, "quarter": 1})
    parts = report.context["report"].departments
    assert [part.unit for part in parts] == shown
    for part, department in zip(parts, shown, strict=True):
        behind = Status.objects.filter(
            year=2021, quarter=1, category="", status__in=["not_met", "at_risk"],
            unit__parent=department,
        ).order_by(*print_report.BEHIND_ORDER)  # fmt: skip
        expected = [(s.indicator.code, s.unit.code) for s in behind]
        assert len(expected) > 6  # more than one indicator behind: the order shows
        listed = [(s.indicator.code, s.unit.code) for s in part.units_behind]
        assert listed == expected[:4]
        assert part.units_behind_more == len(expected) - 4
