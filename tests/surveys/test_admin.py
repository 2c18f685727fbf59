"""The survey in the admin: a questionnaire version that has answers is read-only and
replaced through "Tạo phiên bản mới"; one not yet answered is edited with its
questions; responses, kiosks and published quarters are read-only, and a response
shows no personal data."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from surveys import selectors
from surveys.models import Question, Questionnaire, Response
from tests.surveys.conftest import answer

MODELS = [m for m in admin.site._registry if m._meta.app_label == "surveys"]
WRITTEN_BY_THE_PAGES = {"Response", "Kiosk", "DeskPublication"}


def admin_url(model, view, *args):
    return reverse(f"admin:surveys_{model._meta.model_name}_{view}", args=args)


def test_every_survey_model_is_registered():
    assert {m.__name__ for m in MODELS} == {
        "Questionnaire",
        "Response",
        "Kiosk",
        "DeskPublication",
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_pages_open(admin_client, desks, model):
    answer(desks["desk"], 5)
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    expected = 403 if model.__name__ in WRITTEN_BY_THE_PAGES else 200
    assert admin_client.get(admin_url(model, "add")).status_code == expected


def change_data(questionnaire: Questionnaire, **question_text) -> dict:
    """The change form of a questionnaire as posted, a question's text replaced."""
    questions = list(questionnaire.questions.all())
    data = {
        "year": questionnaire.year,
        "version": questionnaire.version,
        "title": questionnaire.title,
        "title_en": questionnaire.title_en,
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for i, q in enumerate(questions):
        data |= {
            f"questions-{i}-id": q.pk,
            f"questions-{i}-questionnaire": questionnaire.pk,
            f"questions-{i}-position": q.position,
            f"questions-{i}-code": q.code,
            f"questions-{i}-kind": q.kind,
            f"questions-{i}-text": question_text.get(q.code, q.text),
            f"questions-{i}-text_en": q.text_en,
        }
    return data


def test_a_version_not_yet_answered_is_edited(admin_client, desks):
    questionnaire = Questionnaire.objects.get(year=2021)
    url = admin_url(Questionnaire, "change", questionnaire.pk)
    response = admin_client.post(url, change_data(questionnaire, staff="Thái độ của công chức"))
    assert response.status_code == 302
    assert questionnaire.questions.get(code="staff").text == "Thái độ của công chức"


def test_an_answered_version_is_read_only(admin_client, desks):
    answer(desks["desk"], 5)
    questionnaire = Questionnaire.objects.get(year=2021)
    url = admin_url(Questionnaire, "change", questionnaire.pk)
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="title"' not in html and 'name="questions-0-text"' not in html
    admin_client.post(url, change_data(questionnaire, staff="Đổi sau khi đã có phiếu"))
    assert questionnaire.questions.get(code="staff").text != "Đổi sau khi đã có phiếu"
    assert admin_client.get(admin_url(Questionnaire, "delete", questionnaire.pk)).status_code == 403
    bulk = admin_client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "delete_selected", "_selected_action": [questionnaire.pk], "post": "yes"},
    )
    assert bulk.status_code == 200  # the confirmation page names it as protected
    assert Questionnaire.objects.filter(pk=questionnaire.pk).exists()


def test_the_new_version_action_copies_the_questions(admin_client, desks):
    answer(desks["desk"], 5)
    questionnaire = Questionnaire.objects.get(year=2021)
    done = admin_client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "revise", "_selected_action": [questionnaire.pk]},
        follow=True,
    )
    copy = Questionnaire.objects.get(year=2021, version=2)
    assert [(q.code, q.kind, q.text) for q in copy.questions.all()] == [
        (q.code, q.kind, q.text) for q in questionnaire.questions.all()
    ]
    assert "Đã tạo phiên bản 2 của phiếu năm 2021" in done.content.decode()
    assert selectors.questionnaire_current(year=2021) == copy
    # The copy is editable; the answered version is still read-only.
    url = admin_url(Questionnaire, "change", copy.pk)
    admin_client.post(url, change_data(copy, staff="Công chức: thái độ, hướng dẫn"))
    assert copy.questions.get(code="staff").text == "Công chức: thái độ, hướng dẫn"
    assert questionnaire.questions.get(code="staff").text != "Công chức: thái độ, hướng dẫn"


def test_a_questionnaire_keeps_one_overall_question(admin_client, desks):
    questionnaire = Questionnaire.objects.get(year=2021)
    data = change_data(questionnaire)
    overall = next(
        i for i, q in enumerate(questionnaire.questions.all()) if q.kind == Question.Kind.OVERALL
    )
    data[f"questions-{overall}-kind"] = Question.Kind.ASPECT
    page = admin_client.post(admin_url(Questionnaire, "change", questionnaire.pk), data)
    assert page.status_code == 200
    assert "Phiếu khảo sát cần đúng một câu hỏi đánh giá chung." in page.content.decode()
    assert questionnaire.questions.filter(kind=Question.Kind.OVERALL).count() == 1


def test_a_response_is_shown_read_only_without_personal_data(admin_client, desks):
    response = answer(desks["desk"], 5, client_address="198.51.100.4", dossier_code="HS-7")
    stored = Response.objects.get(pk=response.pk)
    page = admin_client.get(admin_url(Response, "change", stored.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert stored.client_key not in html and stored.token not in html
    assert "HS-7" not in html
    assert 'name="overall"' not in html  # nothing to change
    assert admin_client.get(admin_url(Response, "delete", stored.pk)).status_code == 403
