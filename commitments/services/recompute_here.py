"""A year recomputed from this process (the ``recompute`` command): a large tree's
parts computed by several processes at once, as several workers compute the parts of
a ``recompute_year`` run, so that the machine's cores share the engine's work."""

from __future__ import annotations

from django.db import connection

from commitments.services.recompute import statuses_recompute
from reform import spawned

PART = "commitments.services.recompute:statuses_recompute_part"


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
    """The parts of the run, each by one of ``jobs`` spawned processes, on this
    process's database; the run is committed before they start."""
    calls = [
        (
            PART,
            {
                "year": year,
                "run": run,
                "units": part["units"],
                "summed": part["summed"],
                "as_of": as_of,
            },
        )
        for part in parts
    ]
    database = connection.settings_dict["NAME"]
    with spawned.pool(min(jobs, len(parts)), database_name=database) as pool:
        return pool.starmap(spawned.call, calls, chunksize=1)
