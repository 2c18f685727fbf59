"""Paper questionnaires typed by staff: stored as paper, in the quarter of the day the
paper was filled, each mistake named next to its field and nothing stored."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Response
from tests.surveys.conftest import answer

PAPER = reverse("surveys:paper_entry", args=["mot-cua"])


def filled(day="2021-05-20", **fields):
    """A complete paper form of ``day``: every aspect 4, overall 5."""
    data = {f"q_{code}": "4" for code, *_ in services.DEFAULT_QUESTIONS}
    data |= {"q_overall": "5", "filled_on": day, "dossier": "", "comment": ""}
    return data | fields


def test_staff_of_the_desk_type_a_paper_into_its_quarter(client, desks, people):
    client.force_login(people["staff"])
    page = client.get(PAPER)
    assert page.status_code == 200
    html = page.content.decode()
    for code, _kind, text, _en in services.DEFAULT_QUESTIONS:
        assert f'name="q_{code}"' in html and text in html
    assert html.count('type="radio"') == 5 * len(services.DEFAULT_QUESTIONS)
    done = client.post(PAPER, filled(dossier="HS-2021-77", comment="Phiếu giấy tốt"))
    assert done.status_code == 302
    assert done["Location"] == f"{PAPER}?on=2021-05-20"
    stored = Response.objects.get()
    assert (stored.channel, stored.year, stored.quarter) == ("paper", 2021, 2)
    assert (stored.overall, stored.satisfied, stored.dossier_code) == (5, True, "HS-2021-77")
    assert stored.entered_by == people["staff"]
    assert stored.token is None and stored.client_key == ""
    assert timezone.localtime(stored.submitted_at).date() == dt.date(2021, 5, 20)
    assert stored.comment_state == "pending"
    assert {a.question.code: a.score for a in stored.answers.select_related("question")} == {
        "access": 4,
        "procedure": 4,
        "staff": 4,
        "result": 4,
        "feedback": 4,
        "overall": 5,
    }
    after = client.get(done["Location"]).content.decode()
    assert f"Đã lưu phiếu giấy #{stored.pk}, tính vào Quý 2/2021." in after
    assert 'value="2021-05-20"' in after  # the next paper of the same day


def test_the_paper_is_marked_as_paper_on_the_desk_page(client, desks, people):
    client.force_login(people["staff"])
    client.post(PAPER, filled("2021-02-10"))
    page = client.get(reverse("surveys:desk_quarter", args=["mot-cua", 2021, 1]))
    assert '<span class="channel paper">Phiếu giấy</span>' in page.content.decode()


def test_a_director_above_the_desk_may_type_papers(client, desks, people):
    client.force_login(people["director"])
    assert client.post(PAPER, filled()).status_code == 302
    assert Response.objects.get().entered_by == people["director"]


@pytest.mark.parametrize("role", ["director_other", "staff_division", "director_elsewhere"])
def test_no_one_else_types_papers_for_the_desk(client, desks, people, role):
    client.force_login(people[role])
    assert client.get(PAPER).status_code == 404
    assert client.post(PAPER, filled()).status_code == 404
    assert not Response.objects.exists()


def test_a_unit_without_a_desk_has_no_paper_form(client, desks, people):
    client.force_login(people["director"])
    assert client.get(reverse("surveys:paper_entry", args=["pkh"])).status_code == 404


def errors_of(page) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in page.context["form"].errors.items()}


def test_each_question_unanswered_is_named(client, desks, people):
    client.force_login(people["staff"])
    data = filled()
    del data["q_staff"]
    data["q_overall"] = "9"
    page = client.post(PAPER, data)
    assert page.status_code == 400
    assert errors_of(page) == {
        "q_staff": ["Vui lòng chọn một mức đánh giá."],
        "q_overall": ["Chọn một mức từ 1 đến 5."],
    }
    html = page.content.decode()
    assert "Chưa lưu được phiếu" in html
    assert 'href="#id_q_staff"' in html  # the summary leads to the question
    assert re.search(r'name="q_access" value="4"[^>]*checked', html)  # what was typed stays
    assert not Response.objects.exists()


def test_a_day_in_the_future_is_refused(client, desks, people):
    client.force_login(people["staff"])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = client.post(PAPER, filled(tomorrow))
    assert errors_of(page) == {"filled_on": ["Ngày điền phiếu không được sau hôm nay."]}
    assert not Response.objects.exists()


def test_a_day_of_a_closed_quarter_is_refused(client, desks, people, settings):
    settings.REPORT_OPEN_QUARTERS = 4
    client.force_login(people["staff"])
    page = client.post(PAPER, filled("2021-05-20"))
    assert errors_of(page) == {
        "filled_on": ["Quý 2/2021 đã khóa: chỉ nhập phiếu của các quý còn mở."]
    }
    assert not Response.objects.exists()
    assert client.post(PAPER, filled(timezone.localdate().isoformat())).status_code == 302


def test_a_day_that_is_not_a_date_is_refused(client, desks, people):
    client.force_login(people["staff"])
    page = client.post(PAPER, filled("31/02/2021"))
    assert list(errors_of(page)) == ["filled_on"]


def test_a_dossier_already_rated_at_the_desk_is_named(client, desks, people):
    answer(desks["desk"], dossier_code="HS-1")
    client.force_login(people["staff"])
    page = client.post(PAPER, filled(dossier="HS-1"))
    assert page.status_code == 400
    assert errors_of(page) == {"dossier": ["Hồ sơ HS-1 đã được đánh giá tại bộ phận này."]}
    bad = client.post(PAPER, filled(dossier="HS 2"))
    assert list(errors_of(bad)) == ["dossier"]
    assert Response.objects.count() == 1


def test_todays_paper_is_stored_now(client, desks, people):
    client.force_login(people["staff"])
    before = timezone.now()
    client.post(PAPER, filled(timezone.localdate().isoformat()))
    stored = Response.objects.get()
    assert before <= stored.submitted_at <= timezone.now()
