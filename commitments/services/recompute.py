"""Statuses: recomputing a year's statuses, or what one change touched, and asking for
that recompute in the transaction that changes what they read.

Every write of what a status reads (figures, evidence, plan tasks, milestones, targets
and their overrides), on a page, in an import or in the admin, calls
``recompute_request``; nothing else asks for a recompute. The request is a row of the
outbox (``RecomputeRequest``) written with the change; a recompute deletes the rows it
covered when it commits, and ``recompute_drain`` recomputes the years that have rows
left. Queueing is ``commitments.tasks``' part: it receives ``recompute_needed`` once a
transaction that asked commits, and drains from the beat every minute, so a kick lost
to a broker or a worker fault delays statuses by a minute and loses nothing.

A request that names the figures a change wrote (unit and data element) is recomputed
alone: the rows of the indicators that read that element, for that unit and the units
above it, read with the rest of the tree added up in the database. A year of a tree
larger than ``RECOMPUTE_PART_UNITS`` is recomputed in parts (``engine.parts``): in
turn in one process and one transaction (the ``recompute`` command), or, from a task,
as a *run* of part tasks that any worker takes (``statuses_recompute_part``), the last
of them closing the run.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import Truncator

from commitments import engine, selectors
from commitments.models import RecomputeRequest, RecomputeState, Status, Unit
from commitments.services.status_writes import COLUMNS, Scope, statuses_write

logger = logging.getLogger(__name__)

# Sent with ``years`` once a transaction that asked for their recompute commits: the
# receiver in ``commitments.tasks`` queues a drain.
recompute_needed = Signal()

# Queues the parts of a run once its start commits: called with ``year``, ``run`` (its
# id), ``parts`` (``{"units": [...], "summed": bool}`` each) and ``as_of``.
FanOut = Callable[..., None]


def statuses_recompute(
    *,
    year: int,
    as_of: dt.date | None = None,
    waiting_only: bool = False,
    fan_out: FanOut | None = None,
) -> int | None:
    """Recompute every status of a year and write them in bulk; returns how many.

    The read is a fixed number of queries whatever the number of units and indicators
    (``selectors.engine_inputs.engine_inputs``, or ``selectors.part_inputs`` for each
    part of a large tree); rows are upserted on their natural key, only those that
    changed, and rows that no longer apply are removed, so running it twice leaves the
    same table. Two sets are written (DOMAIN.md, "Official figures"): the official
    statuses, and, while some figure waits for its report's approval, the provisional
    ones. The year's ``RecomputeState`` row is locked meanwhile, so two recomputes of a
    year (two workers, or a worker and the command) take turns instead of
    interleaving. A recompute that fails writes nothing but the failure
    (``recompute_failure_record``), then raises; the next one that succeeds clears it.

    The requests of the year that wait in the outbox once the lock is held are covered
    (the figures are read after them) and deleted with the writes; those that commit
    later stay for the next recompute. With ``waiting_only``, a year that has none
    left (another recompute covered them meanwhile) is not recomputed: None; and when
    every request waiting names the figures it wrote, only what they touch is
    recomputed. With ``fan_out``, a tree larger than one part is recomputed by a run
    of part tasks that ``fan_out`` queues once this transaction commits: 0; while a
    run of the year is in progress, only what changes touched is: None if nothing.
    """
    as_of = as_of or timezone.localdate()
    try:
        return _recompute(year, as_of, waiting_only, fan_out)
    except Exception as error:
        # The recompute's own transaction has rolled back: say so in one of its own.
        recompute_failure_record(year=year, error=error)
        raise


@dataclass(frozen=True)
class Computed:
    """What a recompute wrote: how many official statuses it computed, and whether
    some figure it read waits for approval (the provisional set exists)."""

    count: int
    waiting: bool


def _recompute(year: int, as_of: dt.date, waiting_only: bool, fan_out) -> int | None:
    with transaction.atomic():
        state = _locked_state(year)
        now = timezone.now()
        run = _live_run(state, now)
        waiting = _waiting(year, run)
        if waiting_only and not waiting:
            return None
        busy = run is not None and fan_out is not None
        touched = [(pk, pairs) for pk, pairs in waiting if pairs is not None]
        if waiting_only and state.computed_at and (len(touched) == len(waiting) or busy):
            # What the changes touched, now; a change of the whole year waits for the
            # run in progress, whose end drains what is left.
            if not touched:
                return None
            computed = _recompute_touched(year, as_of, _touched(touched), now)
            _covered([pk for pk, _ in touched], state, computed, now, whole=False)
            return computed.count
        if busy:
            return None
        plan = _plan()
        if plan is not None and fan_out is not None:
            return _run_start(state, year, as_of, waiting, plan, fan_out, now)
        computed = _recompute_year(year, as_of, plan, now)
        _covered([pk for pk, _ in waiting], state, computed, now, whole=True)
    return computed.count


def _plan() -> tuple[list[engine.UnitNode], list[engine.Part]] | None:
    """The parts of a recompute of the tree, with its units; None when it is small
    enough to be one."""
    limit = settings.RECOMPUTE_PART_UNITS
    if Unit.objects.count() <= limit:
        return None
    units = selectors.engine_inputs.unit_nodes()
    return units, engine.parts_of(units, limit=limit)


def _recompute_year(year: int, as_of: dt.date, plan, now: dt.datetime) -> Computed:
    """Every status of the year, in this transaction: at once, or part after part."""
    if plan is None:
        inputs = selectors.engine_inputs.engine_inputs(year=year)
        rows, computed = _computed(*inputs, year=year, as_of=as_of)
        statuses_write(scope=Scope(year), rows=rows, now=now)
        return computed
    units, parts = plan
    count, waiting = 0, False
    for part in parts:
        done = _recompute_part(year, as_of, part, units, now)
        count, waiting = count + done.count, waiting or done.waiting
    return Computed(count, waiting)


def _recompute_part(year, as_of, part: engine.Part, units, now: dt.datetime) -> Computed:
    inputs = selectors.part_inputs.part_inputs(year=year, part=part, units=units)
    rows, computed = _computed(*inputs, year=year, as_of=as_of)
    statuses_write(scope=Scope(year, units=part.units), rows=rows, now=now)
    return computed


def _recompute_touched(year: int, as_of: dt.date, touched, now: dt.datetime) -> Computed:
    """The rows a change of figures touched: for the indicators that read the data
    elements written, the units written and every unit above them."""
    units = selectors.engine_inputs.unit_nodes()
    above = engine.ancestors(units, {unit for unit, _ in touched})
    part = engine.Part(frozenset(above), summed=True)
    elements = {element for _, element in touched}
    indicators, data, ids, provisional = selectors.part_inputs.part_inputs(
        year=year, part=part, units=units, touching=elements
    )
    rows, computed = _computed(indicators, data, ids, provisional, year=year, as_of=as_of)
    scope = Scope(year, units=part.units, indicators=frozenset(ids.indicators.values()))
    statuses_write(scope=scope, rows=rows, now=now)
    return computed


def _computed(indicators, data, ids, provisional, *, year: int, as_of: dt.date):
    """The rows to store (official, then provisional if any), and what they hold."""
    official = _stored_rows(engine.compute_statuses(indicators, data, year=year, as_of=as_of), ids)
    rows = official
    if provisional is not None:
        typed = engine.compute_statuses(indicators, provisional, year=year, as_of=as_of)
        rows = official + _provisional(_stored_rows(typed, ids), official)
    return rows, Computed(len(official), provisional is not None)


# --- the rows as stored ---------------------------------------------------------------

# Where a stored row (``status_writes.COLUMNS``) holds what ``_provisional`` reads.
_AT = {name: COLUMNS.index(name) for name in COLUMNS}
_KEY_AT = [_AT[c] for c in ("indicator_id", "unit_id", "category", "quarter")]


def _stored_rows(rows: Iterable[engine.StatusRow], ids) -> list[tuple]:
    stored = [_stored(row, ids) for row in rows]
    failed = [s for s in stored if "error" in s[_AT["detail"]]]
    if failed:
        logger.warning(
            "%d statuses could not be computed, e.g. indicator %s unit %s: %s",
            len(failed),
            failed[0][_AT["indicator_id"]],
            failed[0][_AT["unit_id"]],
            failed[0][_AT["detail"]]["error"],
        )
    return stored


# The largest value a status stores (its column's 24 digits before the point).
LARGEST = Decimal(10) ** 24


def _stored(row: engine.StatusRow, ids) -> tuple:
    """One row as stored, in the order of ``status_writes.COLUMNS``; a value too large
    for its column is stored as none, with the reason, rather than failing the whole
    year."""
    value, detail = engine.rounded(row.value, places=10), _jsonable(row.detail)
    if value is not None and abs(value) >= LARGEST:
        value, detail = None, {**detail, "error": "value too large to store"}
    status = engine.NO_DATA if "error" in detail else row.status
    indicator_id = ids.indicator_id(row.indicator, row.unit_id)
    return (
        indicator_id,
        ids.versions[indicator_id],
        row.unit_id,
        row.category,
        row.year,
        row.quarter,
        value,
        row.target,
        row.comparator or "",
        status,
        detail,
        False,
        False,
    )


def _status(row: engine.StatusRow, ids, now) -> Status:
    """One row as a ``Status``."""
    return Status(**dict(zip(COLUMNS, _stored(row, ids), strict=True)), computed_at=now)


def _provisional(typed: list[tuple], official: list[tuple]) -> list[tuple]:
    """The provisional set, each row marked where it differs from the official one."""
    value, status = _AT["value"], _AT["status"]
    signed = {tuple(s[i] for i in _KEY_AT): (s[value], s[status]) for s in official}
    return [
        (*row[:-2], True, signed.get(tuple(row[i] for i in _KEY_AT)) != (row[value], row[status]))
        for row in typed
    ]


# Values stored in JSON as they are.
_PLAIN = {int, str, bool, float, type(None)}


def _jsonable(value):
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k: _jsonable(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_jsonable(v) for v in value]
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


# --- the year's state and its outbox ----------------------------------------------------


def _locked_state(year: int) -> RecomputeState:
    """The year's state, locked until the recompute's transaction ends; created at the
    year's first recompute."""
    locked = RecomputeState.objects.select_for_update()
    try:
        return locked.get(year=year)
    except RecomputeState.DoesNotExist:
        RecomputeState.objects.get_or_create(year=year)
        return locked.get(year=year)


def _waiting(year: int, run: dict | None) -> list[tuple[int, list | None]]:
    """The requests of the year waiting (id, pairs touched), but those a run in
    progress covers."""
    rows = RecomputeRequest.objects.filter(year=year).values_list("pk", "touched")
    taken = set(run["requests"]) if run else set()
    return [row for row in rows if row[0] not in taken]


def _touched(waiting) -> set[tuple[int, int]]:
    """The (unit, element) pairs the requests name."""
    return {(unit, element) for _, touched in waiting for unit, element in touched}


def _covered(
    covered: list[int], state: RecomputeState, computed: Computed, now, *, whole: bool
) -> None:
    """Delete the requests a recompute covered and record it on the year's state. A
    recompute of what a change touched leaves the year's failure, and its count, as
    they were: it did not compute what failed."""
    RecomputeRequest.objects.filter(pk__in=covered).delete()
    if not whole:
        fields = ["provisional_differs"]
        state.provisional_differs = state.provisional_differs or computed.waiting
        if not state.failed:
            state.computed_at = now
            fields.append("computed_at")
        state.save(update_fields=fields)
        return
    state.computed_at = now
    state.status_count = computed.count
    state.provisional_differs = computed.waiting
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


# --- a recompute in parts on several workers ------------------------------------------


def _live_run(state: RecomputeState, now: dt.datetime) -> dict | None:
    """The run of the year in progress, unless it has outlived its timeout (its parts
    were lost: the next drain starts it again)."""
    run = state.run
    if not run:
        return None
    started = dt.datetime.fromisoformat(run["started_at"])
    if now - started > dt.timedelta(seconds=settings.RECOMPUTE_RUN_TIMEOUT_SECONDS):
        return None
    return run


def _run_start(state, year, as_of, waiting, plan, fan_out: FanOut, now) -> int:
    """Record a run covering the requests waiting, and queue its parts once it commits."""
    _, parts = plan
    run = {
        "id": uuid.uuid4().hex,
        "started_at": now.isoformat(),
        "as_of": as_of.isoformat(),
        # The parts not finished, each by its first unit: a part delivered twice
        # (its worker died after it committed) is counted once.
        "left": sorted(min(p.units) for p in parts),
        "requests": [pk for pk, _ in waiting],
        "statuses": 0,
        "provisional": False,
    }
    state.run = run
    state.save(update_fields=["run"])
    specs = [{"units": sorted(p.units), "summed": p.summed} for p in parts]
    transaction.on_commit(
        lambda: fan_out(year=year, run=run["id"], parts=specs, as_of=run["as_of"])
    )
    return 0


def statuses_recompute_part(
    *, year: int, run: str, units: list[int], summed: bool, as_of: str
) -> int | None:
    """Compute and write one part of a run (``units``, ``summed``: an
    ``engine.Part``), judged ``as_of`` (ISO date) as the whole run; returns the
    official statuses written, or None when the run has been replaced by a newer one.

    Parts of a run hold the year's lock together (a recompute of the year or of a
    change waits for them, and they for it); the last part to finish deletes the
    requests the run covered and records the year as computed.
    """
    try:
        with transaction.atomic():
            state = _shared_state(year)
            if not state.run or state.run["id"] != run:
                return None
            part = engine.Part(frozenset(units), summed=summed)
            all_units = selectors.engine_inputs.unit_nodes()
            now = timezone.now()
            done = _recompute_part(year, dt.date.fromisoformat(as_of), part, all_units, now)
            _run_part_done(year, run, min(units), done, now)
        return done.count
    except Exception as error:
        recompute_failure_record(year=year, error=error)
        raise


def _shared_state(year: int) -> RecomputeState:
    """The year's state, locked so that parts run together but not beside a recompute
    that locks it (``_locked_state``)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {RecomputeState._meta.db_table} WHERE year = %s FOR KEY SHARE",
                [year],
            )
    return RecomputeState.objects.get(year=year)


def _run_part_done(year: int, run: str, part: int, done: Computed, now: dt.datetime) -> None:
    state = RecomputeState.objects.select_for_update(no_key=True).get(year=year)
    if not state.run or state.run["id"] != run or part not in state.run["left"]:
        return
    state.run = {
        **state.run,
        "left": [p for p in state.run["left"] if p != part],
        "statuses": state.run["statuses"] + done.count,
        "provisional": state.run["provisional"] or done.waiting,
    }
    if state.run["left"]:
        state.save(update_fields=["run"])
        return
    finished = state.run
    state.run = None
    state.save(update_fields=["run"])
    computed = Computed(finished["statuses"], finished["provisional"])
    _covered(finished["requests"], state, computed, now, whole=True)
    if RecomputeRequest.objects.filter(year=year).exists():
        # Changes saved while the run was computing: the next drain covers them.
        transaction.on_commit(_Announce({year}))


# --- asking for a recompute -----------------------------------------------------------


def recompute_request(
    *, years: Iterable[int], touched: Iterable[tuple[int, int]] | None = None
) -> None:
    """Ask for a recompute of each year, in the current transaction (or one of its
    own): a row of the outbox per year, which commits or rolls back with the change.
    Once it commits, ``recompute_needed`` announces the years (``commitments.tasks``
    queues a drain); if that is lost, the beat's drain finds the rows.

    ``touched``: the (unit id, data element id) of the figures a change wrote. The
    row names them, and only what they touch is recomputed; a transaction that
    touches more than ``RECOMPUTE_TOUCHED_MAX`` of a year asks for the whole year.

    Within one transaction each year is asked for once, so an import or a catalogue
    load writes one row a year and announces once; what a later save of the
    transaction touches is added to its year's row. Rows are only inserted: a save
    never waits for a running recompute.
    """
    years = set(years)
    if not years:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        with transaction.atomic():
            recompute_request(years=years, touched=touched)
        return
    pairs = None if touched is None else {(unit, element) for unit, element in touched}
    # A callback of this transaction stands for what was asked at its level of
    # savepoints: both vanish together if one of those savepoints rolls back, so what
    # one of them holds is asked for already. (One already called, by a test that runs
    # on-commit work early, has had its rows drained.)
    level = set(connection.savepoint_ids)
    asked, rows, here = _Asked(), {}, None
    for sids, callback, _ in connection.run_on_commit:
        if isinstance(callback, _Announce) and not callback.called:
            asked.add(callback.asked)
            rows.update(callback.rows)
            here = callback if sids == level else here
    new = _Asked()
    for year in years:
        if year in asked.whole:
            continue
        more = None if pairs is None else pairs - asked.pairs.get(year, set())
        if (
            more is None
            or len(more | asked.pairs.get(year, set())) > settings.RECOMPUTE_TOUCHED_MAX
        ):
            new.whole.add(year)
        elif more:
            new.pairs[year] = more
    if not new.whole and not new.pairs:
        return
    inserted = _request_rows(new, asked, rows)
    if here is None:
        here = _Announce(set())
        transaction.on_commit(here)
    here.asked.add(new)
    here.rows.update({r.year: r.pk for r in inserted if r.touched is not None})
    here.years |= {r.year for r in inserted}


@dataclass
class _Asked:
    """What a transaction asked for: whole years, and pairs touched by year."""

    whole: set[int] = field(default_factory=set)
    pairs: dict[int, set[tuple[int, int]]] = field(default_factory=dict)

    def add(self, other: _Asked) -> None:
        self.whole |= other.whole
        for year, pairs in other.pairs.items():
            self.pairs.setdefault(year, set()).update(pairs)


def _request_rows(new: _Asked, asked: _Asked, rows: dict[int, int]) -> list[RecomputeRequest]:
    """Write what is newly asked: a row for each whole year, and the pairs touched, added
    to the year's row of this transaction or in a row of their own. Returns the rows
    inserted."""
    now = timezone.now()
    inserted = [RecomputeRequest(year=year, requested_at=now) for year in sorted(new.whole)]
    for year, pairs in sorted(new.pairs.items()):
        every = sorted(pairs | asked.pairs.get(year, set()))
        if year in rows:
            RecomputeRequest.objects.filter(pk=rows[year]).update(touched=every)
        else:
            inserted.append(RecomputeRequest(year=year, requested_at=now, touched=every))
    return RecomputeRequest.objects.bulk_create(inserted)


class _Announce:
    """The on-commit callback of ``recompute_request``: sends ``recompute_needed`` with
    the years its transaction asked for. ``asked``: what was asked at its level;
    ``rows``: the rows of touched pairs written there, by year."""

    def __init__(self, years: set[int]):
        self.years = set(years)
        self.asked = _Asked(whole=set(years))
        self.rows: dict[int, int] = {}
        self.called = False

    def __call__(self) -> None:
        self.called = True
        if self.years:
            recompute_needed.send(sender=RecomputeRequest, years=sorted(self.years))


def recompute_drain(*, as_of: dt.date | None = None, fan_out: FanOut | None = None) -> list[int]:
    """Recompute each year that has requests waiting in the outbox; returns the years
    recomputed (or whose run of parts was started, with ``fan_out``).

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
            recomputed = statuses_recompute(
                year=year, as_of=as_of, waiting_only=True, fan_out=fan_out
            )
            if recomputed is not None:
                done.append(year)
        except Exception as error:
            logger.exception("The recompute of %s failed; its requests wait for the next.", year)
            failure = failure or error
    if failure is not None:
        raise failure
    return done
