"""The REST API's world: a department (Sở) with two receiving units, A and B, their Q1
2021 figures and statuses, a user per role (tests/roles.py, as for the pages) and a
token for each; ``call`` sends a request with a role's token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import ApiToken
from commitments import services
from commitments.models import QuarterlyReport
from tests import factories
from tests.roles import role_units, role_users


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Each test counts its own requests against the throttle."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(catalogue, django_capture_on_commit_callbacks):
    """The department, A and B with Q1 2021 figures and statuses; A's and B's reports
    of Q1 are submitted; a user per role."""
    with django_capture_on_commit_callbacks(execute=True):
        department, a, b = role_units()
        factories.figure(a, "dossiers_resolved", 1000, category="land")
        factories.figure(a, "dossiers_on_time", 955, category="land")
        factories.figure(b, "dossiers_resolved", 100, category="crop")
        factories.figure(b, "dossiers_on_time", 90, category="crop")
        services.recompute.statuses_recompute(year=2021)
        factories.evidence(a, "initiative", dt.date(2021, 2, 1), title="Sáng kiến A")
        factories.evidence(b, "initiative", dt.date(2021, 2, 2), title="Sáng kiến B")
        for unit in (a, b):
            factories.report(unit, state=QuarterlyReport.State.SUBMITTED)
    users = role_users(department, a, b)
    return {"units": {u.code: u for u in (department, a, b)}, "users": users}


@pytest.fixture
def tokens(world) -> dict[str, str]:
    """A token for each role with a user."""
    return {
        role: ApiToken.objects.create(user=user, expiry=dt.timedelta(days=30), name=role)[1]
        for role, user in world["users"].items()
        if user is not None
    }


@pytest.fixture
def call(tokens):
    """``call(role, method, path, body=None, **headers)``: the response to a request
    sent with the role's token (none for ``anonymous``)."""

    def send(role, method, path, body=None, **headers):
        client = APIClient()
        if role in tokens:
            client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[role]}")
        return getattr(client, method)(path, body, format="json", **headers)

    return send
