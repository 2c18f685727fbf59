"""Signing in to the API with a token (django-rest-knox), noting when it was last used."""

from __future__ import annotations

import datetime as dt

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

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


LOCKED_OUT = _("Đăng nhập sai quá nhiều lần: tài khoản tạm khóa từ địa chỉ này, hãy thử lại sau.")


class PasswordAuthentication(BasicAuthentication):
    """HTTP Basic (a user name and password), accepted only where a token is created
    (``POST /api/v1/tokens/``). Through ``authenticate(request=…)``, as the log-in page:
    django-axes counts each failure and refuses a locked-out user name from that
    address, here with 429 and ``Retry-After`` (the cool-off); a success is a log-in
    (``user_logged_in``: the count of failures reset, the time noted)."""

    www_authenticate_realm = "api"

    def authenticate_credentials(self, userid, password, request=None):
        try:
            user, auth = super().authenticate_credentials(userid, password, request)
        except AxesBackendPermissionDenied:
            raise _locked_out() from None
        except exceptions.AuthenticationFailed:
            # The failure that reaches the limit locks at once, as on the log-in page.
            if getattr(request, "axes_locked_out", False):
                raise _locked_out() from None
            raise
        user_logged_in.send(sender=type(user), request=request, user=user)
        return user, auth


def _locked_out() -> exceptions.Throttled:
    wait = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return exceptions.Throttled(wait=wait, detail=str(LOCKED_OUT))


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


class PasswordScheme(OpenApiAuthenticationExtension):
    """HTTP Basic in the OpenAPI schema, on ``POST /api/v1/tokens/`` only."""

    target_class = "api.auth.PasswordAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}
