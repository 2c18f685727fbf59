"""A department's sheet of a year through the API: listed and read as the lines of its
file by those who see it, written by admins of targets as ``load_sheet --replace``
loads a file (all or nothing, each problem pointing at its line and column), and never
over published results."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from api.models import ApiToken
from commitments.models import Commitment, IndicatorDefinition, Publication, Sheet, Target
from tests import factories

pytestmark = pytest.mark.django_db

STNMT = Path(settings.BASE_DIR) / "commitments" / "data" / "stnmt-2021.csv"


def _lines() -> list[dict[str, str]]:
    """The sample sheet's rows as the API's lines: empty cells left out."""
    with STNMT.open(encoding="utf-8-sig") as handle:
        return [{k: v for k, v in row.items() if v} for row in csv.DictReader(handle)]


@pytest.fixture
def stnmt(catalogue):
    return factories.unit("stnmt", kind="department", name="Sở Tài nguyên và Môi trường")


def _client(user, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    _, token = ApiToken.objects.create(user=user, expiry=dt.timedelta(days=1), name="t")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def editor():
    return _client(factories.user("bientap", permissions=["change_target"]))


def test_an_admin_of_targets_puts_a_sheet_and_reads_it_back_the_same(stnmt, editor):
    response = editor.put("/api/v1/sheets/stnmt/2021/", {"lines": _lines()}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] is True
    assert body["sheet"]["department"] == "stnmt" and body["sheet"]["year"] == 2021
    assert (
        body["counts"]["commitments"] == Commitment.objects.filter(sheet__department=stnmt).count()
    )
    assert set(body["definitions_added"]) == {"online-share", "land-records-digitised"}
    target = Target.objects.get(indicator__sheet__department=stnmt, indicator__code="4.1")
    assert target.threshold == 90

    read = editor.get("/api/v1/sheets/stnmt/2021/").json()
    assert read["department"] == "stnmt" and read["common"] is False
    # What is read back loads to the same sheet: a second put writes nothing.
    again = editor.put("/api/v1/sheets/stnmt/2021/", {"lines": read["lines"]}, format="json")
    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["written"] == 0


def test_a_put_replaces_the_departments_sheet_of_the_year(stnmt, editor):
    editor.put("/api/v1/sheets/stnmt/2021/", {"lines": _lines()}, format="json")
    raised = [
        {**line, "threshold": "92"} if line.get("code") == "4.1" else line for line in _lines()
    ]
    response = editor.put("/api/v1/sheets/stnmt/2021/", {"lines": raised}, format="json")
    assert response.status_code == 200
    assert response.json()["written"] >= 1
    assert (
        Target.objects.get(indicator__sheet__department=stnmt, indicator__code="4.1").threshold
        == 92
    )
    assert Sheet.objects.filter(department=stnmt, year=2021).count() == 1


def test_one_bad_line_writes_nothing_and_each_problem_points_at_its_line(stnmt, editor):
    lines = _lines()
    lines[-1] = {**lines[-1], "comparator": "<="}
    lines.append({"type": "indicator", "code": "9.9", "commitment": "99", "threshold": "x"})
    response = editor.put("/api/v1/sheets/stnmt/2021/", {"lines": lines}, format="json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    pointers = {error["pointer"] for error in response.json()["errors"]}
    last = len(lines) - 1
    assert f"/lines/{last - 1}/comparator" in pointers
    assert any(p.startswith(f"/lines/{last}/") for p in pointers)
    assert all(
        e["detail"] and not e["detail"].startswith("line ") for e in response.json()["errors"]
    )
    assert not Sheet.objects.filter(department=stnmt).exists()
    assert not IndicatorDefinition.objects.filter(code="online-share").exists()


def test_the_reasons_come_in_the_callers_language(stnmt):
    user = factories.user("bientap", permissions=["change_target"])
    lines = [
        {**line, "comparator": "<="} if line.get("code") == "4.1" else line for line in _lines()
    ]
    english = _client(user, "en").put("/api/v1/sheets/stnmt/2021/", {"lines": lines}, format="json")
    vietnamese = _client(user, "vi").put(
        "/api/v1/sheets/stnmt/2021/", {"lines": lines}, format="json"
    )
    assert "is not a comparator" in english.json()["errors"][0]["detail"]
    assert "is not a comparator" not in vietnamese.json()["errors"][0]["detail"]
    assert english.json()["errors"][0]["pointer"] == vietnamese.json()["errors"][0]["pointer"]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "/lines"),
        ({"lines": []}, "/lines"),
        ({"lines": ["commitment,4"]}, "/lines/0"),
        ({"lines": [{"type": "commitment", "colour": "red"}]}, "/lines/0/colour"),
        ({"lines": [{"type": "commitment", "code": ["4"]}]}, "/lines/0/code"),
        ({"lines": [{"type": "commitment", "code": True}]}, "/lines/0/code"),
    ],
)
def test_a_body_that_is_not_lines_of_the_file_is_refused(stnmt, editor, body, pointer):
    response = editor.put("/api/v1/sheets/stnmt/2021/", body, format="json")
    assert response.status_code == 422
    assert pointer in {error["pointer"] for error in response.json()["errors"]}
    assert not Sheet.objects.filter(department=stnmt).exists()


def test_published_results_keep_their_sheet(stnmt, editor):
    editor.put("/api/v1/sheets/stnmt/2021/", {"lines": _lines()}, format="json")
    Publication.objects.create(
        unit=stnmt, year=2021, quarter=2, published_at=dt.datetime(2021, 7, 20, tzinfo=dt.UTC)
    )
    raised = [
        {**line, "threshold": "92"} if line.get("code") == "4.1" else line for line in _lines()
    ]
    response = editor.put("/api/v1/sheets/stnmt/2021/", {"lines": raised}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "pointer": "/",
            "detail": "the results of 2021 of stnmt have been published (2021-Q2): a "
            "published sheet cannot be changed",
        }
    ]
    assert (
        Target.objects.get(indicator__sheet__department=stnmt, indicator__code="4.1").threshold
        == 90
    )


def test_only_admins_of_targets_write_and_only_departments_have_sheets(stnmt, editor):
    director = _client(factories.director("giamdoc", stnmt))
    refused = director.put("/api/v1/sheets/stnmt/2021/", {"lines": _lines()}, format="json")
    assert refused.status_code == 403
    assert not Sheet.objects.filter(department=stnmt).exists()
    below = factories.unit("stnmt-vp", parent=stnmt)
    assert (
        editor.put(
            f"/api/v1/sheets/{below.code}/2021/", {"lines": _lines()}, format="json"
        ).status_code
        == 404
    )
    assert (
        editor.put("/api/v1/sheets/khong-co/2021/", {"lines": _lines()}, format="json").status_code
        == 404
    )


def test_the_list_and_a_sheet_are_read_as_on_the_sheets_page(stnmt, editor):
    other = factories.unit("sonn", kind="department", name="Sở Nông nghiệp")
    editor.put("/api/v1/sheets/stnmt/2021/", {"lines": _lines()}, format="json")
    # The common sheet of 2021 (the catalogue's) applies to a department with none of its own.
    common = Sheet.objects.get(department__isnull=True, year=2021)
    listed = editor.get("/api/v1/sheets/?year=2021").json()
    assert {(s["department"], s["year"]) for s in listed} == {("stnmt", 2021), (None, 2021)}
    assert editor.get("/api/v1/sheets/?year=2020").json() == []

    director = _client(factories.director("giamdoc", other))
    assert [s["id"] for s in director.get("/api/v1/sheets/").json()] == [common.pk]
    read = director.get("/api/v1/sheets/sonn/2021/")
    assert read.status_code == 200 and read.json()["common"] is True
    # A director of one department never reads another's sheet.
    assert director.get("/api/v1/sheets/stnmt/2021/").status_code == 404
    assert editor.get("/api/v1/sheets/stnmt/2030/").status_code == 404
