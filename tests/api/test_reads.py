"""The reads: statuses filtered (year, period, unit, indicator, category, status,
official or provisional) with an ``ETag``, cursor pages, units as a tree, targets with
their overrides; names in the caller's language; throttling per token with 429 and
``Retry-After``."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from api.throttling import TokenRateThrottle
from commitments import services
from commitments.models import Status
from commitments.selectors.statuses import Basis
from tests import factories
from tests.roles import DEPARTMENT, A, B

pytestmark = pytest.mark.django_db

STATUSES = "/api/v1/statuses/"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_statuses_are_the_exports_rows_with_names(call, world):
    rows = results(call("superuser", "get", f"{STATUSES}?year=2021&unit={A}&indicator=5.1"))
    land = next(r for r in rows if r["category"] == "land" and r["period"] == "2021-Q1")
    assert land["value"] == 95.5
    assert land["status"] == "not_met"
    assert land["status_label"] == "Không đạt"
    assert land["unit_name"] == "Chi cục Thủy lợi"
    assert land["provisional"] is False
    english = results(
        call("superuser", "get", f"{STATUSES}?period=2021-Q1&unit={A}", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert {r["period"] for r in english} == {"2021-Q1"}
    assert "Not met" in {r["status_label"] for r in english}


@pytest.mark.parametrize(
    "query,check",
    [
        ("period=2021", lambda r: r["period"] == "2021"),
        (f"unit={B}", lambda r: r["unit"] == B),
        ("indicator=5.1", lambda r: r["indicator"] == "5.1"),
        ("category=land", lambda r: r["category"] == "land"),
        ("status=not_met", lambda r: r["status"] == "not_met"),
    ],
)
def test_each_filter_narrows_the_statuses(call, world, query, check):
    rows = results(call("superuser", "get", f"{STATUSES}?year=2021&{query}"))
    assert rows and all(check(r) for r in rows)


def test_a_bad_filter_is_a_problem_naming_it(call, world):
    response = call("superuser", "get", f"{STATUSES}?period=2021-Q7&year=abc")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert {e["pointer"] for e in response.json()["errors"]} == {"/period", "/year"}


def test_provisional_statuses_on_request(call, world, django_capture_on_commit_callbacks):
    # A's Q1 report is submitted, not approved: its figures count provisionally only.
    services.recompute.statuses_recompute(year=2021)
    official = results(call("superuser", "get", f"{STATUSES}?year=2021&unit={A}"))
    provisional = results(
        call("superuser", "get", f"{STATUSES}?year=2021&unit={A}&basis=provisional")
    )
    assert all(not r["provisional"] for r in official)
    assert Status.every.filter(provisional=True, unit__code=A).exists()
    picked = Basis(provisional=True).pick(Status.every.filter(year=2021, unit__code=A))
    assert sorted(map(str, map(_key, provisional))) == sorted(
        str((s.indicator.code, s.category or None, s.period, s.provisional)) for s in picked
    )
    assert any(r["provisional"] for r in provisional)


def _key(row: dict) -> tuple:
    return (row["indicator"], row["category"], row["period"], row["provisional"])


def test_an_etag_answers_not_modified(call, world):
    first = call("staff_a", "get", f"{STATUSES}?year=2021")
    tag = first["ETag"]
    again = call("staff_a", "get", f"{STATUSES}?year=2021", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304
    Status.objects.filter(unit__code=A).update(status="met")
    changed = call("staff_a", "get", f"{STATUSES}?year=2021", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag


def test_cursor_pages_walk_every_status_once(call, world):
    everything = results(call("superuser", "get", f"{STATUSES}?year=2021&page_size=1000"))
    seen, url = [], f"{STATUSES}?year=2021&page_size=7"
    while url:
        response = call("superuser", "get", url)
        seen += results(response)
        url = response.json()["next"]
    assert len(seen) == len(everything) > 7
    assert [(r["indicator"], r["unit"], r["category"], r["period"]) for r in seen] == [
        (r["indicator"], r["unit"], r["category"], r["period"]) for r in everything
    ]


def test_units_come_as_a_tree(call, world):
    units = call("director_department", "get", "/api/v1/units/").json()
    assert [(u["code"], u["parent"], u["depth"]) for u in units] == [
        (DEPARTMENT, None, 0),
        (B, DEPARTMENT, 1),
        (A, DEPARTMENT, 1),
    ]
    # A unit seen without its parent is a root of the caller's tree.
    assert [(u["code"], u["depth"]) for u in call("staff_a", "get", "/api/v1/units/").json()] == [
        (A, 0)
    ]


def test_targets_carry_their_overrides(call, world):
    targets = call("superuser", "get", "/api/v1/targets/?year=2021").json()
    target = next(t for t in targets if t["indicator"] == "5.1")
    assert target["threshold"] is not None
    assert {o["category"] for o in target["overrides"]} >= {"land"}


def test_each_token_is_throttled_on_its_own(call, world, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "rate", "3/min", raising=False)
    cache.clear()
    codes = [call("staff_a", "get", "/api/v1/units/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = call("staff_a", "get", "/api/v1/units/")
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert call("staff_b", "get", "/api/v1/units/").status_code == 200


def test_figures_and_reports_lists(call, world):
    figures = results(call("staff_a", "get", "/api/v1/figures/?year=2021&quarter=1"))
    assert {(f["element"], f["value"]) for f in figures} == {
        ("dossiers_resolved", 1000),
        ("dossiers_on_time", 955),
    }
    reports = results(call("director_department", "get", "/api/v1/reports/?state=submitted"))
    assert {(r["unit"], r["state"]) for r in reports} == {(A, "submitted"), (B, "submitted")}
    factories.report(world["units"][A], quarter=2)
    drafts = results(call("staff_a", "get", "/api/v1/reports/?state=draft"))
    assert [(r["unit"], r["quarter"]) for r in drafts] == [(A, 2)]


def test_publications_and_evidence(call, world):
    department = world["units"][DEPARTMENT]
    services.publishing.results_publish(
        department=department,
        year=2021,
        quarter=1,
        user=world["users"]["superuser"],
        note="Công bố thử",
    )
    (publication,) = call("staff_b", "get", "/api/v1/publications/?year=2021").json()
    assert (publication["unit"], publication["quarter"], publication["note"]) == (
        DEPARTMENT,
        1,
        "Công bố thử",
    )
    assert publication["snapshot"]
    evidence = results(call("staff_a", "get", "/api/v1/evidence/?year=2021&quarter=1"))
    assert [(e["unit"], e["kind"], e["title"], e["has_file"]) for e in evidence] == [
        (A, "initiative", "Sáng kiến A", False)
    ]
    assert results(call("staff_a", "get", "/api/v1/evidence/?year=2021&quarter=2")) == []


def test_commitments_and_indicators_of_a_year(call, world):
    commitments = call("staff_a", "get", "/api/v1/commitments/?year=2021").json()
    assert len(commitments) == 9  # the built-in catalogue's
    assert all(c["year"] == 2021 for c in commitments)
    indicators = call("staff_a", "get", "/api/v1/indicators/?year=2021").json()
    assert len(indicators) == 21
    assert {i["commitment"] for i in indicators} == {c["code"] for c in commitments}


def test_published_survey_results(call, world):
    from django.utils import timezone

    from surveys.models import DeskPublication

    DeskPublication.objects.create(
        unit=world["units"][A],
        year=2021,
        quarter=1,
        published_at=timezone.now(),
        snapshot={"responses": 10, "satisfied": 9},
    )
    rows = call("staff_b", "get", "/api/v1/survey-results/?year=2021").json()
    assert [(r["unit"], r["quarter"], r["snapshot"]["responses"]) for r in rows] == [(A, 1, 10)]
    assert call("staff_b", "get", "/api/v1/survey-results/?year=2020").json() == []
