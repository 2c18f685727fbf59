"""``Idempotency-Key``: a write retried with the same key (and the same body) gets the
first answer again and changes nothing; the same key with another body is refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from api.models import IdempotentRequest
from api.problems import Refused

HEADER = "Idempotency-Key"
KEY_REUSED = _("Khóa Idempotency-Key này đã dùng cho một yêu cầu khác.")
KEY_TOO_LONG = _("Khóa Idempotency-Key dài tối đa 255 ký tự.")


def once(request, write: Callable[[], Response]) -> Response:
    """Run ``write`` (its answer is a ``Response``), once per key: its answer is kept
    with the write, in the same transaction, and a retry gets it back."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return write()
    if len(key) > 255:
        raise Refused(KEY_TOO_LONG, status_code=400)
    body = json.dumps(request.data, sort_keys=True, default=str)
    fingerprint = hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()
    stored = _stored(request.user, key, fingerprint)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            response = write()
            if response.status_code < 300:
                IdempotentRequest.objects.create(
                    user=request.user,
                    key=key,
                    fingerprint=fingerprint,
                    status=response.status_code,
                    body=response.data,
                )
    except IntegrityError:
        # The same key sent twice at once: the other one wrote; answer as it did.
        stored = _stored(request.user, key, fingerprint)
        if stored is None:
            raise
        return stored
    return response


def _stored(user, key: str, fingerprint: str) -> Response | None:
    found = IdempotentRequest.objects.filter(user=user, key=key).first()
    if found is None:
        return None
    if found.fingerprint != fingerprint:
        raise Refused(KEY_REUSED, status_code=409)
    return Response(found.body, status=found.status, headers={"Idempotent-Replayed": "true"})
