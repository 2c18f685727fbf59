"""Statuses: recomputing a year's statuses, and asking for that recompute once the
transaction that changed what they read commits.

Every write of what a status reads (figures, evidence, plan tasks, milestones, targets
and their overrides), on a page, in an import or in the admin, calls
``recompute_request``; nothing else asks for a recompute. Queueing the task is
``commitments.tasks``' part: it receives ``recompute_needed`` for each year claimed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import Truncator

from commitments import engine, selectors
from commitments.models import RecomputeState, Status

logger = logging.getLogger(__name__)

STATUS_FIELDS = ["value", "target", "comparator", "status", "detail", "computed_at", "differs"]

logger = logging.getLogger(__name__)

# Sent with ``year`` once that year's recompute is claimed (its ``pending`` flag set):
# the receiver in ``commitments.tasks`` queues the task.
recompute_needed = Signal()


def statuses_recompute(*, year: int, as_of: dt.date | None = None) -> int:
    """Recompute every status of a year and write them in bulk; returns how many.

    The read is a fixed number of queries whatever the number of units and indicators
    (``selectors.engine_inputs.engine_inputs``); rows are upserted on their natural key
    and rows that no longer apply are removed, so running it twice leaves the same
    table. Two sets are written (DOMAIN.md, "Official figures"): the official statuses,
    and, while some figure waits for its report's approval, the provisional ones. The
    year's ``RecomputeState`` row is locked meanwhile, so two recomputes of a year (two
    workers, or a worker and the command) take turns instead of interleaving. A
    recompute that fails writes nothing but the failure (``recompute_failure_record``),
    then raises; the next one that succeeds clears it.
    """
    as_of = as_of or timezone.localdate()
    try:
        return _recompute(year, as_of)
    except Exception as error:
        # The recompute's own transaction has rolled back: say so in one of its own.
        recompute_failure_record(year=year, error=error)
        raise


def _recompute(year: int, as_of: dt.date) -> int:
    with transaction.atomic():
        RecomputeState.objects.get_or_create(year=year)
        state = RecomputeState.objects.select_for_update().get(year=year)
        indicators, data, ids, provisional = selectors.engine_inputs.engine_inputs(year=year)
        now = timezone.now()
        official = _statuses(
            engine.compute_statuses(indicators, data, year=year, as_of=as_of), ids, now
        )
        statuses = official
        if provisional is not None:
            typed = engine.compute_statuses(indicators, provisional, year=year, as_of=as_of)
            statuses = official + _provisional(_statuses(typed, ids, now), official)
        Status.every.bulk_create(
            statuses,
            update_conflicts=True,
            unique_fields=["indicator", "unit", "category", "year", "quarter", "provisional"],
            update_fields=STATUS_FIELDS,
            batch_size=2000,
        )
        Status.every.filter(year=year).exclude(computed_at=now).delete()
        state.computed_at = now
        state.status_count = len(official)
        state.provisional_differs = provisional is not None
        state.failed_at, state.last_error = None, ""
        state.save(
            update_fields=[
                "computed_at",
                "status_count",
                "provisional_differs",
                "failed_at",
                "last_error",
            ]
        )
    return len(official)


def recompute_failure_record(*, year: int, error: BaseException) -> None:
    """Record that a recompute of ``year`` failed, and why in a line that a page may
    show an admin: the exception's class and message, never a traceback.

    Called once the recompute's transaction has rolled back, so the record is written
    in a transaction of its own and stays. A failure that also prevents the record (the
    database is gone) is logged; the caller re-raises the recompute's own error.
    """
    reason = " ".join(f"{type(error).__name__}: {error}".split())
    try:
        RecomputeState.objects.get_or_create(year=year)
        RecomputeState.objects.filter(year=year).update(
            failed_at=timezone.now(), last_error=Truncator(reason).chars(300)
        )
    except DatabaseError:
        logger.exception("The failed recompute of %s could not be recorded.", year)


def _statuses(rows: Iterable[engine.StatusRow], ids, now) -> list[Status]:
    statuses = [_status(row, ids, now) for row in rows]
    failed = [s for s in statuses if s.detail.get("error")]
    if failed:
        logger.warning(
            "%d statuses could not be computed, e.g. indicator %s unit %s: %s",
            len(failed),
            failed[0].indicator_id,
            failed[0].unit_id,
            failed[0].detail["error"],
        )
    return statuses


# The largest value a status stores (its column's 24 digits before the point).
LARGEST = Decimal(10) ** 24


def _status(row: engine.StatusRow, ids, now) -> Status:
    """One row as stored; a value too large for its column is stored as none, with the
    reason, rather than failing the whole year."""
    value, detail = engine.rounded(row.value, places=10), _jsonable(row.detail)
    if value is not None and abs(value) >= LARGEST:
        value, detail = None, {**detail, "error": "value too large to store"}
    return Status(
        indicator_id=ids.indicators[row.indicator],
        unit_id=row.unit_id,
        category=row.category,
        year=row.year,
        quarter=row.quarter,
        value=value,
        target=row.target,
        comparator=row.comparator or "",
        status=engine.NO_DATA if "error" in detail else row.status,
        detail=detail,
        computed_at=now,
    )


def _provisional(typed: list[Status], official: list[Status]) -> list[Status]:
    """The provisional set, each row marked where it differs from the official one."""
    signed = {_key(s): (s.value, s.status) for s in official}
    for status in typed:
        status.provisional = True
        status.differs = signed.get(_key(status)) != (status.value, status.status)
    return typed


def _key(status: Status) -> tuple:
    return (status.indicator_id, status.unit_id, status.category, status.quarter)


def _jsonable(value):
    if isinstance(value, Fraction):
        return str(engine.rounded(value, places=4).normalize())
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def recompute_request(*, years: Iterable[int]) -> None:
    """Queue a recompute of each year once the current transaction commits.

    Coalesced twice over. Within one transaction, every request joins a single
    on-commit callback, so an import or a catalogue load queues each year once. Across
    transactions and processes, the first request flips the year's ``pending`` flag
    with a conditional UPDATE and queues the task with a short countdown (it sends
    ``recompute_needed``, which ``commitments.tasks`` receives); requests
    that find it pending queue nothing. The task clears the flag before it reads, so a
    save during a recompute queues the next one; a request pending for too long (a
    lost task) is queued again.
    """
    years = set(years)
    if not years:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _, callback, _ in connection.run_on_commit:
            if isinstance(callback, _RecomputeOnCommit) and not callback.called:
                callback.years |= years
                return
    transaction.on_commit(_RecomputeOnCommit(years))


class _RecomputeOnCommit:
    """The on-commit callback of ``recompute_request``: claims each year once, and
    sends ``recompute_needed`` for each year it claimed."""

    def __init__(self, years: set[int]):
        self.years = years
        self.called = False

    def __call__(self) -> None:
        self.called = True
        now = timezone.now()
        stale = now - dt.timedelta(minutes=10)
        for year in sorted(self.years):
            RecomputeState.objects.get_or_create(year=year)
            claimed = (
                RecomputeState.objects.filter(year=year)
                .filter(Q(pending=False) | Q(requested_at__lt=stale))
                .update(pending=True, requested_at=now)
            )
            if claimed:
                recompute_needed.send(sender=RecomputeState, year=year)


def recompute_claim(*, year: int) -> None:
    """Clear a year's pending flag before its recompute reads anything."""
    RecomputeState.objects.filter(year=year).update(pending=False)
