"""The public survey's guards against abuse that need the request: the client's address
as django-axes reads it, and the throttles per client and per desk (django-ratelimit).
The one-time token and the one answer per dossier code are the service's."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django_ratelimit.core import is_ratelimited

from commitments.models import Unit

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The sender's address as the log-in and reset throttles read it
    (``RATELIMIT_IP_META_KEY``: django-axes's reading, which knows about proxies).
    Only its keyed hash is ever stored."""
    reader = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    if callable(reader):
        address = reader(request)
    elif isinstance(reader, str) and "." in reader:
        address = import_string(reader)(request)
    else:
        address = request.META.get(reader or "REMOTE_ADDR")
    return str(address or "")


def throttled(request: HttpRequest, *, unit: Unit, per_client: bool = True) -> bool:
    """Whether these answers come past a limit and must be refused: more than
    ``SURVEY_RATE_CLIENT`` from the client's address (over every desk; not for a kiosk,
    which answers for everyone at its desk) or more than ``SURVEY_RATE_DESK`` at the
    desk. Each answer sent counts, refused or not.

    The counts live in the cache; while it cannot be reached the survey goes on
    unthrottled (the other guards still hold) and the log says so: a citizen's answer
    matters more than a throttle."""
    limits = [("surveys:desk", lambda group, request: unit.code, settings.SURVEY_RATE_DESK)]
    if per_client:
        limits.append(("surveys:client", "ip", settings.SURVEY_RATE_CLIENT))
    try:
        results = [
            is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
            for group, key, rate in limits
        ]
    except Exception as error:  # each cache client raises its own connection errors
        logger.warning("survey %s: throttle not counted, cache unreachable: %r", unit.code, error)
        return False
    return any(results)
