"""The public survey of a desk (/s/<unit code>/): the form, its answers stored, the
thank-you page, the guards of the form (token, honeypot, dossier code), the errors in
the user's language, and the language switch."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

from surveys import services
from surveys.models import Answer, Response
from tests.surveys.views.conftest import ADDRESS, answers, assert_csp_safe, send, token_of

pytestmark = pytest.mark.django_db


def url_of(unit, name="surveys:survey"):
    return reverse(name, args=[unit.code])


def test_the_survey_lives_at_s_and_the_unit_code():
    assert reverse("surveys:survey", args=["sonn-vp"]) == "/s/sonn-vp/"


def test_the_form_of_a_receiving_desk_in_vietnamese(client, desks):
    response = client.get(url_of(desks["desk"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Bộ phận Một cửa" in html  # the desk's name
    assert "Sở Nông nghiệp và Phát triển nông thôn" in html  # the unit above it
    assert html.count("<fieldset") == 6 and html.count("<legend>") == 6
    assert html.count('type="radio"') == 30
    for label in ("Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng"):
        assert f"<span>{label}</span>" in html
    assert "Tiếp cận dịch vụ" in html and "Nhìn chung, Ông/Bà hài lòng" in html
    assert 'name="comment"' in html
    assert token_of(html)
    # The honeypot is in the form, hidden by the stylesheet, out of the tab order.
    assert re.search(r'<div class="trap" aria-hidden="true">.*?name="website"', html, re.S)
    assert 'tabindex="-1"' in html
    assert "Không lưu họ tên, số điện thoại hay địa chỉ IP." in html
    assert "giữ 30 ngày" in html and "Nghị định 13/2023/NĐ-CP" in html
    assert 'class="masthead"' in html and "Báo cáo quý" not in html  # no staff menu
    assert "no-store" in response["Cache-Control"]  # a token per view: never cached


def test_each_view_of_the_form_has_its_own_token(client, desks):
    first = token_of(client.get(url_of(desks["desk"])).content.decode())
    second = token_of(client.get(url_of(desks["desk"])).content.decode())
    assert first != second


@pytest.mark.parametrize("code", ["pkh", "khong-co"])
def test_a_unit_that_receives_no_dossiers_or_none_has_no_survey(client, desks, code):
    for name in ("surveys:survey", "surveys:thanks", "surveys:public_results", "surveys:qr"):
        assert client.get(reverse(name, args=[code])).status_code == 404


def test_the_dossier_code_of_a_receipt_is_carried_and_shown(client, desks):
    html = client.get(url_of(desks["desk"]), {"dossier": "000.00.12.H29-210315-0001"}).content
    html = html.decode()
    assert '<input type="hidden" name="dossier" value="000.00.12.H29-210315-0001">' in html
    assert '<strong class="code">000.00.12.H29-210315-0001</strong>' in html


def test_a_receipt_code_that_is_not_one_is_left_out_of_the_form(client, desks):
    html = client.get(url_of(desks["desk"]), {"dossier": "not a code " * 10}).content.decode()
    assert '<input type="hidden" name="dossier" value="">' in html or 'name="dossier"' not in html
    assert "not a code" not in html


def test_a_phone_form_does_not_clear_itself(client, desks):
    assert 'http-equiv="refresh"' not in client.get(url_of(desks["desk"])).content.decode()


def test_answers_are_stored_from_the_web_with_the_dossier_code(client, desks):
    desk = desks["desk"]
    page = client.get(url_of(desk), {"dossier": "HS-0001"}, REMOTE_ADDR=ADDRESS)
    data = answers(token_of(page.content.decode()), overall=4, aspects=3)
    data |= {"dossier": "HS-0001", "comment": "  Cán bộ hướng dẫn tận tình.  "}
    response = client.post(url_of(desk), data, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    assert response["Location"] == url_of(desk, "surveys:thanks")
    stored = Response.objects.get()
    assert (stored.unit, stored.channel, stored.dossier_code) == (desk, "web", "HS-0001")
    assert (stored.overall, stored.satisfied) == (4, True)
    assert stored.comment == "Cán bộ hướng dẫn tận tình."
    assert stored.comment_state == Response.Comment.PENDING
    assert stored.kiosk is None
    # The address is kept only as its keyed hash.
    assert stored.client_key == services.client_key(ADDRESS)
    assert ADDRESS not in stored.client_key
    scores = dict(Answer.objects.values_list("question__code", "score"))
    assert scores == {
        code: 3 for code in ("access", "procedure", "staff", "result", "feedback")
    } | {"overall": 4}


def test_the_thank_you_page_links_to_the_desk_results(client, desks):
    response = client.get(send(client, url_of(desks["desk"]))["Location"])
    html = response.content.decode()
    assert "Cảm ơn Ông/Bà đã đánh giá!" in html
    assert f'href="{url_of(desks["desk"], "surveys:public_results")}"' in html
    assert 'http-equiv="refresh"' not in html  # only a kiosk goes back by itself


def test_a_form_sent_twice_is_refused_and_stored_once(client, desks):
    url = url_of(desks["desk"])
    data = answers(token_of(client.get(url).content.decode()))
    assert client.post(url, data).status_code == 302
    again = client.post(url, data | {"q-overall": "1"})
    assert again.status_code == 409
    assert "Phiếu này đã được gửi. Cảm ơn Ông/Bà đã trả lời." in again.content.decode()
    assert Response.objects.get().overall == 5


def test_a_forged_token_is_refused_and_a_new_form_given(client, desks):
    url = url_of(desks["desk"])
    response = client.post(url, answers("forged:token"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phiếu không hợp lệ. Vui lòng mở lại phiếu." in html
    assert token_of(html) != "forged:token"
    assert html.count("checked") == 6  # the answers are kept
    assert not Response.objects.exists()


def test_a_form_left_open_too_long_is_refused_with_its_answers_kept(client, desks, monkeypatch):
    url = url_of(desks["desk"])
    data = answers(token_of(client.get(url).content.decode()))
    later = signing.time.time() + services.TOKEN_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    html = client.post(url, data).content.decode()
    assert "Phiếu đã mở quá lâu. Vui lòng trả lời lại trên phiếu mới." in html
    assert html.count("checked") == 6
    assert not Response.objects.exists()


def test_a_filled_honeypot_is_thanked_and_nothing_stored(client, desks):
    response = send(client, url_of(desks["desk"]), website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == url_of(desks["desk"], "surveys:thanks")
    assert not Response.objects.exists()


def test_unanswered_questions_are_named_beside_them_and_the_answers_kept(client, desks):
    url = url_of(desks["desk"])
    data = answers(token_of(client.get(url).content.decode()), comment="Chờ lâu")
    del data["q-staff"], data["q-overall"]
    data["q-result"] = "9"
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Response.objects.exists()
    assert re.search(
        r'id="q-staff" aria-describedby="q-staff-error">.*?'
        r'<p class="field-error" id="q-staff-error">Vui lòng chọn một mức đánh giá.</p>',
        html,
        re.S,
    )
    assert 'id="q-result-error">Chọn một mức từ 1 đến 5.</p>' in html
    assert 'id="q-overall-error">Vui lòng chọn một mức đánh giá.</p>' in html
    assert 'href="#q-staff">Câu 3</a>' in html  # the summary at the top links to each
    assert 'id="q-access-error"' not in html
    assert re.search(r'name="q-access" value="4" checked', html)
    assert ">Chờ lâu</textarea>" in html
    assert token_of(html)


def test_a_dossier_code_answered_before_at_the_desk_is_refused(client, desks):
    url = url_of(desks["desk"])
    assert send(client, url, dossier="HS-0001").status_code == 302
    response = send(client, url, dossier="HS-0001", overall=1)
    html = response.content.decode()
    assert "Hồ sơ HS-0001 đã được đánh giá tại bộ phận này." in html
    assert Response.objects.count() == 1
    # Another desk may be rated for the same dossier.
    assert send(client, url_of(desks["other"]), dossier="HS-0001").status_code == 302


def test_the_form_and_its_errors_in_english_with_the_language_cookie(client, desks):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = url_of(desks["desk"])
    data = answers(token_of(client.get(url).content.decode()))
    del data["q-access"]
    html = client.post(url, data).content.decode()
    assert '<html lang="en">' in html
    assert "Access to the service" in html
    assert "<span>Very satisfied</span>" in html and "<span>Very dissatisfied</span>" in html
    assert 'id="q-access-error">Please choose a level.</p>' in html
    assert "Send" in html
    assert "No name, phone number or IP address is kept." in html
    assert "Tiếp cận dịch vụ" not in html and "Rất hài lòng" not in html
    assert '<button name="language" value="vi" lang="vi">Tiếng Việt</button>' in html


def test_the_language_switch_comes_back_to_the_same_page(client, desks):
    url = url_of(desks["desk"]) + "?dossier=HS-7"
    html = client.get(url).content.decode()
    assert f'<input name="next" type="hidden" value="{url}">' in html
    assert '<button name="language" value="en" lang="en">English</button>' in html
    switched = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert switched["Location"] == url
    assert '<html lang="en">' in client.get(url).content.decode()


def test_the_public_pages_are_safe_under_the_content_security_policy(client, desks):
    desk = desks["desk"]
    pages = [
        client.get(url_of(desk)),
        client.post(url_of(desk), answers("forged")),
        client.get(url_of(desk, "surveys:thanks")),
        client.get(url_of(desk, "surveys:public_results")),
        client.get(url_of(desk, "surveys:kiosk")),
    ]
    for response in pages:
        assert "Content-Security-Policy" in response
        assert_csp_safe(response.content.decode())


def test_a_form_refused_by_the_csrf_check_says_why_in_the_reader_language(desks):
    strict = Client(enforce_csrf_checks=True)
    page = strict.post(url_of(desks["desk"]), {"token": "x"})
    assert page.status_code == 403
    assert "Trang đã hết hạn" in page.content.decode()
    strict.cookies["django_language"] = "en"
    assert "This page has expired" in strict.post(url_of(desks["desk"]), {}).content.decode()
    assert not Response.objects.exists()
