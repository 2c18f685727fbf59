"""The year of an indicator judged by quarter in the documents a director signs: the
XLSX, the printed report and the published results name the quarters that failed
(the demo's 2021: 4 units inspected without notice in Q3 against 5 a quarter)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commitments import services
from commitments.models import Unit


@pytest.fixture
def demo(demo_after_2021, db):
    """The demo, loaded once for the module (every test reads it)."""


@pytest.fixture
def director(client, admin):
    """A superuser's client: the documents hold every unit."""
    client.force_login(admin)
    return client


WHY_VI = "Không đạt ở quý 3; thấp nhất quý 3: 4, mục tiêu ≥ 5."
WHY_EN = "Not met in Q3; the lowest, Q3: 4, target ≥ 5."


def test_the_xlsx_names_the_quarter_that_failed(director, demo):
    response = director.get(reverse("commitments:report_xlsx"), {"year": 2021, "quarter": 0})
    book = load_workbook(io.BytesIO(response.content))
    row = next(r for r in book["sonn · Cam kết 3"].iter_rows(values_only=True) if r[0] == "3.2")
    assert row[6] == f"Không đạt — {WHY_VI}"


def test_the_print_names_the_quarter_that_failed_in_both_languages(director, demo):
    url = reverse("commitments:report_print")
    assert WHY_VI in director.get(url, {"year": 2021, "quarter": 0}).content.decode()
    director.cookies["django_language"] = "en"
    assert WHY_EN in director.get(url, {"year": 2021, "quarter": 0}).content.decode()


def test_the_published_year_names_the_quarter_that_failed(client, admin, demo):
    department = Unit.objects.get(code="sonn")
    services.publishing.results_publish(
        department=department, year=2021, quarter=0, user=admin, note="Công bố cả năm"
    )
    query = {"unit": department.code, "year": 2021, "quarter": 0}
    html = client.get(reverse("commitments:results"), query).content
    assert WHY_VI in html.decode()
