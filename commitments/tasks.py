"""Celery tasks: thin and idempotent; each re-reads the database and calls a service.

The only module that queues work. The services ask for a recompute with
``services.recompute.recompute_request``, which writes the request in the outbox with
the change; once that commits, ``recompute_needed`` arrives here (connected once the app
is ready, in web processes and workers) and a drain is queued. The beat also drains
every minute, which repairs a kick lost to the broker or a worker that died.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.utils import timezone

from commitments import selectors, services

logger = logging.getLogger(__name__)

# A recompute reads and writes only the database, so running it again is harmless: it
# is acknowledged once done, and one whose worker died (kill -9, out of memory) goes
# back to the queue instead of being lost; a database error is retried.
RECOMPUTE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}

# Queueing a drain after a save: one quick retry, so that a broker that is down costs
# the save a moment, not a wait (the beat's drain follows up).
KICK_RETRY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2, "interval_max": 0.2}


@shared_task(**RECOMPUTE)
def recompute_year(year: int) -> int:
    """Recompute the statuses of a year, whether or not a change asked for it;
    returns how many were written (0 when a large tree's parts were queued)."""
    return services.recompute.statuses_recompute(year=year, fan_out=recompute_parts_queue)


@shared_task(**RECOMPUTE)
def recompute_pending() -> list[int]:
    """Recompute each year that has requests waiting in the outbox (after a save, and
    every minute from the beat); returns the years recomputed."""
    return services.recompute.recompute_drain(fan_out=recompute_parts_queue)


@shared_task(**RECOMPUTE)
def recompute_part(year: int, run: str, units: list[int], summed: bool, as_of: str) -> int | None:
    """Compute one part of a year's recompute in parts; any worker may take it."""
    return services.recompute.statuses_recompute_part(
        year=year, run=run, units=units, summed=summed, as_of=as_of
    )


def recompute_parts_queue(*, year: int, run: str, parts: list[dict], as_of: str) -> None:
    """Queue the parts of a run (``statuses_recompute``'s ``fan_out``), once its start
    has committed. A part that cannot be queued is left to the run's timeout: the
    next drain after it starts the year again."""
    try:
        for part in parts:
            recompute_part.delay(year, run, part["units"], part["summed"], as_of)
    except Exception:
        logger.warning(
            "Queueing the parts of the recompute of %s failed; the next drain after %s s "
            "starts it again.",
            year,
            settings.RECOMPUTE_RUN_TIMEOUT_SECONDS,
            exc_info=True,
        )


@receiver(services.recompute.recompute_needed)
def recompute_kick(sender, *, years: list[int], **kwargs) -> None:
    """Queue a drain once a change that asked for a recompute commits, after a short
    countdown (``RECOMPUTE_DELAY_SECONDS``) so that a burst of saves is read once.

    The change is saved and its request is in the outbox whatever happens here: a
    broker that cannot be reached is logged, never an error for the user, and the
    beat's drain recomputes the years within a minute of the broker coming back.
    """
    try:
        recompute_pending.apply_async(
            countdown=settings.RECOMPUTE_DELAY_SECONDS, retry_policy=KICK_RETRY
        )
    except Exception:
        logger.warning(
            "Queueing the recompute of %s failed; its requests wait in the outbox for "
            "the next drain.",
            ", ".join(map(str, years)),
            exc_info=True,
        )


@shared_task
def recompute_all() -> list[int]:
    """Nightly: queue a recompute of every year that has targets (dates move statuses
    from at risk to not met even when no figure changes)."""
    years = selectors.engine_inputs.years_with_targets()
    for year in years:
        recompute_year.delay(year)
    return years


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def report_reminders() -> int:
    """Daily: email the staff of units whose quarterly report is due soon or late;
    returns how many emails were sent. A retry sends none twice (the service records
    each reminder before it sends)."""
    return services.reminders.report_reminders_send(today=timezone.localdate())
