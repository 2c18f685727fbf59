"""Tokens: the page where a signed-in user creates and revokes their API tokens: a new token is
shown once (only its hash is kept), with its expiry; each token says when it was last
used; and over the API, a token created with the user's password (HTTP Basic, counted
by django-axes as a log-in) and the token in use revoked."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as io
from api.auth import PasswordAuthentication, TokenAuthentication
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


class TokenCreate(APIView):
    """A new token for the user whose name and password come by HTTP Basic (the only
    endpoint that takes them; a token cannot create another). Shown once; it lives
    ``days`` (default and most: ``API_TOKEN_DAYS``). Failed passwords count towards the
    log-in lockout."""

    authentication_classes = [PasswordAuthentication]

    @extend_schema(
        request=io.TokenRequestSerializer,
        responses={
            201: io.TokenCreatedSerializer,
            401: OpenApiResponse(description="Wrong user name or password"),
            429: OpenApiResponse(description="Locked out after too many failures"),
        },
    )
    def post(self, request):
        body = io.TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token, text = create_token(
            request.user, name=body.validated_data["name"], days=body.validated_data.get("days")
        )
        created = {
            "token": text,
            "token_key": token.token_key,
            "name": token.name,
            "expiry": token.expiry,
        }
        return Response(io.TokenCreatedSerializer(created).data, status=status.HTTP_201_CREATED)


class TokenCurrent(APIView):
    """The token this request is signed with: ``DELETE`` revokes it."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        ApiToken.objects.filter(pk=request.auth.pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
