"""Creating an API token: one place for the tokens page, the ``api_token`` command and
``POST /api/v1/tokens/``; a token lives at most ``API_TOKEN_DAYS`` days."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from api.models import ApiToken


def max_token_days() -> int:
    return settings.REST_KNOX["TOKEN_TTL"].days


def create_token(user, *, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user`` (the token object and the token, shown once); ``days``
    defaults to, and must not exceed, ``API_TOKEN_DAYS``."""
    days = max_token_days() if days is None else days
    if not 1 <= days <= max_token_days():
        raise ValueError(f"days must be 1 to {max_token_days()}")
    return ApiToken.objects.create(user=user, expiry=dt.timedelta(days=days), name=name)
