"""Accounts and security: log-in throttling, password reset by email and its throttle,
session expiry, the Content Security Policy and CSRF on the login form."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dung-123"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED_VI = "Tài khoản tạm thời bị khoá vì đăng nhập sai quá nhiều lần (5 lần). Vui lòng thử lại sau 30 phút."
LOCKED_EN = (
    "Account temporarily locked: too many failed log-in attempts (5). Please try again in 30 min."
)
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


@pytest.fixture
def axes(settings):
    """django-axes as in production (the test run switches it off: pyproject.toml)."""
    settings.AXES_ENABLED = True
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME


@pytest.fixture
def director(db):
    return factories.user("giam-doc", email="giamdoc@example.invalid", password=PASSWORD)


def _log_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _fail(client: Client, times: int, username: str = "giam-doc"):
    return [_log_in(client, username, "sai-mat-khau") for _ in range(times)]


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- lockout -------------------------------------------------------------------------


def test_four_failures_are_only_refused_the_fifth_locks_in_vietnamese(client, axes, director):
    *first, fifth = _fail(client, 5)
    for response in first:
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    assert fifth.status_code == 429
    html = fifth.content.decode()
    assert LOCKED_VI in html
    assert '<html lang="vi">' in html
    assert WRONG not in html


def test_lockout_message_in_english_with_the_language_cookie(client, axes, director):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fifth = _fail(client, 5)[-1]
    assert fifth.status_code == 429
    html = fifth.content.decode()
    assert LOCKED_EN in html
    assert "Tài khoản" not in html


def test_a_locked_user_cannot_log_in_even_with_the_right_password(client, axes, director):
    _fail(client, 5)
    response = _log_in(client, "giam-doc", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_VI in response.content.decode()
    assert not _logged_in(client)
    assert (
        client.get(reverse("commitments:dashboard")).status_code == 302
    )  # still sent to the login


def test_the_lock_lifts_after_the_cool_off(client, axes, director):
    _fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    response = _log_in(client, "giam-doc", PASSWORD)
    assert response.status_code == 302
    assert _logged_in(client)


def test_trying_again_while_locked_does_not_prolong_the_lock(client, axes, director):
    _fail(client, 5)
    locked_at = timezone.now() - dt.timedelta(minutes=29)
    AccessAttempt.objects.update(attempt_time=locked_at)
    assert _fail(client, 1)[0].status_code == 429  # still locked a minute before the end
    assert _log_in(client, "giam-doc", PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().attempt_time == locked_at
    AccessAttempt.objects.update(attempt_time=locked_at - dt.timedelta(minutes=2))
    assert _log_in(client, "giam-doc", PASSWORD).status_code == 302


def test_the_lock_is_per_user_not_the_whole_office(client, axes, director):
    """Everyone in a department shares one address; one person's typos lock only them."""
    factories.user("chuyen-vien", password=PASSWORD)
    _fail(client, 5)
    response = _log_in(client, "chuyen-vien", PASSWORD)
    assert response.status_code == 302
    assert _logged_in(client)


def test_a_success_resets_the_count(client, axes, director):
    _fail(client, 4)
    assert _log_in(client, "giam-doc", PASSWORD).status_code == 302
    client.logout()
    responses = _fail(client, 4)
    assert all(r.status_code == 200 for r in responses)
    assert _log_in(client, "giam-doc", PASSWORD).status_code == 302


# --- password reset --------------------------------------------------------------------


def test_login_page_links_to_the_password_reset(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html
    assert "Quên mật khẩu?" in html


def test_password_reset_sends_one_vietnamese_email_whose_link_sets_a_new_password(
    client, axes, director, mailoutbox
):
    response = client.post(reverse("password_reset"), {"email": "giamdoc@example.invalid"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert "Đã gửi email" in client.get(response.url).content.decode()

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["giamdoc@example.invalid"]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.subject == "Đặt lại mật khẩu · Chỉ tiêu cải cách hành chính"
    assert "Xin chào giam-doc," in email.body
    assert "<" not in email.body  # the text part is plain text
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "Xin chào giam-doc," in html and "Đặt mật khẩu mới</a>" in html

    text_link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body)[1]
    assert f'href="http://testserver{text_link}"' in html  # both parts carry the same link

    response = client.get(text_link)  # Django moves the token to the session, then
    form = client.get(response.url)  # the set-password form
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()
    assert "Đặt mật khẩu mới" in form.content.decode()

    done = client.post(
        response.url, {"new_password1": "Mua-xuan-2026!", "new_password2": "Mua-xuan-2026!"}
    )
    assert done.url == reverse("password_reset_complete")
    assert "Đã đổi mật khẩu" in client.get(done.url).content.decode()
    assert _log_in(client, "giam-doc", "Mua-xuan-2026!").status_code == 302


def test_password_reset_email_in_english_for_an_english_reader(client, director, mailoutbox):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("password_reset"), {"email": "giamdoc@example.invalid"})
    [email] = mailoutbox
    assert email.subject == "Password reset · Administrative reform indicators"
    assert "Hello giam-doc," in email.body
    assert "Set a new password</a>" in email.alternatives[0][0]


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, director, mailoutbox
):
    response = client.post(reverse("password_reset"), {"email": "ai-do@example.invalid"})
    assert response.url == reverse("password_reset_done")  # no hint whether it exists
    assert mailoutbox == []


def test_a_used_reset_link_is_refused(client, director, mailoutbox):
    client.post(reverse("password_reset"), {"email": "giamdoc@example.invalid"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mailoutbox[0].body)[1]
    director.set_password("doi-roi-456")
    director.save()  # a changed password invalidates the token
    page = client.get(link, follow=True).content.decode()
    assert "Đường dẫn đặt lại mật khẩu không còn dùng được" in page
    assert 'name="new_password1"' not in page


# --- sessions --------------------------------------------------------------------------


def test_the_session_lasts_a_working_day_and_ends_with_the_browser(client, director):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    response = _log_in(client, "giam-doc", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60


# --- Content Security Policy -------------------------------------------------------------


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


@pytest.mark.parametrize("url", ["login", "password_reset"])
def test_anonymous_pages_carry_the_policy(client, url):
    assert _policy(client.get(reverse(url))) == POLICY


def test_the_lockout_page_carries_the_policy(client, axes, director):
    assert _policy(_fail(client, 5)[-1]) == POLICY


def test_logged_in_pages_and_the_admin_carry_the_policy(client, catalogue):
    admin = factories.superuser("quan-tri", password=PASSWORD)
    client.force_login(admin)
    pages = (
        "commitments:dashboard",
        "commitments:targets",
        "admin:index",
        "admin:axes_accessattempt_changelist",
    )
    for url in map(reverse, pages):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _policy(response) == POLICY, url


def test_no_template_has_an_inline_script_style_or_handler():
    """The policy has no 'unsafe-inline': such markup would be silently blocked."""
    offenders = []
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        inline_script = re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text)
        if inline_script or re.search(r"<style|\sstyle=|\son[a-z]+=", text):
            offenders.append(path.name)
    assert offenders == []


# --- CSRF ----------------------------------------------------------------------------------


def test_login_form_refuses_a_post_without_the_csrf_token(director):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "giam-doc", "password": PASSWORD})
    assert response.status_code == 403
    assert not _logged_in(client)


def test_login_form_accepts_the_same_post_with_its_token(director):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("login"),
        {"username": "giam-doc", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="giam-doc").last_login is not None


# --- password reset throttle ----------------------------------------------------------------

THROTTLED_VI = "Có quá nhiều yêu cầu đặt lại mật khẩu nên lần này không gửi email."


@pytest.fixture(autouse=True)
def _nothing_counted_yet():
    """The reset throttle counts in the cache: every test starts with nothing counted."""
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """django-ratelimit's clock, held still (its hourly windows would otherwise end at some
    moment, perhaps mid-test) and moved on by hand: ``clock[0] += 3600``."""
    now = [1_767_225_600.0]  # 2026-01-01 00:00 UTC
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def _reset(client: Client, email: str, address: str = "203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_the_sixth_request_from_one_address_within_the_hour_is_refused_and_sends_nothing(
    client, clock, director, mailoutbox
):
    for n in range(5):  # five different mailboxes: only the address limit can apply
        assert _reset(client, f"nguoi-{n}@example.invalid").status_code == 302
    sixth = _reset(client, "giamdoc@example.invalid")
    assert sixth.status_code == 429
    assert THROTTLED_VI in sixth.content.decode()
    assert mailoutbox == []


def test_another_address_may_still_ask_while_one_is_throttled(client, clock, director, mailoutbox):
    for n in range(6):
        _reset(client, f"nguoi-{n}@example.invalid")
    response = _reset(client, "giamdoc@example.invalid", address="198.51.100.20")
    assert response.status_code == 302
    assert [email.to for email in mailoutbox] == [["giamdoc@example.invalid"]]


def test_one_mailbox_gets_three_links_an_hour_however_it_is_spelt_and_wherever_from(
    client, clock, director, mailoutbox
):
    for n in range(3):
        assert _reset(client, "giamdoc@example.invalid", f"198.51.100.{n}").status_code == 302
    fourth = _reset(client, " GiamDoc@Example.INVALID ", "198.51.100.3")
    assert fourth.status_code == 429
    assert len(mailoutbox) == 3
    # The same address may still ask for another mailbox.
    factories.user("chuyen-vien", email="cv@example.invalid", password=PASSWORD)
    assert _reset(client, "cv@example.invalid", "198.51.100.3").status_code == 302
    assert len(mailoutbox) == 4


def test_the_limit_lifts_when_the_hour_is_over(client, clock, director, mailoutbox):
    for n in range(3):
        _reset(client, "giamdoc@example.invalid", f"198.51.100.{n}")
    assert _reset(client, "giamdoc@example.invalid").status_code == 429
    clock[0] += 60 * 60
    assert _reset(client, "giamdoc@example.invalid").status_code == 302
    assert len(mailoutbox) == 4


def test_showing_the_form_is_never_limited(client, clock):
    for n in range(6):
        _reset(client, f"nguoi-{n}@example.invalid")
    for _ in range(10):
        response = client.get(reverse("password_reset"), REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 200
        assert 'name="email"' in response.content.decode()


def test_the_throttled_page_in_vietnamese(client, clock):
    for n in range(6):
        response = _reset(client, f"nguoi-{n}@example.invalid")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert THROTTLED_VI in html
    assert f'href="{reverse("login")}">Về trang đăng nhập</a>' in html
    assert _policy(response) == POLICY


def test_the_throttled_page_in_english_with_the_language_cookie(client, clock):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for n in range(6):
        response = _reset(client, f"nguoi-{n}@example.invalid")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="en">' in html
    # Strings already in the English catalogue; the new message follows when it is.
    assert "<h1>Forgotten password</h1>" in html
    assert f'href="{reverse("login")}">Back to the log-in page</a>' in html


def test_password_reset_while_the_cache_is_down_is_a_clear_page_and_sends_nothing(
    client, director, settings, mailoutbox
):
    # A Redis nobody listens on: every cache operation fails to connect.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = client.post(reverse("password_reset"), {"email": "giamdoc@example.invalid"})
    assert response.status_code == 503
    assert "tạm thời gián đoạn" in response.content.decode()
    assert mailoutbox == []
