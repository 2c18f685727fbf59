"""Report actions through the API (POST /api/v1/reports/<unit>/<year>/<quarter>/action/):
the form's roles and rules, and the version the caller read: a stale one is refused."""

from __future__ import annotations

import pytest

from commitments.models import AuditEntry, QuarterlyReport
from tests.roles import A, B

pytestmark = pytest.mark.django_db


def url(unit=A, quarter=1):
    return f"/api/v1/reports/{unit}/2021/{quarter}/action/"


def report(unit=A, quarter=1) -> QuarterlyReport:
    return QuarterlyReport.objects.get(unit__code=unit, year=2021, quarter=quarter)


def test_a_director_approves_at_the_version_read(call, world):
    version = report().version
    response = call("director_a", "post", url(), {"action": "approve", "version": version})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "approved"
    assert report().state == QuarterlyReport.State.APPROVED
    assert report().decided_by == world["users"]["director_a"]


def test_a_stale_version_is_refused_and_nothing_changes(call, world):
    version = report().version
    response = call("director_a", "post", url(), {"action": "approve", "version": version + 1})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["pointer"] == "/"
    assert report().state == QuarterlyReport.State.SUBMITTED
    assert report().version == version


def test_return_needs_a_comment(call, world):
    version = report().version
    response = call("director_a", "post", url(), {"action": "return", "version": version})
    assert response.status_code == 409
    assert response.json()["errors"][0]["pointer"] == "/comment"
    done = call(
        "director_a", "post", url(), {"action": "return", "version": version, "comment": "Thiếu"}
    )
    assert done.status_code == 200
    assert report().state == QuarterlyReport.State.RETURNED
    assert report().comment == "Thiếu"
    returned = AuditEntry.objects.get(action=AuditEntry.Action.RETURNED)
    assert (returned.user, returned.note) == (world["users"]["director_a"], "Thiếu")


def test_staff_submit_and_cannot_approve(call, world):
    body = {"action": "submit", "version": 0}
    assert call("staff_a", "post", url(quarter=2), body).status_code == 200
    assert report(quarter=2).state == QuarterlyReport.State.SUBMITTED
    version = report(quarter=2).version
    refused = call("staff_a", "post", url(quarter=2), {"action": "approve", "version": version})
    assert refused.status_code == 403
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SUBMITTED).count() == 1


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 401),
        ("no_membership", 404),
        ("staff_b", 404),
        ("city_office", 404),
        ("staff_a", 403),
        ("director_department", 200),
        ("superuser", 200),
    ],
)
def test_who_may_approve_as_on_the_form(call, world, role, status):
    response = call(role, "post", url(), {"action": "approve", "version": report().version})
    assert response.status_code == status


def test_an_unknown_unit_is_not_found(call, world):
    response = call("superuser", "post", url("khong-co"), {"action": "approve", "version": 0})
    assert response.status_code == 404


def test_a_bad_body_names_its_field(call, world):
    response = call("director_a", "post", url(), {"action": "explode", "version": "x"})
    assert response.status_code == 400
    assert {e["pointer"] for e in response.json()["errors"]} == {"/action", "/version"}
    assert report(B).state == QuarterlyReport.State.SUBMITTED
