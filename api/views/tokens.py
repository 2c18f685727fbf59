"""The page where a signed-in user creates and revokes their API tokens: a new token is
shown once (only its hash is kept), with its expiry; each token says when it was last
used."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.models import ApiToken
from api.services import create_token


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên (dùng cho hệ thống nào)"), max_length=100)
    days = forms.IntegerField(
        label=gettext_lazy("Hết hạn sau (ngày)"),
        min_value=1,
        max_value=settings.REST_KNOX["TOKEN_TTL"].days,
        initial=settings.REST_KNOX["TOKEN_TTL"].days,
    )


@login_required
def tokens(request):
    """The user's tokens; POST creates one (shown once on the page that answers)."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _token, created = create_token(
            request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )


@login_required
def token_revoke(request, key: str):
    """Revoke one of the user's own tokens (POST)."""
    if request.method != "POST":
        return redirect("api:tokens")
    token = get_object_or_404(ApiToken, user=request.user, token_key=key)
    token.delete()
    messages.success(request, _("Đã thu hồi mã truy cập."))
    return redirect("api:tokens")
