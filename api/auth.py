"""Signing in to the API with a token (django-rest-knox), noting when it was last used."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

# A token's last use is written at most once a minute: not one write per request.
LAST_USED_STEP = dt.timedelta(minutes=1)


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <token>``: the token's user, and the token (its last use
    noted)."""

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema: ``Authorization: Token <token>``."""

    target_class = "api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <token> (created on /api/tokens/).",
        }
