"""API tokens in the admin: an admin creates one for any user (shown once, in the
message after saving: only its hash is kept) and revokes any by deleting it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import get_digest_token
from knox.settings import CONSTANTS

from api.models import ApiToken


class TokenCreateForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "expiry"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expiry"].initial = timezone.now() + settings.REST_KNOX["TOKEN_TTL"]
        self.token = ""

    def save(self, commit=True):
        token = super().save(commit=False)
        token.digest, self.token = get_digest_token()
        token.token_key = self.token[: CONSTANTS.TOKEN_KEY_LENGTH]
        if commit:
            token.save()
        return token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "token_key", "created", "expiry", "last_used_at"]
    search_fields = ["user__username", "name", "token_key"]
    raw_id_fields = ["user"]
    readonly_fields = ["user", "token_key", "created", "last_used_at"]
    fields = ["user", "name", "token_key", "created", "expiry", "last_used_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TokenCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "name", "expiry"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            message = _("Mã mới (chỉ hiện một lần, hãy chép lại ngay): %(token)s")
            self.message_user(request, message % {"token": form.token}, messages.WARNING)
