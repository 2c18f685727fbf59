"""The demo's dossier export: the one-stop desk of the demo department (``sonn-vp``),
its investment dossiers of 2021, one row each, as its one-stop-shop software would
export them (``dossiers/data/sonn-vp-2021.csv``, also the README's example of the
format).

The records are made so that the figures they give are exactly those the desk typed
by hand (``commitments.demo.DOSSIERS_2021``): loading them changes no status of the
demo, and the report form then shows the desk's investment figures read-only, from
its records, with the late dossiers of each quarter one click away. ``export_rows``
writes them again, deterministically: ``python -m dossiers.demo > FILE``.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

from dossiers.reading import COLUMNS

EXPORT = Path(__file__).resolve().parent / "data" / "sonn-vp-2021.csv"
UNIT, FIELD, YEAR = "sonn-vp", "investment", 2021
# (received, online, resolved, on time) of each quarter: commitments.demo.DOSSIERS_2021.
QUARTERS = [(86, 31, 82, 80), (97, 39, 95, 93), (54, 38, 57, 56), (104, 47, 101, 99)]
PROCEDURES = ("1.009980", "1.009981", "1.009982")
DUE_DAYS = 15
FORGOTTEN_IN = 3


def _at(quarter: int, index: int, count: int) -> dt.datetime:
    """The moment the ``index``-th of ``count`` dossiers of a quarter was received:
    spread over its first 88 days, in office hours."""
    start = dt.datetime(YEAR, 3 * quarter - 2, 1, 8)
    return start + dt.timedelta(days=index * 88 // count, hours=index % 8)


def _row(code: str, received: dt.datetime, online: bool, status: str, resolved, paused=0):
    due = received + dt.timedelta(days=DUE_DAYS)
    return [
        code, UNIT, FIELD, PROCEDURES[int(code[-4:]) % 3], "online" if online else "direct",
        f"{received:%Y-%m-%d %H:%M}", f"{due:%Y-%m-%d %H:%M}",
        f"{resolved:%Y-%m-%d %H:%M}" if resolved else "", str(paused), status,
        ("1" if online else "0") if int(code[-4:]) % 4 else "",
    ]  # fmt: skip


def export_rows() -> list[list[str]]:
    """The rows of the export, header first (see the module's docstring)."""
    rows: list[list[str]] = [list(COLUMNS)]
    waiting: list[tuple[str, dt.datetime, bool]] = []  # received, not yet resolved
    number = 0
    for quarter, (received, online, resolved, on_time) in enumerate(QUARTERS, 1):
        for index in range(received):
            number += 1
            code = f"000.00.12.H29-{YEAR % 100}{quarter}{number:04d}"
            waiting.append((code, _at(quarter, index, received), index < online))
        if quarter == FORGOTTEN_IN:
            # Its first dossier is forgotten over the quarter: still open, past its due
            # date, at the quarter's end, and resolved (late) early in the next.
            forgotten = waiting.pop(len(waiting) - received)
            waiting.insert(resolved, forgotten)
        resolving, waiting = waiting[:resolved], waiting[resolved:]
        late = resolved - on_time
        for index, (code, at, is_online) in enumerate(resolving):
            rows.append(
                _resolved(code, at, is_online, quarter, late=index < late, index=index - late)
            )
    for index, (code, at, is_online) in enumerate(waiting):
        # Still open at the year's end: one withdrawn by the citizen, the rest in progress.
        rows.append(_row(code, at, is_online, "withdrawn" if index == 0 else "in_progress", None))
    return rows


def _resolved(code: str, at: dt.datetime, online: bool, quarter: int, *, late: bool, index: int):
    """A dossier resolved in ``quarter``: late by one to three days (the first of the
    quarter's, oldest first), else on time within its 15 days (one refused, one paused
    three days for the citizen)."""
    end = dt.datetime(YEAR, 3 * quarter, 28, 16)
    if late:
        resolved = at + dt.timedelta(days=DUE_DAYS + 1 + index % 3)
    else:
        resolved = at + dt.timedelta(days=3 + index % 10)
    # A dossier carried over from the previous quarter is resolved early in this one.
    resolved = max(resolved, dt.datetime(YEAR, 3 * quarter - 2, 2, 9))
    if not late:
        resolved = min(resolved, at + dt.timedelta(days=DUE_DAYS), end)
    status = "refused" if index == 1 else "resolved"
    paused = 3 if index == 2 else 0
    return _row(code, at, online, status, resolved, paused)


if __name__ == "__main__":
    csv.writer(sys.stdout, lineterminator="\n").writerows(export_rows())
