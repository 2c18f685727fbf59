"""Accounts: the password reset by email (quên mật khẩu), throttled so that the form
cannot be used to flood someone's mailbox."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

# Requests for a reset link, per hour. By client address: everyone in an office may
# share one address, and a reset is rare, so five leaves room for colleagues. By email
# address typed: one mailbox gets at most three links an hour, from however many
# addresses they are asked. Each counts in a fixed window of an hour (django-ratelimit).
RATE_PER_ADDRESS = "5/h"
RATE_PER_EMAIL = "3/h"


def typed_email(group: str, request: HttpRequest) -> str:
    """The email address typed on the form, as Django looks it up (case-insensitively)."""
    return request.POST.get("email", "").strip().lower()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, its email a text part and an HTML one; past either
    limit a POST is answered 429 with a page in the user's language and sends nothing.
    The client address is the one django-axes reads (``RATELIMIT_IP_META_KEY``)."""

    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    throttled_template_name = "registration/password_reset_throttled.html"

    @method_decorator(
        ratelimit(
            group="password_reset:address",
            key="ip",
            rate=RATE_PER_ADDRESS,
            method="POST",
            block=False,
        )
    )
    @method_decorator(
        ratelimit(
            group="password_reset:email",
            key=typed_email,
            rate=RATE_PER_EMAIL,
            method="POST",
            block=False,
        )
    )
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.limited:
            return TemplateResponse(request, self.throttled_template_name, status=429)
        return super().post(request, *args, **kwargs)
