"""Celery tasks: thin and idempotent; each re-reads the database and calls a service."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError
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
    services.recompute_claim(year=year)
    return services.statuses_recompute(year=year)


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
    return services.report_reminders_send(today=timezone.localdate())
