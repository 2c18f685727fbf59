"""Kiosk mode: a director of the desk (or of a unit above it) enrols a tablet, whose
browser then keeps a signed cookie naming the kiosk; the kiosk's answers are stored
with the kiosk channel, and after each one the form comes back fresh by itself; a
revoked kiosk's cookie no longer opens the form."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from surveys import services
from surveys.models import Kiosk, Response
from surveys.views import kiosk as kiosk_views
from tests import factories
from tests.surveys.views.conftest import answers, assert_csp_safe, send, token_of

pytestmark = pytest.mark.django_db


def url_of(unit, name="surveys:kiosk"):
    return reverse(name, args=[unit.code])


@pytest.fixture
def director(desks):
    """A director of the department, above both desks."""
    return factories.director("giam-doc", desks["department"])


@pytest.fixture
def tablet(client, desks, director):
    """A browser enrolled as the desk's kiosk "Quầy 1" by the director."""
    client.force_login(director)
    response = client.post(url_of(desks["desk"], "surveys:kiosk_enrol"), {"name": "Quầy 1"})
    assert response.status_code == 302
    return client


def test_a_director_enrols_this_browser_which_opens_the_kiosk_form(tablet, desks, director):
    device = Kiosk.objects.get()
    assert (device.unit, device.name, device.enrolled_by) == (desks["desk"], "Quầy 1", director)
    cookie = tablet.cookies[kiosk_views.COOKIE]
    assert cookie["max-age"] >= 365 * 24 * 3600 and cookie["httponly"]
    # The director is signed out of the tablet, which now serves citizens.
    assert "_auth_user_id" not in tablet.session
    page = tablet.get(url_of(desks["desk"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Máy tại quầy: Quầy 1" in html
    assert f'action="{url_of(desks["desk"])}"' in html


def test_the_enrolment_page_lists_the_desk_kiosks_with_revoke(client, desks, director):
    services.kiosk_enroll(unit=desks["desk"], name="Quầy 2", user=director)
    services.kiosk_enroll(unit=desks["other"], name="Quầy khác", user=director)
    client.force_login(director)
    html = client.get(url_of(desks["desk"], "surveys:kiosk_enrol")).content.decode()
    assert "Quầy 2" in html and "Quầy khác" not in html
    assert re.search(r'name="revoke" value="\d+">Thu hồi', html)


def test_a_nameless_kiosk_is_refused_with_a_message(client, desks, director):
    client.force_login(director)
    response = client.post(url_of(desks["desk"], "surveys:kiosk_enrol"), {"name": "  "})
    assert response.status_code == 200
    assert "Hãy đặt tên cho thiết bị." in response.content.decode()
    assert not Kiosk.objects.exists()
    assert kiosk_views.COOKIE not in response.cookies


def test_only_a_director_of_the_desk_or_above_enrols(client, desks):
    url = url_of(desks["desk"], "surveys:kiosk_enrol")
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(factories.staff("chuyen-vien", desks["desk"]))
    assert client.get(url).status_code == 403
    client.force_login(factories.director("lanh-dao-khac", desks["other"]))
    assert client.post(url, {"name": "Quầy 1"}).status_code == 403
    client.force_login(factories.director("lanh-dao-quay", desks["desk"]))
    assert client.get(url).status_code == 200
    assert not Kiosk.objects.exists()


def test_a_kiosk_answer_is_stored_with_its_channel_and_the_form_comes_back_fresh(tablet, desks):
    url = url_of(desks["desk"])
    first_token = token_of(tablet.get(url).content.decode())
    data = answers(first_token, overall=2, comment="Chờ hơi lâu")
    thanks = tablet.post(url, data)
    assert thanks["Location"] == url_of(desks["desk"], "surveys:kiosk_thanks")
    stored = Response.objects.get()
    assert (stored.channel, stored.kiosk.name, stored.overall) == ("kiosk", "Quầy 1", 2)
    assert stored.client_key == ""  # the kiosk speaks for everyone at the desk
    page = tablet.get(thanks["Location"])
    html = page.content.decode()
    assert f'<meta http-equiv="refresh" content="6;url={url}">' in html
    assert "Chờ hơi lâu" not in html
    fresh = tablet.get(url).content.decode()
    assert token_of(fresh) != first_token
    assert " checked" not in fresh and "Chờ hơi lâu" not in fresh
    assert "no-store" in tablet.get(url)["Cache-Control"]


def test_a_kiosk_form_left_alone_clears_itself(tablet, desks):
    html = tablet.get(url_of(desks["desk"])).content.decode()
    assert '<meta http-equiv="refresh" content="240">' in html


def test_the_next_citizen_starts_in_vietnamese(tablet, desks):
    tablet.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = url_of(desks["desk"])
    thanks = tablet.post(url, answers(token_of(tablet.get(url).content.decode())))
    page = tablet.get(thanks["Location"])
    assert "Thank you for your answers!" in page.content.decode()
    assert page.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    assert '<html lang="vi">' in tablet.get(url).content.decode()


def test_a_kiosk_is_not_limited_per_client_only_per_desk(tablet, desks, clock, settings):
    settings.SURVEY_RATE_CLIENT = "2/10m"
    settings.SURVEY_RATE_DESK = "4/m"
    for _ in range(4):
        assert send(tablet, url_of(desks["desk"])).status_code == 302
    assert send(tablet, url_of(desks["desk"])).status_code == 429
    assert Response.objects.filter(channel="kiosk").count() == 4


def test_a_revoked_kiosk_cookie_no_longer_opens_the_form(tablet, desks, director):
    url = url_of(desks["desk"])
    data = answers(token_of(tablet.get(url).content.decode()))
    services.kiosk_revoke(kiosk=Kiosk.objects.get())
    for response in (tablet.get(url), tablet.post(url, data)):
        assert response.status_code == 403
        assert "Máy này chưa được đăng ký làm máy khảo sát tại quầy" in response.content.decode()
    assert not Response.objects.exists()


def test_a_director_revokes_a_kiosk_from_the_enrolment_page(client, desks, director):
    device = services.kiosk_enroll(unit=desks["desk"], name="Quầy 3", user=director)
    client.force_login(director)
    url = url_of(desks["desk"], "surveys:kiosk_enrol")
    response = client.post(url, {"revoke": device.pk}, follow=True)
    assert "Đã thu hồi máy «Quầy 3»" in response.content.decode()
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert client.post(url, {"revoke": device.pk}).status_code == 404  # already revoked


def test_a_kiosk_cookie_opens_only_its_own_desk_and_cannot_be_forged(tablet, desks):
    assert tablet.get(url_of(desks["other"])).status_code == 403
    tablet.cookies[kiosk_views.COOKIE] = str(Kiosk.objects.get().pk)  # unsigned
    assert tablet.get(url_of(desks["desk"])).status_code == 403


def test_without_enrolment_the_kiosk_page_says_how(client, desks):
    response = client.get(url_of(desks["desk"]))
    assert response.status_code == 403
    html = response.content.decode()
    assert f'href="{url_of(desks["desk"], "surveys:kiosk_enrol")}"' in html
    assert_csp_safe(html)


def test_the_kiosk_pages_are_safe_under_the_content_security_policy(tablet, desks, director):
    url = url_of(desks["desk"])
    thanks = tablet.post(url, answers(token_of(tablet.get(url).content.decode())))
    for response in (tablet.get(url), tablet.get(thanks["Location"])):
        assert_csp_safe(response.content.decode())
    tablet.force_login(director)
    assert_csp_safe(tablet.get(url_of(desks["desk"], "surveys:kiosk_enrol")).content.decode())
