"""The completeness page: who sees it and which units, its rates and links, the quarter
it opens on, and its query budget (the units are conftest.py's ``mix``)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from commitments.models import QuarterlyReport, Unit
from tests import factories


@pytest.fixture
def page_units(catalogue, mix):
    """The mix, with the catalogue's 2021 targets so that 2021 is a year to choose."""
    return mix


def _page(client, **query):
    return client.get(reverse("commitments:completeness"), {"year": 2021, "quarter": 1, **query})


def test_anonymous_goes_to_log_in(client, db):
    response = client.get(reverse("commitments:completeness"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_and_users_without_membership_get_403(client, page_units):
    staff = factories.staff("cv", page_units["draft"])
    plain = factories.user("khach")
    for user in (staff, plain):
        client.force_login(user)
        assert _page(client).status_code == 403
        assert (
            reverse("commitments:completeness")
            not in client.get(reverse("commitments:dashboard")).content.decode()
        )


def test_superuser_sees_every_expected_unit_with_rates_and_links(client, page_units):
    admin = factories.superuser()
    client.force_login(admin)
    response = _page(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["completeness"].units) == 7
    assert "14/04/2021" in html  # ten working days after the quarter
    assert "theo ngày làm việc" in html
    assert "57,1%" in html  # reporting rate 4/7, Vietnamese decimal comma
    assert "42,9%" in html  # on time 3/7
    assert "14,3%" in html  # approved 1/7
    assert '<span class="badge report-returned">Bị trả lại</span>' in html
    assert '<span class="badge report-not_started">Chưa lập</span>' in html
    assert reverse("commitments:quarterly_report", args=["u3-tralai", 2021, 1]) in html
    assert "15/04/2021 00:30" in html  # the late submission, in Hanoi time
    assert html.index("u1-chua") < html.index("a2-muon") < html.index("a1-dunghan")
    assert f'href="{reverse("commitments:completeness")}"' in html  # the navigation link


def test_director_of_a_division_sees_only_that_unit(client, page_units):
    director = factories.director("truongphong", page_units["late"])
    client.force_login(director)
    response = _page(client)
    assert response.status_code == 200
    c = response.context["completeness"]
    assert [row.unit.code for row in c.units] == ["a2-muon"]
    assert (c.expected, c.submitted, c.on_time) == (1, 1, 0)
    assert "u1-chua" not in response.content.decode()


def test_director_of_the_department_sees_every_unit_below(client, django_user_model, page_units):
    client.force_login(django_user_model.objects.get(username="giamdoc"))
    response = _page(client)
    assert response.context["completeness"].expected == 7


def test_the_default_quarter_is_the_last_that_ended(client, page_units):
    admin = factories.superuser()
    client.force_login(admin)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2021, 4, 20)):
        response = client.get(reverse("commitments:completeness"))
    assert (response.context["year"], response.context["quarter"]) == (2021, 1)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2022, 2, 1)):
        response = client.get(reverse("commitments:completeness"))
    assert (response.context["year"], response.context["quarter"]) == (2021, 4)


def test_the_days_left_are_working_days(client, page_units):
    client.force_login(factories.superuser())
    # Friday 9 April 2021: the deadline, Wednesday 14 April, is 3 working days away.
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2021, 4, 9)):
        html = _page(client).content.decode()
    assert "Còn 3 ngày làm việc." in html
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2021, 4, 14)):
        html = _page(client).content.decode()
    assert "Hôm nay là hạn nộp." in html


def _many_units(count: int) -> Unit:
    """A department with ``count`` divisions, a third of them submitted, a third in
    draft, and a staff member with an email in each."""
    department = factories.department()
    units = Unit.objects.bulk_create(
        Unit(code=f"phong-{n:04d}", name=f"Phòng {n}", parent=department, kind="division")
        for n in range(count)
    )
    QuarterlyReport.objects.bulk_create(
        QuarterlyReport(
            unit=unit,
            year=2021,
            quarter=1,
            state="submitted" if n % 3 == 0 else "draft",
            submitted_at=factories.utc(2021, 4, 2) if n % 3 == 0 else None,
            first_submitted_at=factories.utc(2021, 4, 2) if n % 3 == 0 else None,
        )
        for n, unit in enumerate(units)
        if n % 3 != 2
    )
    return department


# Session and user (2), memberships with the units below them (1), years (1), the
# completeness (working days, deadline, the totals, a page of the units with their
# reports, their staff: 5); the navigation: permissions (2), this link (1).
COMPLETENESS_BUDGET = 12


@pytest.mark.parametrize("count", [10, 500])
def test_query_budget_does_not_grow_with_units(
    client, catalogue, django_assert_max_num_queries, count
):
    department = _many_units(count)
    director = factories.director("giamdoc", department)
    client.force_login(director)
    with django_assert_max_num_queries(COMPLETENESS_BUDGET):
        response = _page(client)
    assert response.status_code == 200
    assert response.context["completeness"].expected == count
    assert response.context["completeness"].submitted == (count + 2) // 3
