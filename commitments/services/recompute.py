"""Statuses: recomputing a year's statuses, and asking for that recompute in the
transaction that changes what they read.

Every write of what a status reads (figures, evidence, plan tasks, milestones, targets
and their overrides), on a page, in an import or in the admin, calls
``recompute_request``; nothing else asks for a recompute. The request is a row of the
outbox (``RecomputeRequest``) written with the change; a recompute deletes the rows it
covered when it commits, and ``recompute_drain`` recomputes the years that have rows
left. Queueing is ``commitments.tasks``' part: it receives ``recompute_needed`` once a
transaction that asked commits, and drains from the beat every minute, so a kick lost
to a broker or a worker fault delays statuses by a minute and loses nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from django.db import DatabaseError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import Truncator

from commitments import engine, selectors
from commitments.models import RecomputeRequest, RecomputeState, Status

logger = logging.getLogger(__name__)

STATUS_FIELDS = [
    "value",
    "target",
    "comparator",
    "status",
    "detail",
    "computed_at",
    "differs",
    "version",
]

# Sent with ``years`` once a transaction that asked for their recompute commits: the
# receiver in ``commitments.tasks`` queues a drain.
recompute_needed = Signal()


def statuses_recompute(
    *, year: int, as_of: dt.date | None = None, waiting_only: bool = False
) -> int | None:
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

    The requests of the year that wait in the outbox once the lock is held are covered
    (the figures are read after them) and deleted with the writes; those that commit
    later stay for the next recompute. With ``waiting_only``, a year that has none
    left (another recompute covered them meanwhile) is not recomputed: None.
    """
    as_of = as_of or timezone.localdate()
    try:
        return _recompute(year, as_of, waiting_only)
    except Exception as error:
        # The recompute's own transaction has rolled back: say so in one of its own.
        recompute_failure_record(year=year, error=error)
        raise


def _recompute(year: int, as_of: dt.date, waiting_only: bool) -> int | None:
    with transaction.atomic():
        state = _locked_state(year)
        covered = list(RecomputeRequest.objects.filter(year=year).values_list("pk", flat=True))
        if waiting_only and not covered:
            return None
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
        RecomputeRequest.objects.filter(pk__in=covered).delete()
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


def _locked_state(year: int) -> RecomputeState:
    """The year's state, locked until the recompute's transaction ends; created at the
    year's first recompute."""
    locked = RecomputeState.objects.select_for_update()
    try:
        return locked.get(year=year)
    except RecomputeState.DoesNotExist:
        RecomputeState.objects.get_or_create(year=year)
        return locked.get(year=year)


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
    indicator_id = ids.indicator_id(row.indicator, row.unit_id)
    return Status(
        indicator_id=indicator_id,
        version_id=ids.versions[indicator_id],
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
    """Ask for a recompute of each year, in the current transaction (or one of its
    own): a row of the outbox per year, which commits or rolls back with the change.
    Once it commits, ``recompute_needed`` announces the years (``commitments.tasks``
    queues a drain); if that is lost, the beat's drain finds the rows.

    Within one transaction each year is asked for once, so an import or a catalogue
    load writes one row a year and announces once. The rows are only inserted: a save
    never waits for a running recompute.
    """
    years = set(years)
    if not years:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        with transaction.atomic():
            recompute_request(years=years)
        return
    # A callback of this transaction stands for rows written at its level of
    # savepoints: both vanish together if one of those savepoints rolls back, so a year
    # one of them holds is asked for already. (One already called, by a test that runs
    # on-commit work early, has had its rows drained.)
    level = set(connection.savepoint_ids)
    asked, here = set(), None
    for sids, callback, _ in connection.run_on_commit:
        if isinstance(callback, _Announce) and not callback.called:
            asked |= callback.years
            here = callback if sids == level else here
    new = years - asked
    if not new:
        return
    now = timezone.now()
    RecomputeRequest.objects.bulk_create(
        RecomputeRequest(year=year, requested_at=now) for year in sorted(new)
    )
    if here is not None:
        here.years |= new
    else:
        transaction.on_commit(_Announce(new))


class _Announce:
    """The on-commit callback of ``recompute_request``: sends ``recompute_needed`` with
    the years its transaction asked for."""

    def __init__(self, years: set[int]):
        self.years = years
        self.called = False

    def __call__(self) -> None:
        self.called = True
        recompute_needed.send(sender=RecomputeRequest, years=sorted(self.years))


def recompute_drain(*, as_of: dt.date | None = None) -> list[int]:
    """Recompute each year that has requests waiting in the outbox; returns the years
    recomputed.

    A year whose requests another recompute covered meanwhile is skipped, so two
    drains at once (a kick and the beat, two workers) recompute it once. A year whose
    recompute fails keeps its requests for the next drain and does not stop the
    others; the first failure is raised at the end.
    """
    years = RecomputeRequest.objects.order_by("year").values_list("year", flat=True).distinct()
    done: list[int] = []
    failure: Exception | None = None
    for year in list(years):
        try:
            if statuses_recompute(year=year, as_of=as_of, waiting_only=True) is not None:
                done.append(year)
        except Exception as error:
            logger.exception("The recompute of %s failed; its requests wait for the next.", year)
            failure = failure or error
    if failure is not None:
        raise failure
    return done
