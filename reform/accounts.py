"""Accounts: the password reset by email (quên mật khẩu), throttled so that the form
cannot be used to flood someone's mailbox."""

from __future__ import annotations

import logging

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_ratelimit.core import is_ratelimited

# Requests for a reset link, per hour. By client address: everyone in an office may
# share one address, and a reset is rare, so five leaves room for colleagues. By email
# address typed: one mailbox gets at most three links an hour, from however many
# addresses they are asked. Each counts in a fixed window of an hour (django-ratelimit).
logger = logging.getLogger(__name__)

RATE_PER_ADDRESS = "5/h"
RATE_PER_EMAIL = "3/h"


def typed_email(group: str, request: HttpRequest) -> str:
    """The email address typed on the form, as Django looks it up (case-insensitively)."""
    return request.POST.get("email", "").strip().lower()


LIMITS = (
    ("password_reset:address", "ip", RATE_PER_ADDRESS),
    ("password_reset:email", typed_email, RATE_PER_EMAIL),
)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, its email a text part and an HTML one; past either
    limit a POST is answered 429 with a page in the user's language and sends nothing.
    The client address is the one django-axes reads (``RATELIMIT_IP_META_KEY``).

    The limits are counted in the cache (Redis). While it cannot be reached nothing is
    sent, since it could not be throttled, and the page says to try again shortly
    (503), instead of an error page."""

    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    throttled_template_name = "registration/password_reset_throttled.html"
    unavailable_template_name = "registration/password_reset_unavailable.html"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            limited = [
                is_ratelimited(
                    request, group=group, key=key, rate=rate, method="POST", increment=True
                )
                for group, key, rate in LIMITS
            ]
        except Exception:  # the cache's client raises its own kinds of connection errors
            logger.exception("password reset: the throttle's cache cannot be reached")
            return TemplateResponse(request, self.unavailable_template_name, status=503)
        if any(limited):
            return TemplateResponse(request, self.throttled_template_name, status=429)
        return super().post(request, *args, **kwargs)
