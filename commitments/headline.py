"""The dashboard's headline (tóm tắt), before any card: how many commitments are met, at
risk and not met in the period ("9 cam kết: 6 đạt · 2 có nguy cơ · 1 không đạt"), how
that compares with the quarter before, and the three things most worth a director's
attention, each one click away.

Reads the commitment cards (``insights.commitment_cards``): no query here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from commitments import engine, insights
from commitments.models import Commitment

# The statuses a headline counts, in the order it says them (the judged ones always,
# the others when some commitment has them).
COUNTED = (engine.MET, engine.AT_RISK, engine.NOT_MET, engine.NO_DATA, engine.TRACKED)
# How many things a director is pointed to.
ATTENTION = 3


@dataclass(frozen=True)
class Count:
    """How many commitments have a status, and the change on the period compared
    (None when the counts are not compared)."""

    status: str
    count: int
    change: int | None = None


@dataclass(frozen=True)
class Move:
    """A commitment whose status changed between the two quarters compared."""

    commitment: Commitment
    before: str
    after: str

    @property
    def better(self) -> bool:
        return _rank(self.after) > _rank(self.before)


@dataclass(frozen=True)
class Attention:
    """An indicator worth a director's attention: not met, at risk, or (in an open
    year) on course to miss its target; ``newly`` when it got worse since the quarter
    before."""

    reading: insights.IndicatorReading
    reason: str  # a status, or "projection" for a year on course to miss
    newly: bool = False


@dataclass(frozen=True)
class Headline:
    judged: int  # commitments judged in the period
    counts: list[Count]
    moves: list[Move] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    compared: bool = False  # there was a quarter to compare with


def headline(
    cards: Sequence[insights.CommitmentCard],
    *,
    then: Sequence[insights.CommitmentCard] | None = None,
    now: Sequence[insights.CommitmentCard] | None = None,
    count_changes: bool = False,
) -> Headline:
    """The headline of the period's ``cards``. ``then`` and ``now`` are the cards of
    the two quarters compared (the quarter shown and the one before; in the year view,
    the last two quarters ended), or None when there is nothing to compare with. The
    counts say their change only when ``count_changes`` (the counts are of the quarter
    compared, not of the year to date)."""
    if then is not None and not any(card.status for card in then):
        then = None  # nothing was judged then: nothing to compare with
    judged = [card for card in cards if card.status]
    before = {c.commitment.code: c.status for c in then or () if c.status}
    counts = []
    for status in COUNTED:
        count = sum(1 for card in judged if card.status == status)
        change = None
        if count_changes and then is not None:
            change = count - sum(1 for s in before.values() if s == status)
        if count or change or status in engine.JUDGED:
            counts.append(Count(status, count, change))
    moves = []
    if then is not None and now is not None:
        moves = [
            Move(card.commitment, before[card.commitment.code], card.status)
            for card in now
            if _moved(before.get(card.commitment.code), card.status)
        ]
    return Headline(
        judged=len(judged),
        counts=counts,
        moves=moves,
        attention=_attention(cards, then if count_changes else None),
        compared=then is not None and now is not None,
    )


def _attention(
    cards: Sequence[insights.CommitmentCard], then: Sequence[insights.CommitmentCard] | None
) -> list[Attention]:
    """The indicators most worth attention, at most three: not met, then at risk, then
    on course to miss the year's target; within each, those that got worse since the
    quarter before first, then in the sheet's order."""
    earlier = {r.indicator.code: r.status for card in then or () for r in card.shown}
    found = []
    for card in cards:
        for reading in card.shown:
            reason = reading.status
            if reason not in engine.BEHIND:
                if reading.projection_status != engine.NOT_MET:
                    continue
                reason = "projection"
            was = earlier.get(reading.indicator.code)
            newly = was is not None and _rank(reading.status) < _rank(was)
            found.append(Attention(reading, reason, newly))
    order = {engine.NOT_MET: 0, engine.AT_RISK: 1, "projection": 2}
    found.sort(
        key=lambda a: (
            order[a.reason],
            not a.newly,
            a.reading.indicator.commitment.position,
            a.reading.indicator.position,
        )
    )
    return found[:ATTENTION]


def _moved(before: str | None, after: str) -> bool:
    """A commitment's status changed, and one side is judged (from tracked to no data
    is no news)."""
    if not before or not after or before == after:
        return False
    return before in engine.JUDGED or after in engine.JUDGED


def _rank(status: str) -> int:
    """How good a status is: not met lowest, met highest; unjudged ones in between."""
    return {engine.NOT_MET: 0, engine.AT_RISK: 1, engine.MET: 3}.get(status, 2)
