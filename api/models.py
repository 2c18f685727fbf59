"""The REST API's own records: the tokens people and systems sign in with, and the
answers to batches sent with an ``Idempotency-Key`` (so that a retry changes nothing)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox): only its hash is stored; it expires, and
    says when it was last used. Its owner or an admin creates and revokes it."""

    name = models.CharField(_("tên"), max_length=100, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = pgettext_lazy("plural", "mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user} · {self.name or self.token_key}"


class IdempotentRequest(models.Model):
    """A write the API answered, by the caller's ``Idempotency-Key``: a retry with the
    same key and body gets the same answer and writes nothing again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # The SHA-256 of the method, path and body: the same key with another body is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
