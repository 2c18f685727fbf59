"""API tokens: a user creates and revokes their own on /api/tokens/ (shown once, stored
hashed, with an expiry), an admin creates one for any user in /admin/; each says when
it was last used."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
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
