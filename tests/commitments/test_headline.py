"""The dashboard's headline (``commitments.headline``) on cards made in memory: what
counts as a move, and what is worth attention first."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commitments import engine, headline, insights
from commitments.models import Indicator, Status
from tests import factories

pytestmark = pytest.mark.django_db


def _cards(department, statuses: dict[str, str], quarter: int = 2):
    """Cards of one quarter whose indicators (by code) have these statuses."""
    rows = []
    for code, status in statuses.items():
        indicator = Indicator.objects.select_related("commitment").get(code=code)
        rows.append(
            Status(indicator=indicator, unit=department, category="", year=2021,
                   quarter=quarter, value=Decimal(50), target=Decimal(91),
                   comparator=engine.GE, status=status)
        )  # fmt: skip
    return insights.commitment_cards(
        rows, unit=department, quarter=quarter, is_open=False, category_names={},
        unit_names={},
    )  # fmt: skip


def test_a_move_between_unjudged_statuses_is_no_news(catalogue):
    department = factories.department()
    then = _cards(department, {"4.1": engine.MET, "8.1": engine.TRACKED, "5.1": engine.MET})
    now = _cards(department, {"4.1": engine.NOT_MET, "8.1": engine.NO_DATA, "5.1": engine.MET})
    result = headline.headline(now, then=then, now=now, count_changes=True)
    assert [(m.commitment.code, m.before, m.after, m.better) for m in result.moves] == [
        ("4", engine.MET, engine.NOT_MET, False)
    ]
    counts = {c.status: (c.count, c.change) for c in result.counts}
    assert counts[engine.NOT_MET] == (1, 1) and counts[engine.MET] == (1, -1)
    assert counts[engine.AT_RISK] == (0, 0)  # the judged statuses are always said
    assert counts[engine.NO_DATA] == (1, 1) and counts[engine.TRACKED] == (0, -1)


def test_not_met_before_at_risk_and_the_newly_worse_first(catalogue):
    department = factories.department()
    then = _cards(department, {"4.1": engine.MET, "5.1": engine.NOT_MET, "7.1": engine.MET})
    now = _cards(department, {"4.1": engine.AT_RISK, "5.1": engine.NOT_MET, "7.1": engine.NOT_MET})
    attention = headline.headline(now, then=then, now=now, count_changes=True).attention
    assert [(a.reading.indicator.code, a.reason, a.newly) for a in attention] == [
        ("7.1", engine.NOT_MET, True),
        ("5.1", engine.NOT_MET, False),
        ("4.1", engine.AT_RISK, True),
    ]


def test_nothing_judged_before_means_nothing_to_compare(catalogue):
    department = factories.department()
    now = _cards(department, {"4.1": engine.MET})
    result = headline.headline(now, then=[], now=now, count_changes=True)
    assert result.compared is False and result.moves == []
    assert all(c.change is None for c in result.counts)
