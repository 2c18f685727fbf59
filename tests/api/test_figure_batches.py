"""Figures pushed in batches (POST /api/v1/figures/batch/): the import's checks, all or
nothing, errors per row and field in the caller's language, an ``Idempotency-Key``
making a retry a no-op, one audited change by the token's user; an admin's batch is
official on arrival, a unit's staff write only into their open reports."""

from __future__ import annotations

import pytest

from commitments.models import AuditEntry, Figure, QuarterlyReport
from tests.roles import A, B

pytestmark = pytest.mark.django_db

URL = "/api/v1/figures/batch/"


def row(unit=A, element="dossiers_resolved", value=100, category="land", quarter=2, **more):
    return {
        "year": 2021,
        "quarter": quarter,
        "unit": unit,
        "element": element,
        "category": category,
        "value": value,
        **more,
    }


def stored(quarter=2) -> dict:
    return dict(
        Figure.objects.filter(year=2021, quarter=quarter).values_list("unit__code", "value")
    )


def test_an_admins_batch_is_official_on_arrival_and_one_audited_change(call, world):
    rows = [row(A, value=200), row(A, "dossiers_on_time", 150), row(B, category="crop")]
    response = call("superuser", "post", URL, {"rows": rows})
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0, "deleted": 0}
    assert Figure.objects.filter(year=2021, quarter=2).count() == 3
    reports = QuarterlyReport.objects.filter(year=2021, quarter=2)
    assert {r.state for r in reports} == {QuarterlyReport.State.APPROVED}
    entries = AuditEntry.objects.filter(subject=AuditEntry.Subject.FIGURES, year=2021, quarter=2)
    assert entries.count() == 2  # one per report, of one batch
    assert len({e.batch for e in entries}) == 1 and entries[0].batch
    assert {e.user for e in entries} == {world["users"]["superuser"]}


def test_a_units_staff_write_provisional_figures_into_their_open_report(call, world):
    response = call("staff_a", "post", URL, {"rows": [row(A, value=7)]})
    assert response.status_code == 200, response.json()
    report = QuarterlyReport.objects.get(unit__code=A, year=2021, quarter=2)
    assert report.state == QuarterlyReport.State.DRAFT
    assert report.version == 1  # a form opened before cannot save over it
    assert stored() == {A: 7}


def test_staff_cannot_write_another_units_figures(call, world):
    response = call("staff_a", "post", URL, {"rows": [row(B, category="crop")]})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == ["/rows/0/unit"]
    assert stored() == {}


def test_staff_cannot_write_into_a_submitted_report(call, world):
    before = stored(quarter=1)
    response = call("staff_a", "post", URL, {"rows": [row(A, value=1, quarter=1)]})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["pointer"] == "/rows/0"
    assert "không thể sửa" in error["detail"]
    assert stored(quarter=1) == before


def test_one_bad_row_writes_nothing_and_is_named_in_the_callers_language(call, world):
    rows = [row(A, value=5), row(A, "dossiers_on_time", "12abc"), row(B, category="crop")]
    rows += [row(A, "no_such_figure"), row(A, year=1999)]
    response = call("superuser", "post", URL, {"rows": rows}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["pointer"] for e in errors] == [
        "/rows/1/value",
        "/rows/3/element",
        "/rows/4/year",
    ]
    assert errors[0]["detail"] == "Enter a whole number of 0 or more."
    assert stored() == {}
    vietnamese = call("superuser", "post", URL, {"rows": rows})
    assert vietnamese.json()["errors"][0]["detail"] == "Nhập một số nguyên từ 0 trở lên."


def test_a_broken_validation_rule_points_at_its_row(call, world):
    rows = [row(A, value=10), row(A, "dossiers_on_time", 11)]
    response = call("superuser", "post", URL, {"rows": rows})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["pointer"] == "/rows/1/value"
    assert stored() == {}


def test_the_same_figure_twice_is_refused(call, world):
    response = call("superuser", "post", URL, {"rows": [row(A), row(A, value=3)]})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == ["/rows/1"]


def test_a_retried_batch_with_the_same_key_changes_nothing(call, world):
    body = {"rows": [row(A, value=40)]}
    first = call("staff_a", "post", URL, body, HTTP_IDEMPOTENCY_KEY="q2-2021-a")
    assert first.status_code == 200
    entries = AuditEntry.objects.count()
    # Meanwhile someone else changed the figure: the retry must not write it back.
    Figure.objects.filter(year=2021, quarter=2).update(value=41)
    again = call("staff_a", "post", URL, body, HTTP_IDEMPOTENCY_KEY="q2-2021-a")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert stored() == {A: 41}
    assert AuditEntry.objects.count() == entries
    other = call(
        "staff_a", "post", URL, {"rows": [row(A, value=9)]}, HTTP_IDEMPOTENCY_KEY="q2-2021-a"
    )
    assert other.status_code == 409
    assert stored() == {A: 41}


def test_a_refused_batch_keeps_its_key_free(call, world):
    bad = call("superuser", "post", URL, {"rows": [row(A, value=-1)]}, HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 422
    good = call("superuser", "post", URL, {"rows": [row(A, value=1)]}, HTTP_IDEMPOTENCY_KEY="k")
    assert good.status_code == 200


@pytest.mark.parametrize("body", [{}, {"rows": []}, {"rows": "x"}, [1, 2]])
def test_a_body_that_is_not_a_batch_is_refused(call, world, body):
    response = call("superuser", "post", URL, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/rows"


def test_a_batch_holds_at_most_ten_thousand_rows(call, world):
    response = call("superuser", "post", URL, {"rows": [row()] * 10_001})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/rows"
    assert stored() == {}


def test_a_full_batch_of_ten_thousand_rows_is_checked_and_refused_whole(call, world):
    rows = [row(A, value=1)] + [row(A, "dossiers_on_time", "x")] * 9_999
    response = call("superuser", "post", URL, {"rows": rows})
    assert response.status_code == 422
    assert len(response.json()["errors"]) >= 9_999
    assert stored() == {}
