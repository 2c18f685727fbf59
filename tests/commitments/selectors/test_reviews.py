"""The review inbox as ``selectors.reviews`` reads it: the submitted reports a user may
decide on, the one waiting longest first, how late each was sent and how long it has
waited, in working days; and the navigation's count, in one query (the reports are
conftest.py's ``inbox``)."""

from __future__ import annotations

import datetime as dt

import pytest

from commitments import access, selectors
from tests import factories

TODAY = dt.date(2021, 4, 20)


def _inbox(user):
    scope = access.user_scope(user=user)
    return selectors.reviews.review_inbox(scope=scope, today=TODAY)


def test_the_department_director_sees_the_reports_below_waiting_longest_first(inbox):
    items = _inbox(inbox["director"])
    assert [i.report.unit.code for i in items] == ["p-kh-to", "p-tc", "p-kh"]
    assert all(i.deadline == dt.date(2021, 4, 14) for i in items)


def test_how_late_and_how_long_waiting_are_working_days(inbox):
    items = {i.report.unit.code: i for i in _inbox(inbox["director"])}
    # Sent Friday 16/04, due Wednesday 14/04: two working days late; waiting since
    # then: Monday 19 and Tuesday 20.
    assert (items["p-tc"].days_late, items["p-tc"].days_waiting) == (2, 2)
    assert (items["p-kh-to"].days_late, items["p-kh-to"].days_waiting) == (0, 6)
    # Sent again on the 19th after a return: on time by its first submission, and
    # waiting since the 19th.
    assert (items["p-kh"].days_late, items["p-kh"].days_waiting) == (0, 1)
    assert items["p-tc"].submitter == "Lan"


def test_a_division_director_sees_the_division_and_the_units_below_it(inbox):
    assert [i.report.unit.code for i in _inbox(inbox["head"])] == ["p-kh-to", "p-kh"]


def test_a_superuser_sees_every_department(inbox):
    codes = [i.report.unit.code for i in _inbox(factories.superuser())]
    assert codes == ["p-kh-to", "khac-1", "p-tc", "p-kh"]


def test_staff_review_nothing(inbox):
    assert _inbox(inbox["staff"]["p-tc"]) == []


def test_the_inbox_reads_three_queries(inbox, django_assert_num_queries):
    scope = access.user_scope(user=inbox["director"])
    with django_assert_num_queries(3):
        items = selectors.reviews.review_inbox(scope=scope, today=TODAY)
    assert len(items) == 3


@pytest.mark.parametrize(
    ("who", "badge"),
    [
        ("director", (True, 3)),
        ("head", (True, 2)),
        ("staff", (False, 0)),
        ("superuser", (True, 4)),
        ("nobody", (False, 0)),
    ],
)
def test_the_badge_counts_what_the_inbox_lists_in_one_query(
    inbox, django_assert_num_queries, who, badge
):
    user = {
        "director": inbox["director"],
        "head": inbox["head"],
        "staff": inbox["staff"]["p-kh"],
        "superuser": factories.superuser(),
        "nobody": factories.user("khach"),
    }[who]
    with django_assert_num_queries(1):
        found = selectors.reviews.review_badge(user=user)
    assert (found.directs, found.waiting) == badge


def test_the_badge_of_an_anonymous_visitor_reads_nothing(db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert selectors.reviews.review_badge(user=AnonymousUser()) == (
            selectors.reviews.NO_REVIEWS
        )


def test_a_director_of_two_places_counts_each_report_once(inbox):
    factories.membership(inbox["head"], inbox["units"]["p-kh-to"], "director")
    assert selectors.reviews.review_badge(user=inbox["head"]).waiting == 2
