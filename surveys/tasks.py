"""Celery tasks of the survey: thin and idempotent; each calls a service.

A stored answer sends ``answers_stored``; one tally is queued for a burst of them: the
first answer of a quiet desk sets a short-lived key and queues the tally after
``SURVEY_TALLY_SECONDS``; answers meanwhile find the key and queue nothing. The tally
drops the key before it reads, so an answer that arrives while it runs queues the next
one. The beat tallies every minute too, which repairs a kick lost to the broker.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver

from surveys import services

logger = logging.getLogger(__name__)

TALLY_KEY = "surveys:tally-queued"

RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def survey_tally() -> int:
    """Count the desks' figures from the answers not counted yet; returns how many
    desk-quarters were written."""
    try:
        cache.delete(TALLY_KEY)
    except Exception:
        logger.warning("The survey tally could not clear its key.", exc_info=True)
    return services.survey_figures_tally()


@shared_task
def survey_keys_forget() -> int:
    """Daily: empty the keyed hashes of senders' addresses older than 30 days."""
    return services.client_keys_forget()


@receiver(services.answers_stored)
def survey_tally_kick(sender, **kwargs) -> None:
    """Queue one tally for the answers of the next few seconds. An answer is stored
    whatever happens here: a broker or cache that cannot be reached is logged, and the
    beat's tally counts the answer within a minute."""
    delay = settings.SURVEY_TALLY_SECONDS
    try:
        if not cache.add(TALLY_KEY, 1, timeout=delay + 30):
            return
        survey_tally.apply_async(countdown=delay, retry_policy={"max_retries": 1})
    except Exception:
        logger.warning("Queueing the survey tally failed; the beat counts it.", exc_info=True)
