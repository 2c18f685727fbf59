"""A year recomputed from this process (the ``recompute`` command): a large tree's
parts computed by several processes at once, as several workers compute the parts of
a ``recompute_year`` run, so that the machine's cores share the engine's work."""

from __future__ import annotations

import multiprocessing

from django.db import connection, connections

from commitments.services.recompute import statuses_recompute, statuses_recompute_part


def statuses_recompute_here(*, year: int, jobs: int = 1) -> int | None:
    """Every status of ``year`` now; returns how many official statuses were written
    (None: a run of the year by the workers is in progress, and covers it).

    With ``jobs`` above 1, on PostgreSQL, a tree in parts is recomputed as a run whose
    parts ``jobs`` processes of this machine compute at once, each part in its own
    transaction (as a worker's); else part after part in one transaction. Either way
    the statuses stored are the same."""
    if jobs <= 1 or connection.vendor != "postgresql":
        return statuses_recompute(year=year)
    written: list[int | None] = []

    def fan_out(*, year: int, run: str, parts: list[dict], as_of: str) -> None:
        written.extend(_parts_computed(year, run, parts, as_of, jobs))

    started = statuses_recompute(year=year, fan_out=fan_out)
    if not written:
        return started  # a tree of one part, computed at once; or a run in progress
    return sum(count or 0 for count in written)


def _parts_computed(year: int, run: str, parts: list[dict], as_of: str, jobs: int) -> list:
    """The parts of the run, each by one of ``jobs`` processes forked from this one
    (which closes its connections first: each process opens its own)."""
    connections.close_all()
    arguments = [(year, run, part["units"], part["summed"], as_of) for part in parts]
    with multiprocessing.get_context("fork").Pool(min(jobs, len(parts))) as pool:
        return pool.starmap(_part, arguments, chunksize=1)


def _part(year: int, run: str, units: list[int], summed: bool, as_of: str) -> int | None:
    return statuses_recompute_part(year=year, run=run, units=units, summed=summed, as_of=as_of)
