"""Storing answers, counting a desk's figures from them, voiding, publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing

from commitments import selectors as commitments_selectors
from commitments.models import AuditEntry, Figure, QuarterlyReport, Status
from surveys import services
from surveys.models import Response
from tests import factories
from tests.surveys.conftest import IN_QUARTER, answer


def figures_of(unit, quarter=1):
    return dict(
        Figure.objects.filter(unit=unit, year=2021, quarter=quarter).values_list(
            "element__code", "value"
        )
    )


def status(indicator, unit, period="2021-Q1"):
    year, _, quarter = period.partition("-Q")
    return Status.objects.get(
        indicator__code=indicator,
        unit=unit,
        category="",
        year=int(year),
        quarter=int(quarter) if quarter else None,
    )


def test_a_response_is_satisfied_from_satisfied_up(desks):
    assert [answer(desks["desk"], overall).satisfied for overall in (1, 2, 3, 4, 5)] == [
        False,
        False,
        False,
        True,
        True,
    ]


def test_quarter_is_the_local_date_of_the_answer(desks):
    # 31 March 2021 at 20:00 UTC is 1 April 03:00 in Ho Chi Minh City: the second quarter.
    late = answer(desks["desk"], when=dt.datetime(2021, 3, 31, 20, tzinfo=dt.UTC))
    assert (late.year, late.quarter) == (2021, 2)


@pytest.mark.django_db(transaction=True)
def test_91_of_100_satisfied_meets_the_91_percent_target(desks):
    desk = desks["desk"]
    for i in range(100):
        answer(desk, 5 if i < 91 else 3)
    assert figures_of(desk) == {"survey_responses": 100, "survey_satisfied": 91}
    assert status("4.1", desk).status == "met"
    assert status("4.1", desk).value == 91


@pytest.mark.django_db(transaction=True)
def test_90_of_100_satisfied_misses_it(desks):
    desk = desks["desk"]
    for i in range(100):
        answer(desk, 4 if i < 90 else 2)
    assert figures_of(desk) == {"survey_responses": 100, "survey_satisfied": 90}
    assert status("4.1", desk).status == "not_met"


def test_figures_are_counted_per_desk_and_quarter(desks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer(desks["desk"], 5, quarter=1)
        answer(desks["desk"], 2, quarter=2)
        answer(desks["desk"], 5, quarter=2)
        answer(desks["other"], 4, quarter=2)
    assert figures_of(desks["desk"], 1) == {"survey_responses": 1, "survey_satisfied": 1}
    assert figures_of(desks["desk"], 2) == {"survey_responses": 2, "survey_satisfied": 1}
    assert figures_of(desks["other"], 2) == {"survey_responses": 1, "survey_satisfied": 1}
    assert not Response.objects.filter(tallied=False).exists()


def test_survey_figures_are_official_though_the_desk_report_is_a_draft(
    desks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        factories.report(desks["desk"], quarter=1)  # a draft
        answer(desks["desk"], 5)
    assert QuarterlyReport.objects.get(unit=desks["desk"], quarter=1).state == "draft"
    rows = commitments_selectors.engine_inputs.official_figure_rows({2021})
    official = {(r.unit_id, r.element) for r in rows.official}
    assert (desks["desk"].pk, "survey_responses") in official
    assert (desks["desk"].pk, "survey_satisfied") in official


def test_a_token_is_used_once(desks):
    token = services.form_token(unit=desks["desk"])
    answer(desks["desk"], token=token)
    with pytest.raises(services.SurveyRefused) as refused:
        answer(desks["desk"], token=token)
    assert refused.value.field == "form"
    assert Response.objects.count() == 1


def test_a_token_of_another_desk_or_forged_or_expired_is_refused(desks):
    with pytest.raises(services.SurveyRefused):
        answer(desks["desk"], token=services.form_token(unit=desks["other"]))
    with pytest.raises(services.SurveyRefused):
        answer(desks["desk"], token="forged:token")
    old = signing.dumps({"u": desks["desk"].pk, "n": "abc"}, salt=services.TOKEN_SALT)
    with pytest.raises(services.SurveyRefused):
        services._token_nonce(old + "x", desks["desk"])
    assert Response.objects.count() == 0


def test_an_expired_token_is_refused(desks, monkeypatch):
    token = services.form_token(unit=desks["desk"])
    monkeypatch.setattr(services, "TOKEN_MAX_AGE", dt.timedelta(seconds=-1))
    with pytest.raises(services.SurveyRefused, match="quá lâu"):
        answer(desks["desk"], token=token)


def test_one_response_per_dossier_code_per_desk(desks):
    answer(desks["desk"], dossier_code="000.00.12.H29-210315-0001")
    with pytest.raises(services.SurveyRefused) as refused:
        answer(desks["desk"], dossier_code="000.00.12.H29-210315-0001")
    assert refused.value.field == "dossier"
    # Another desk may be rated for the same code.
    answer(desks["other"], dossier_code="000.00.12.H29-210315-0001")
    assert Response.objects.count() == 2


def test_every_question_must_be_answered_on_the_scale(desks):
    scores = {code: 4 for code, *_ in services.DEFAULT_QUESTIONS}
    scores["staff"] = None
    scores["overall"] = 6
    with pytest.raises(services.SurveyRefused) as refused:
        services.response_submit(
            unit=desks["desk"],
            answers=services.Answers(scores=scores),
            channel="web",
            token=services.form_token(unit=desks["desk"]),
        )
    assert set(refused.value.errors) == {"staff", "overall"}
    assert Response.objects.count() == 0


def test_a_unit_that_receives_no_dossiers_has_no_survey(desks):
    with pytest.raises(services.SurveyRefused):
        answer(desks["division"])


def test_a_burst_from_one_sender_is_flagged(desks):
    flags = [answer(desks["desk"], client_address="203.0.113.9").flagged for _ in range(4)]
    assert flags == [False, False, True, True]
    other = answer(desks["desk"], client_address="203.0.113.10")
    assert not other.flagged
    # The address itself is never stored.
    assert not Response.objects.filter(client_key__contains="203.0.113").exists()


def test_paper_answers_are_typed_by_staff_without_a_token(desks):
    clerk = factories.staff("nhapphieu", desks["desk"])
    scores = {code: 5 for code, *_ in services.DEFAULT_QUESTIONS}
    response = services.response_submit(
        unit=desks["desk"],
        answers=services.Answers(scores=scores),
        channel=Response.Channel.PAPER,
        user=clerk,
        when=IN_QUARTER[1],
    )
    assert (response.channel, response.entered_by, response.token) == ("paper", clerk, None)


def test_void_needs_a_reason_and_the_response_stops_counting(
    desks, django_capture_on_commit_callbacks
):
    director = factories.director("giamdoc", desks["department"])
    with django_capture_on_commit_callbacks(execute=True):
        kept = answer(desks["desk"], 5)
        spam = answer(desks["desk"], 1)
    assert figures_of(desks["desk"]) == {"survey_responses": 2, "survey_satisfied": 1}
    with pytest.raises(services.SurveyRefused):
        services.response_void(response=spam, user=director, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.response_void(response=spam, user=director, reason="Gửi thử nghiệm")
    assert figures_of(desks["desk"]) == {"survey_responses": 1, "survey_satisfied": 1}
    entry = AuditEntry.objects.get(action="voided")
    assert (entry.user, entry.note, entry.unit) == (director, "Gửi thử nghiệm", desks["desk"])
    with pytest.raises(services.SurveyRefused):
        services.response_void(response=spam, user=director, reason="again")
    assert kept.pk != spam.pk


def test_publishing_a_desk_sets_6_2_and_keeps_a_snapshot(desks, django_capture_on_commit_callbacks):
    director = factories.director("giamdoc", desks["department"])
    with django_capture_on_commit_callbacks(execute=True):
        answer(desks["desk"], 5, comment="Cán bộ nhiệt tình")
        answer(desks["desk"], 3, aspects=2)
        answer(desks["other"], 5)
    response = Response.objects.get(comment__startswith="Cán bộ")
    services.comment_moderate(response=response, user=director, publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.desk_publish(unit=desks["desk"], year=2021, quarter=1, user=director)
    snapshot = publication.snapshot
    assert (snapshot["responses"], snapshot["satisfied"], snapshot["satisfied_share"]) == (
        2,
        1,
        "50.00",
    )
    staff_row = next(a for a in snapshot["aspects"] if a["code"] == "staff")
    assert (staff_row["mean"], staff_row["satisfied_share"]) == ("3.00", "50.00")
    assert [c["text"] for c in snapshot["comments"]] == ["Cán bộ nhiệt tình"]
    assert figures_of(desks["desk"])["survey_published"] == 1
    # One desk of two published: 6.2 is not met; both surveyed: 6.1 is.
    assert status("6.1", desks["department"]).status == "met"
    assert status("6.2", desks["department"]).status == "not_met"
    with django_capture_on_commit_callbacks(execute=True):
        services.desk_publish(unit=desks["other"], year=2021, quarter=1, user=director)
    assert status("6.2", desks["department"]).status == "met"


def test_a_quarter_without_valid_responses_is_not_published(desks):
    director = factories.director("giamdoc", desks["department"])
    with pytest.raises(services.PublishRefused):
        services.desk_publish(unit=desks["desk"], year=2021, quarter=1, user=director)


def test_keys_of_addresses_are_forgotten_after_30_days(desks):
    old = answer(desks["desk"], client_address="198.51.100.1")
    assert old.client_key
    assert services.client_keys_forget(now=old.submitted_at + dt.timedelta(days=29)) == 0
    assert services.client_keys_forget(now=old.submitted_at + dt.timedelta(days=31)) == 1
    old.refresh_from_db()
    assert old.client_key == ""


def test_a_questionnaire_with_answers_is_replaced_not_altered(desks):
    answer(desks["desk"])
    first = services.questionnaire_ensure(year=2021)
    second = services.questionnaire_revise(questionnaire=first)
    assert second.version == first.version + 1
    assert services.questionnaire_ensure(year=2021) == second
    assert [q.code for q in second.questions.all()] == [q.code for q in first.questions.all()]
