"""Celery tasks: thin and idempotent; each re-reads the database and calls a service."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

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
    years = selectors.years_with_targets()
    for year in years:
        recompute_year.delay(year)
    return years
