"""Who reads what through the API: every role against every list, the status code and
the units in the answer, the same as the pages (tests/commitments/test_access.py): the
results by ``access.reading_scope`` (the city office reads every unit), figures and
reports by ``access.user_scope`` (those whose reports the user writes or reviews)."""

from __future__ import annotations

import pytest

from tests.roles import DEPARTMENT, ROLES, A, B

pytestmark = pytest.mark.django_db

ALL = {DEPARTMENT, A, B}
# The units whose results each role reads (the dashboard's).
READS = {
    "anonymous": set(),
    "no_membership": set(),
    "staff_a": {A},
    "staff_b": {B},
    "director_a": {A},
    "director_department": ALL,
    "target_editor": set(),
    "superuser": ALL,
    "city_office": ALL,
}
# The units whose reports (and figures) each role writes or reviews.
REPORTS = {**READS, "city_office": set()}

# endpoint: (status by role in the order of ROLES, the units each role gets or None)
ENDPOINTS = {
    "/api/v1/": ([401, 200, 200, 200, 200, 200, 200, 200, 200], None),
    "/api/v1/units/": ([401, 200, 200, 200, 200, 200, 200, 200, 200], READS),
    "/api/v1/commitments/?year=2021": ([401, 403, 200, 200, 200, 200, 200, 200, 200], None),
    "/api/v1/indicators/": ([401, 403, 200, 200, 200, 200, 200, 200, 200], None),
    "/api/v1/targets/?year=2021": ([401, 403, 200, 200, 200, 200, 200, 200, 200], None),
    "/api/v1/statuses/?year=2021": ([401, 200, 200, 200, 200, 200, 200, 200, 200], READS),
    "/api/v1/figures/?year=2021": ([401, 200, 200, 200, 200, 200, 200, 200, 200], REPORTS),
    "/api/v1/reports/?year=2021": ([401, 200, 200, 200, 200, 200, 200, 200, 200], REPORTS),
    "/api/v1/evidence/?year=2021": ([401, 200, 200, 200, 200, 200, 200, 200, 200], REPORTS),
    # Published results are public (/results/): every signed-in user reads them.
    "/api/v1/publications/": ([401, 200, 200, 200, 200, 200, 200, 200, 200], None),
    # The sheets, as /sheets/: those who see some unit's results, and admins of targets.
    "/api/v1/sheets/?year=2021": ([401, 403, 200, 200, 200, 200, 200, 200, 200], None),
    "/api/v1/sheets/so-nnptnt/2021/": ([401, 403, 200, 200, 200, 200, 200, 200, 200], None),
}
# Of the units seen, those with figures (the department has none of its own).
HAVE_FIGURES = {A, B}


def _units(path: str, body) -> set[str]:
    rows = body["results"] if isinstance(body, dict) else body
    key = "code" if path.startswith("/api/v1/units/") else "unit"
    return {row[key] for row in rows}


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_each_role_gets_its_status_and_only_its_units(call, path):
    statuses, sees = ENDPOINTS[path]
    got = {}
    for role in ROLES:
        response = call(role, "get", path)
        got[role] = response.status_code
        if response.status_code != 200 or sees is None:
            continue
        units = _units(path, response.json())
        expected = sees[role]
        if "figures" in path or "evidence" in path:
            expected = expected & HAVE_FIGURES
        if "reports" in path:
            expected = expected - {DEPARTMENT}  # only A and B have reports
        assert units == expected, (path, role, units)
    assert got == dict(zip(ROLES, statuses, strict=True))


def test_the_anonymous_answer_is_a_problem_asking_for_a_token(call):
    response = call("anonymous", "get", "/api/v1/statuses/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Token"
    body = response.json()
    assert body["status"] == 401 and body["title"] and body["detail"]


def test_a_revoked_or_expired_token_is_refused(call, world, tokens):
    from django.utils import timezone

    from api.models import ApiToken

    assert call("staff_a", "get", "/api/v1/units/").status_code == 200
    ApiToken.objects.filter(user=world["users"]["staff_a"]).update(expiry=timezone.now())
    assert call("staff_a", "get", "/api/v1/units/").status_code == 401
    ApiToken.objects.filter(user=world["users"]["staff_b"]).delete()
    assert call("staff_b", "get", "/api/v1/units/").status_code == 401


def test_the_session_of_a_signed_in_user_reads_too(client, world):
    client.force_login(world["users"]["staff_a"])
    response = client.get("/api/v1/statuses/?year=2021")
    assert response.status_code == 200
    assert {row["unit"] for row in response.json()["results"]} == {A}
