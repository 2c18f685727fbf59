"""The rules that turn one dossier (hồ sơ) into the dossier figures, pure: no ORM, no
settings; "now" and the time zone are arguments.

- Received in a quarter: ``received at`` falls in it (in the department's time zone).
- Online: the channel is ``online``.
- Resolved in a quarter: ``resolved at`` falls in it, for a dossier resolved or
  refused (a refusal with its reason is the result of processing it); a withdrawn
  dossier is received but never resolved, on time or late.
- On time (đúng hạn): resolved at or before the due date plus the days paused waiting
  for the citizen (the due date that counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

ONLINE = "online"
IN_PROGRESS, RESOLVED, WITHDRAWN, REFUSED = "in_progress", "resolved", "withdrawn", "refused"
# The statuses whose resolution date counts as a result (resolved in a quarter).
COUNTED = (RESOLVED, REFUSED)


def quarter_of(moment: dt.datetime, zone: ZoneInfo) -> tuple[int, int]:
    """The (year, quarter) a moment falls in, read on the department's clock."""
    local = moment.astimezone(zone)
    return local.year, (local.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int, zone: ZoneInfo) -> dt.datetime:
    """The last moment of a quarter: anything after it is in the next one."""
    month = quarter * 3 + 1
    start_next = dt.datetime(year + (month > 12), (month - 1) % 12 + 1, 1, tzinfo=zone)
    return start_next - dt.timedelta(microseconds=1)


def due_counted(due_at: dt.datetime, paused_days: int) -> dt.datetime:
    """The due date that counts: the due date moved on by the (calendar) days the
    dossier was paused waiting for the citizen."""
    return due_at + dt.timedelta(days=paused_days)


def counts_as_resolved(status: str, resolved_at: dt.datetime | None) -> bool:
    """Whether the dossier has a result that counts: resolved or refused, with a date."""
    return status in COUNTED and resolved_at is not None


def on_time(
    status: str, due_at: dt.datetime, paused_days: int, resolved_at: dt.datetime | None
) -> bool | None:
    """True when resolved at or before the due date that counts, False when after it,
    None when the dossier has no result that counts (open or withdrawn)."""
    if not counts_as_resolved(status, resolved_at):
        return None
    return resolved_at <= due_counted(due_at, paused_days)


def days_late(due_by: dt.datetime, until: dt.datetime, zone: ZoneInfo) -> int:
    """Whole calendar days from the due date that counts to ``until`` (a resolution,
    or the end of a quarter), on the department's clock; 0 when not late."""
    if until <= due_by:
        return 0
    return max((until.astimezone(zone).date() - due_by.astimezone(zone).date()).days, 1)


def overdue_open_at(
    *,
    status: str,
    received_at: dt.datetime,
    due_by: dt.datetime,
    resolved_at: dt.datetime | None,
    end: dt.datetime,
) -> bool:
    """Whether a dossier was still open and past its due date at ``end`` (the end of a
    quarter): received by then, not resolved by then, not withdrawn."""
    if status == WITHDRAWN or received_at > end or due_by >= end:
        return False
    return resolved_at is None or resolved_at > end


@dataclass(frozen=True)
class Counted:
    """What one dossier adds to the figures: the quarter it was received in, whether
    online, the quarter it was resolved in (None when not counted) and whether on time."""

    received: tuple[int, int]
    online: bool
    resolved: tuple[int, int] | None
    on_time: bool | None
    due_by: dt.datetime


def dossier_counted(
    *,
    channel: str,
    status: str,
    received_at: dt.datetime,
    due_at: dt.datetime,
    paused_days: int,
    resolved_at: dt.datetime | None,
    zone: ZoneInfo,
) -> Counted:
    """A dossier's part in the figures of its unit and field (see the module's rules)."""
    timely = on_time(status, due_at, paused_days, resolved_at)
    return Counted(
        received=quarter_of(received_at, zone),
        online=channel == ONLINE,
        resolved=quarter_of(resolved_at, zone) if timely is not None else None,
        on_time=timely,
        due_by=due_counted(due_at, paused_days),
    )
