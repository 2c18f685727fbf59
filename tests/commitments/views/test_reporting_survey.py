"""The figures a desk does not type: counted from the citizens' satisfaction survey
(``DataElement.source`` ``survey``), the report form shows them read-only with their
source, a save ignores whatever is posted for them, and a report is submitted and
approved without them. (Counting them: tests/surveys/.)

The desk's report and its people are conftest.py's ``units``, ``staff`` and
``director``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commitments import services
from commitments.models import AuditEntry, DataElement, Figure, QuarterlyReport, Status
from commitments.services.figures import FigureInput
from tests import factories
from tests.commitments.shortcuts import desk_figures, desk_report, report_post, report_url

SURVEYED = ("survey_responses", "survey_satisfied", "survey_published")
SOURCE_VI = "Từ khảo sát sự hài lòng của người dân"
SOURCE_EN = "From the citizens' satisfaction survey"


@pytest.fixture
def counted(units, django_capture_on_commit_callbacks):
    """The desk's Q2 survey figures, as the survey's tally and a publication write them:
    through the figure service, whose request recomputes what they touched."""
    figures = {"survey_responses": 120, "survey_satisfied": 111, "survey_published": 1}
    inputs = [
        FigureInput(
            where=code,
            year=2021,
            quarter=2,
            unit=units["desk"],
            element=DataElement.objects.get(code=code),
            category=None,
            value=value,
        )
        for code, value in figures.items()
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.figures.figures_save(inputs=inputs, action=AuditEntry.Action.COUNTED)
    return figures


def _cell(html: str, field: str) -> str:
    """The row of a figure on the page, from its label to the end of its value."""
    return html.split(f'id="id_{field}"', 1)[1].split("</td>", 1)[0]


def test_survey_figures_are_shown_with_their_source_never_as_inputs(client, staff, counted):
    client.force_login(staff)
    html = client.get(report_url()).content.decode()
    for field in SURVEYED:
        assert f'name="{field}"' not in html, field
    assert _cell(html, "survey_responses").endswith(">120")
    assert _cell(html, "survey_satisfied").endswith(">111")
    assert _cell(html, "survey_published").endswith(">Có")
    assert html.count(SOURCE_VI) == 3
    # The desk's own figures stay inputs.
    assert 'name="dossiers_resolved__land"' in html and 'name="epayment_applied"' in html
    client.cookies["django_language"] = "en"
    html = client.get(report_url()).content.decode()
    assert html.count(SOURCE_EN) == 3
    assert _cell(html, "survey_published").endswith(">Yes")


def test_a_survey_figure_not_counted_yet_shows_a_dash_not_last_quarters(client, staff, units):
    # survey_published is a "last" element: a typed one would start from Q1's value;
    # a counted one is the quarter's own or nothing.
    factories.figure(units["desk"], "survey_published", 1, quarter=1)
    client.force_login(staff)
    html = client.get(report_url()).content.decode()
    assert _cell(html, "survey_published").endswith(">—")
    assert _cell(html, "survey_responses").endswith(">—")


def test_a_forged_post_does_not_change_survey_figures(client, staff, units, counted):
    client.force_login(staff)
    response = report_post(
        client,
        "save",
        dossiers_resolved__land="50",
        survey_responses="9999",
        survey_satisfied="",  # an empty field would remove a typed figure
        survey_published="7",  # not even a flag: ignored, not refused
    )
    assert response.status_code == 302
    assert desk_figures(units) == {**counted, "dossiers_resolved": 50}


def test_a_forged_post_alone_changes_nothing_but_the_version(client, staff, units, counted):
    client.force_login(staff)
    assert (
        report_post(client, "save", survey_responses="1", survey_satisfied="1").status_code == 302
    )
    assert desk_figures(units) == counted
    assert desk_report(units).version == 1


def test_a_page_refused_for_another_field_shows_the_stored_survey_figures(client, staff, counted):
    client.force_login(staff)
    response = report_post(client, "save", dossiers_resolved__land="abc", survey_responses="5")
    assert response.status_code == 200
    html = response.content.decode()
    assert _cell(html, "survey_responses").endswith(">120")
    assert 'value="5"' not in html


def test_the_service_ignores_survey_values(staff, units, counted):
    report = desk_report(units)
    services.reports.report_save(
        report=report,
        values={
            ("survey_responses", None): "3",
            ("survey_satisfied", None): "",
            ("survey_published", None): "0",
            ("docs_issued", None): "12",
        },
        version=0,
        user=staff,
    )
    assert desk_figures(units) == {**counted, "docs_issued": 12}


def test_a_report_is_submitted_and_approved_without_survey_figures(client, staff, director, units):
    client.force_login(staff)
    assert report_post(client, "submit", dossiers_resolved__land="40").status_code == 302
    client.force_login(director)
    assert report_post(client, "approve").status_code == 302
    assert desk_report(units).state == QuarterlyReport.State.APPROVED
    assert not Figure.objects.filter(element__code__in=SURVEYED).exists()


def test_survey_figures_count_while_the_report_is_a_draft_and_after_approval(
    staff, director, units, counted, django_capture_on_commit_callbacks
):
    report = desk_report(units)
    with django_capture_on_commit_callbacks(execute=True):
        services.reports.report_save(
            report=report, values={("docs_issued", None): "3"}, version=0, user=staff
        )

    def satisfaction() -> tuple:
        row = Status.objects.get(
            indicator__code="4.1", unit=units["desk"], category="", year=2021, quarter=2
        )
        return (row.value.quantize(Decimal("0.01")), row.status)

    assert satisfaction() == (Decimal("92.50"), "met")  # 111 / 120, official in a draft
    with django_capture_on_commit_callbacks(execute=True):
        services.reports.report_submit(report=report, user=staff)
        services.reports.report_approve(report=report, user=director)
    assert satisfaction() == (Decimal("92.50"), "met")
    assert desk_figures(units) == {**counted, "docs_issued": 3}
