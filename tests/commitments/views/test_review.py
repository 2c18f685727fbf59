"""The review inbox page (/review/): who may open it, the reports it lists with the
unit, quarter, when and by whom they were sent and how late, the count in the
navigation, the staff's report list that sends a director there, and its query budget
(the reports are conftest.py's ``inbox``)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from commitments.models import QuarterlyReport, Unit
from commitments.views.paging import PER_PAGE
from tests import factories

URL = reverse("commitments:review")
TODAY = dt.date(2021, 4, 20)


def _get(client, user, url=URL, **extra):
    client.force_login(user)
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        return client.get(url, **extra)


def test_anonymous_goes_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_and_users_without_a_unit_get_403(client, inbox):
    for user in (inbox["staff"]["p-tc"], factories.user("khach")):
        assert _get(client, user).status_code == 403


def test_the_director_sees_each_waiting_report_with_its_sender_and_lateness(client, inbox):
    response = _get(client, inbox["director"])
    assert response.status_code == 200
    html = response.content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert [("p-kh-to" in r, "p-tc" in r, "p-kh<" in r or "p-kh " in r) for r in rows] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    late = rows[1]
    assert "Phòng Tổ chức" in late
    assert "Quý 1/2021" in late
    assert "16/04/2021 09:00" in late  # sent at 02:00 UTC, in Hanoi time
    assert "Lan" in late
    assert "14/04/2021" in late
    assert "Gửi muộn 2 ngày làm việc" in late
    assert reverse("commitments:quarterly_report", args=["p-tc", 2021, 1]) in late
    assert "Gửi đúng hạn" in rows[0]
    assert "khac-1" not in html  # another department's report
    assert reverse("commitments:completeness") in html


def test_the_navigation_counts_the_reports_waiting(client, inbox):
    html = _get(client, inbox["director"], reverse("commitments:dashboard")).content.decode()
    assert f'href="{URL}"' in html
    assert '<span class="nav-count" aria-hidden="true">3</span>' in html
    assert "(3 báo cáo chờ duyệt)" in html
    # A director's quarterly reports are the ones to review: one entry, not a dead end.
    assert f'href="{reverse("commitments:my_reports")}"' not in html


def test_staff_keep_their_quarterly_reports_in_the_navigation_and_no_count(client, inbox):
    html = _get(client, inbox["staff"]["p-tc"], reverse("commitments:dashboard")).content.decode()
    assert f'href="{reverse("commitments:my_reports")}"' in html
    assert f'href="{URL}"' not in html
    assert "nav-count" not in html


def test_no_count_when_nothing_waits(client, inbox):
    QuarterlyReport.objects.filter(state="submitted").update(state="approved")
    response = _get(client, inbox["director"])
    html = response.content.decode()
    assert "Không có báo cáo nào chờ duyệt." in html
    assert "nav-count" not in html


@pytest.mark.parametrize("who", ["director", "superuser"])
def test_the_quarterly_report_list_takes_a_reviewer_without_units_of_their_own_here(
    client, inbox, who
):
    user = inbox["director"] if who == "director" else factories.superuser()
    response = _get(client, user, reverse("commitments:my_reports"))
    assert response.status_code == 302
    assert response["Location"] == URL


def test_a_director_who_also_writes_reports_keeps_the_list_and_finds_it_from_the_inbox(
    client, inbox
):
    factories.membership(inbox["director"], inbox["units"]["khac-1"], "staff")
    assert _get(client, inbox["director"], reverse("commitments:my_reports")).status_code == 200
    assert reverse("commitments:my_reports") in _get(client, inbox["director"]).content.decode()


def test_the_inbox_in_english(client, inbox):
    client.cookies["django_language"] = "en"
    html = _get(client, inbox["director"]).content.decode()
    assert "Reports waiting for review" in html
    assert "Q1 2021" in html
    assert "Sent 2 working days late" in html
    assert "(3 reports waiting for review)" in html


def _many_submitted(count: int) -> Unit:
    """A department with ``count`` divisions, each with a member of staff who sent its
    report of Q1 2021, every other one late."""
    department = factories.department()
    units = Unit.objects.bulk_create(
        Unit(code=f"phong-{n:04d}", name=f"Phòng {n}", parent=department, kind="division")
        for n in range(count)
    )
    sender = factories.user("chuyenvien", first_name="Lan")
    QuarterlyReport.objects.bulk_create(
        QuarterlyReport(
            unit=unit,
            year=2021,
            quarter=1,
            state="submitted",
            submitted_at=factories.utc(2021, 4, 12 + n % 2 * 4, 2),
            first_submitted_at=factories.utc(2021, 4, 12 + n % 2 * 4, 2),
            submitted_by=sender,
        )
        for n, unit in enumerate(units)
    )
    return department


# Session and user (2), then the inbox: the navigation's count of the reports waiting,
# which counts the pages too (1), a page of the reports, the deadlines, the working days
# (3). A director: their memberships with the units below them (1), and the permissions
# the navigation reads (2).
REVIEW_BUDGET = {"superuser": 6, "director": 9}


@pytest.mark.parametrize("count", [10, 500])
@pytest.mark.parametrize("role", ["superuser", "director"])
def test_query_budget_does_not_grow_with_units(
    client, db, django_assert_max_num_queries, count, role
):
    department = _many_submitted(count)
    if role == "superuser":
        user = factories.superuser()
    else:
        user = factories.director("giamdoc", department)
    client.force_login(user)
    with (
        mock.patch("django.utils.timezone.localdate", return_value=TODAY),
        django_assert_max_num_queries(REVIEW_BUDGET[role]),
    ):
        response = client.get(URL)
    assert response.status_code == 200
    # A page of them at a time, every one counted.
    assert response.context["page"].paginator.count == count
    items = response.context["items"]
    assert len(items) == min(count, PER_PAGE)
    # Sent on the 12th: on time; on the 16th: two working days late.
    late = [item.report.first_submitted_at.day == 16 for item in items]
    assert [item.days_late for item in items] == [2 if day else 0 for day in late]
    if count <= PER_PAGE:
        assert sum(late) == count // 2
