"""API tokens: a user creates and revokes their own on /api/tokens/ (shown once, stored
hashed, with an expiry), an admin creates one for any user in /admin/; each says when
it was last used."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from tests import factories

pytestmark = pytest.mark.django_db


def _reads(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/units/").status_code


def test_a_user_creates_a_token_shown_once_and_stored_hashed(client):
    user = factories.user("chuyenvien")
    client.force_login(user)
    response = client.post("/api/tokens/", {"name": "một cửa", "days": "30"})
    assert response.status_code == 200
    token = re.search(r'<code id="new-token">([0-9a-f]{64})</code>', response.content.decode())[1]
    stored = ApiToken.objects.get(user=user)
    assert stored.name == "một cửa"
    assert token not in (stored.digest, stored.token_key)  # only a hash and a prefix
    assert 29 <= (stored.expiry - timezone.now()).days <= 30
    assert stored.last_used_at is None
    # Shown once: the list shows its first characters only.
    assert token not in client.get("/api/tokens/").content.decode()

    assert _reads(token) == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    assert (
        timezone.localtime(stored.last_used_at).strftime("%d/%m/%Y %H:%M")
        in client.get("/api/tokens/").content.decode()
    )


def test_a_token_lives_no_longer_than_the_settings_allow(client):
    client.force_login(factories.user("chuyenvien"))
    response = client.post("/api/tokens/", {"name": "x", "days": "100000"})
    assert "days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_own_token_and_no_one_elses(client):
    owner, other = factories.user("a"), factories.user("b")
    _, token = ApiToken.objects.create(user=owner, name="x")
    key = ApiToken.objects.get().token_key
    client.force_login(other)
    assert client.post(f"/api/tokens/{key}/revoke/").status_code == 404
    assert _reads(token) == 200
    client.force_login(owner)
    response = client.post(f"/api/tokens/{key}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert _reads(token) == 401


def test_the_tokens_page_needs_a_signed_in_user(client):
    assert client.get("/api/tokens/").status_code == 302


def test_an_admin_creates_a_token_for_any_user_in_the_admin(client):
    client.force_login(factories.superuser())
    user = factories.user("hethong-motcua")
    response = client.post(
        "/admin/api/apitoken/add/",
        {"user": user.pk, "name": "một cửa", "expiry_0": "01/01/2099", "expiry_1": "00:00:00"},
        follow=True,
    )
    assert response.status_code == 200
    text = " ".join(str(m) for m in get_messages(response.wsgi_request)) + response.content.decode()
    token = re.search(r"\b([0-9a-f]{64})\b", text)[1]
    assert ApiToken.objects.get().user == user
    assert _reads(token) == 200
    assert client.get("/admin/api/apitoken/").status_code == 200


def test_the_command_prints_a_token_that_reads(capsys):
    from django.core.management import call_command

    factories.user("hethong")
    call_command("api_token", "hethong", "--name", "một cửa", "--days", "7")
    token = capsys.readouterr().out.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    assert ApiToken.objects.get().name == "một cửa"
    assert _reads(token) == 200


# --- over the API: a token from the password, and the token in use revoked ----------

PASSWORD = "mat-khau-dai-1234"


def _basic(username: str, password: str) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    )
    return client


def test_a_user_creates_a_token_with_their_password_and_it_reads():
    user = factories.user("hethong", password=PASSWORD)
    response = _basic("hethong", PASSWORD).post(
        "/api/v1/tokens/", {"name": "một cửa", "days": 30}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    stored = ApiToken.objects.get(user=user)
    assert re.fullmatch(r"[0-9a-f]{64}", body["token"])
    assert body["token"] not in (stored.digest, stored.token_key)  # stored hashed
    assert body["token_key"] == stored.token_key and body["name"] == "một cửa"
    assert 29 <= (stored.expiry - timezone.now()).days <= 30
    assert _reads(body["token"]) == 200


def test_a_token_lives_at_most_the_settings_days_and_by_default_that_long(settings):
    factories.user("hethong", password=PASSWORD)
    client = _basic("hethong", PASSWORD)
    most = settings.REST_KNOX["TOKEN_TTL"].days
    refused = client.post("/api/v1/tokens/", {"days": most + 1}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["pointer"] == "/days"
    assert not ApiToken.objects.exists()
    assert client.post("/api/v1/tokens/", {}, format="json").status_code == 201
    assert most - 1 <= (ApiToken.objects.get().expiry - timezone.now()).days <= most


def test_a_wrong_password_a_token_or_an_inactive_user_creates_no_token():
    factories.user("hethong", password=PASSWORD)
    wrong = _basic("hethong", "sai").post("/api/v1/tokens/", {}, format="json")
    assert wrong.status_code == 401
    assert wrong["Content-Type"] == "application/problem+json"
    assert wrong["WWW-Authenticate"] == 'Basic realm="api"'
    # A token cannot create another: a leaked token must not outlive its expiry.
    _, token = ApiToken.objects.create(user=factories.user("khac"), name="x")
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert by_token.post("/api/v1/tokens/", {}, format="json").status_code == 401
    factories.user("nghiviec", password=PASSWORD, is_active=False)
    assert (
        _basic("nghiviec", PASSWORD).post("/api/v1/tokens/", {}, format="json").status_code == 401
    )
    assert ApiToken.objects.count() == 1
    # Only this endpoint takes a password.
    assert _basic("hethong", PASSWORD).get("/api/v1/units/").status_code == 401


def test_failed_passwords_lock_the_user_out_as_the_log_in_page_does(settings):
    settings.AXES_ENABLED = True
    assert settings.AXES_FAILURE_LIMIT == 5
    factories.user("hethong", password=PASSWORD)
    answers = [
        _basic("hethong", "sai").post("/api/v1/tokens/", {}, format="json").status_code
        for _ in range(5)
    ]
    assert answers == [401, 401, 401, 401, 429]
    locked = _basic("hethong", PASSWORD).post("/api/v1/tokens/", {}, format="json")
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/problem+json"
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert not ApiToken.objects.exists()
    # The same lock as the log-in page's: the page refuses the right password too.
    page = Client().post(reverse("login"), {"username": "hethong", "password": PASSWORD})
    assert page.status_code == 429


def test_a_success_resets_the_count_of_failures(settings):
    settings.AXES_ENABLED = True
    factories.user("hethong", password=PASSWORD)
    for _ in range(4):
        _basic("hethong", "sai").post("/api/v1/tokens/", {}, format="json")
    assert _basic("hethong", PASSWORD).post("/api/v1/tokens/", {}, format="json").status_code == 201
    for _ in range(4):
        _basic("hethong", "sai").post("/api/v1/tokens/", {}, format="json")
    assert _basic("hethong", PASSWORD).post("/api/v1/tokens/", {}, format="json").status_code == 201


def test_a_caller_revokes_the_token_it_signs_with_and_only_that_one():
    user = factories.user("hethong")
    _, kept = ApiToken.objects.create(user=user, name="giữ")
    _, revoked = ApiToken.objects.create(user=user, name="thu hồi")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {revoked}")
    assert client.delete("/api/v1/tokens/current/").status_code == 204
    assert _reads(revoked) == 401
    assert _reads(kept) == 200
    assert client.delete("/api/v1/tokens/current/").status_code == 401
