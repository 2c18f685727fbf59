"""The demo's season of citizens' answers (surveys/demo.py, loaded by
``commitments.demo.demo_load``): every desk-quarter's figures are the counts of its
valid answers, as many as the demo's table says, and the pages have channels,
dragging aspects, comments, voided answers and a burst to show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Avg

from commitments import demo_stnmt
from commitments.demo import SURVEY as DARD_SURVEY
from commitments.demo import demo_load
from commitments.models import AuditEntry, Figure
from surveys import selectors
from surveys.models import Answer, DeskPublication, Response
from tests.commitments.shortcuts import AFTER_2021

pytestmark = pytest.mark.django_db

# The desks of both demo departments: DARD's and STNMT's.
SURVEY = {**DARD_SURVEY, **demo_stnmt.SURVEY}


def _figures(year: int) -> dict[tuple[str, int, str], int]:
    return {
        (code, quarter, element): value
        for code, quarter, element, value in Figure.objects.filter(
            year=year, element__code__startswith="survey_"
        ).values_list("unit__code", "quarter", "element__code", "value")
    }


def _counts(year: int) -> dict[tuple[str, int], tuple[int, int]]:
    desks = {
        (unit_id, year, quarter)
        for unit_id, quarter in Response.objects.filter(year=year).values_list("unit_id", "quarter")
    }
    codes = dict(Response.objects.values_list("unit_id", "unit__code").distinct())
    return {
        (codes[unit_id], quarter): counted
        for (unit_id, _year, quarter), counted in selectors.desk_counts(desks=desks).items()
    }


def test_each_desk_quarter_has_the_answers_its_figures_count():
    demo_load(as_of=AFTER_2021)

    expected = {
        (code, quarter): season[quarter - 1]
        for code, season in SURVEY.items()
        for quarter in (1, 2, 3, 4)
    }
    assert _counts(2021) == expected
    figures = _figures(2021)
    for (code, quarter), (responses, satisfied) in expected.items():
        assert figures[(code, quarter, "survey_responses")] == responses, (code, quarter)
        assert figures[(code, quarter, "survey_satisfied")] == satisfied, (code, quarter)
        assert figures[(code, quarter, "survey_published")] == 1, (code, quarter)
    # Sent = stored = counted: nothing waits for the tally, every answer has its six.
    assert not Response.objects.filter(tallied=False).exists()
    assert Answer.objects.count() == 6 * Response.objects.count()
    published = {
        (p.unit.code, p.quarter): p.snapshot["responses"]
        for p in DeskPublication.objects.filter(year=2021).select_related("unit")
    }
    assert published == {key: responses for key, (responses, _) in expected.items()}


def test_the_season_has_channels_comments_voids_a_burst_and_a_dragging_aspect():
    demo_load(as_of=AFTER_2021)

    answers = Response.objects.filter(year=2021)
    assert set(answers.values_list("channel", flat=True)) == {"web", "kiosk", "paper"}
    assert answers.filter(channel="paper", unit__code="sonn-vp").first().entered_by.username == (
        "demo-staff"
    )
    assert answers.exclude(dossier_code="").exists()
    states = set(answers.exclude(comment="").values_list("comment_state", flat=True))
    assert {"published", "pending"} <= states
    # The published comments are on the desks' published pages.
    snapshot = DeskPublication.objects.get(unit__code="sonn-vp", year=2021, quarter=1).snapshot
    assert snapshot["comments"]
    voided = answers.filter(voided_at__isnull=False)
    assert sorted(voided.values_list("unit__code", "quarter")) == [("ccttbvtv", 2), ("sonn-vp", 1)]
    assert all(voided.values_list("void_reason", flat=True))
    assert AuditEntry.objects.filter(subject="survey", action="voided").count() == 2
    burst = answers.filter(flagged=True)
    assert sorted(burst.values_list("unit__code", "quarter")) == [("sonn-vp", 3)] * 2
    # Chi cục Chăn nuôi và Thú y's waiting room: its lowest aspect, by far.
    means = dict(
        Answer.objects.filter(response__in=answers.filter(unit__code="cccntty", quarter=1))
        .values_list("question__code")
        .annotate(mean=Avg("score"))
    )
    others = [mean for code, mean in means.items() if code not in ("access", "overall")]
    assert means["access"] < min(others) - 0.4


def test_a_second_load_writes_no_answer_and_publishes_nothing_again():
    demo_load(as_of=AFTER_2021)
    responses = sorted(Response.objects.values_list("pk", "tallied", "voided_at"))
    published = sorted(DeskPublication.objects.values_list("pk", "published_at"))
    audit = AuditEntry.objects.filter(subject="survey").count()

    demo_load(as_of=AFTER_2021)

    assert sorted(Response.objects.values_list("pk", "tallied", "voided_at")) == responses
    assert sorted(DeskPublication.objects.values_list("pk", "published_at")) == published
    assert AuditEntry.objects.filter(subject="survey").count() == audit


def test_the_current_year_replays_the_answers_of_the_quarters_that_have_ended():
    demo_load(as_of=dt.date(2026, 11, 27))

    expected = {
        (code, quarter): season[quarter - 1]
        for code, season in SURVEY.items()
        for quarter in (1, 2, 3)
    }
    assert _counts(2026) == expected
    figures = _figures(2026)
    # Desks that have not opened their Q3 report keep the counts of their citizens'
    # answers: those are not the desk's to report.
    for (code, quarter), (responses, satisfied) in expected.items():
        assert figures[(code, quarter, "survey_responses")] == responses, (code, quarter)
        assert figures[(code, quarter, "survey_satisfied")] == satisfied, (code, quarter)
        assert figures[(code, quarter, "survey_published")] == 1, (code, quarter)
    assert not Response.objects.filter(year=2026, quarter=4).exists()
