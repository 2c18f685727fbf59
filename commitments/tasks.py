"""Celery tasks: thin and idempotent; each re-reads the database and calls a service.

The only module that queues work: the services ask for a recompute with
``services.recompute.recompute_request``, and the year it claims arrives here as
``recompute_needed`` (connected once the app is ready, in web processes and workers).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.utils import timezone

from commitments import selectors, services


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def recompute_year(year: int) -> int:
    """Recompute the statuses of a year; returns how many were written."""
    services.recompute.recompute_claim(year=year)
    return services.recompute.statuses_recompute(year=year)


@receiver(services.recompute.recompute_needed)
def recompute_queue(sender, *, year: int, **kwargs) -> None:
    """Queue the recompute of a year claimed by ``recompute_request``, after a short
    countdown so that a burst of writes is read once."""
    recompute_year.apply_async(args=[year], countdown=settings.RECOMPUTE_DELAY_SECONDS)


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
